"""Family caregivers: invitation, limits (3 per citizen, 5 per caregiver), 30-day expiry,
accept or refuse, ending from either side, and messages stamped as the caregiver's."""

import datetime as dt

import pytest

from tests.helpers import make_user
from tests.test_mandate_support import banner, citizen_with_space, mandate_for
from webapp import mandates
from webapp.db import utcnow
from webapp.models.assistance import CaregiverInvitation
from webapp.models.audit import AccessLog
from webapp.models.mandates import Mandate


@pytest.fixture
def family(db, client):
    citizen, space = citizen_with_space(first_name="Camille", last_name="Martin")
    relative, _own = citizen_with_space(first_name="Jean", last_name="Dupont")
    return dict(citizen=citizen, space=space, relative=relative)


def _invite(client, email, scopes=("documents.read", "agenda.read")):
    return client.submit("/parametres/aidants/inviter", {"email": email, "scopes": list(scopes)})


def _sign_out(client):
    client.submit("/deconnexion")


def test_invite_accept_act_and_end(client, family):
    client.sign_in(family["citizen"].email)
    _r, doc = client.page("/parametres/aidants/inviter")
    assert doc.find("input", name="scopes", checked=True) is not None  # all offered by default
    r = _invite(client, family["relative"].email)
    assert r.status_code == 303
    invitation = CaregiverInvitation.get()
    assert invitation.state() == "pending"
    assert (invitation.expires_at - invitation.created_at).days == 30
    _r, doc = client.page("/parametres/mandats")
    assert "Jean DUPONT" in doc.find("main").text
    _sign_out(client)
    client.sign_in(family["relative"].email)
    _r, doc = client.page("/aidant")
    assert "Camille MARTIN vous demande de l'aider" in doc.text
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"})
    assert r.status_code == 303
    mandate = Mandate.get(Mandate.kind == "caregiver")
    assert mandate.state() == "active" and mandate.scope_set == {"documents.read", "agenda.read"}
    client.submit(f"/assistance/{mandate.reference}/ouvrir")
    _r, doc = client.page("/")
    assert "Vous agissez pour Camille MARTIN, en tant qu'aidant." in banner(doc).text
    assert AccessLog.get(AccessLog.action == "assisted_session.start").capacity == "caregiver"
    # the citizen ends it; the caregiver's next request is refused
    _sign_out(client)
    client.sign_in(family["citizen"].email)
    _r, doc = client.page(f"/parametres/mandats/{mandate.reference}/fin")
    assert client.submit(f"/parametres/mandats/{mandate.reference}/fin").status_code == 303
    assert Mandate.get_by_id(mandate.id).state() == "revoked"


def test_caregiver_stops_helping(client, family):
    mandate = mandate_for(family["relative"], family["space"], ["documents.read"],
                          kind="caregiver", ends_at=mandates.OPEN_END)
    client.sign_in(family["relative"].email)
    assert client.submit(f"/aidant/{mandate.reference}/arreter").status_code == 303
    assert Mandate.get_by_id(mandate.id).state() == "revoked"
    assert client.submit(f"/aidant/{mandate.reference}/arreter").status_code == 404


def test_refuse(client, family):
    invitation = mandates.invite_caregiver(family["space"], family["citizen"],
                                           family["relative"], ["documents.read"])
    client.sign_in(family["relative"].email)
    client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "refuse"})
    assert CaregiverInvitation.get_by_id(invitation.id).state() == "refused"
    assert not Mandate.select().exists()


def test_invitee_needs_an_active_citizen_account(client, family):
    client.sign_in(family["citizen"].email)
    r = _invite(client, "nobody@example.org")
    assert r.status_code == 200 and "Aucun compte actif" in r.text
    assert "nobody@example.org" in r.text  # what was typed is kept
    gone = make_user("citizen", active=False)
    assert "Aucun compte actif" in _invite(client, gone.email).text
    assert "Aucun compte actif" in _invite(client, make_user("mediator").email).text
    assert "vous-même" in _invite(client, family["citizen"].email).text


def test_at_most_three_caregivers_per_citizen(client, family):
    client.sign_in(family["citizen"].email)
    for _ in range(3):
        assert _invite(client, make_user("citizen").email).status_code == 303
    r = _invite(client, make_user("citizen").email)
    assert r.status_code == 200 and "déjà 3 aidants" in r.text
    # an expired invitation frees a place
    CaregiverInvitation.update(expires_at=utcnow() - dt.timedelta(seconds=1)).where(
        CaregiverInvitation.id == CaregiverInvitation.select().first().id).execute()
    assert _invite(client, make_user("citizen").email).status_code == 303


def test_at_most_five_helped_per_caregiver(client, family):
    for _ in range(5):
        _c, space = citizen_with_space()
        mandate_for(family["relative"], space, ["documents.read"], kind="caregiver",
                    ends_at=mandates.OPEN_END)
    client.sign_in(family["citizen"].email)
    r = _invite(client, family["relative"].email)
    assert "aide déjà 5 proches" in r.text
    # accepting is checked again (an invitation sent before the fifth was accepted)
    Mandate.update(revoked_at=utcnow()).where(Mandate.id == Mandate.select().first().id).execute()
    invitation = mandates.invite_caregiver(family["space"], family["citizen"],
                                           family["relative"], ["documents.read"])
    _c, space = citizen_with_space()
    mandate_for(family["relative"], space, ["documents.read"], kind="caregiver",
                ends_at=mandates.OPEN_END)
    _sign_out(client)
    client.sign_in(family["relative"].email)
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"},
                      follow_redirects=True)
    assert "déjà 5 proches" in r.text
    assert CaregiverInvitation.get_by_id(invitation.id).state() == "pending"


def test_pending_invitation_expires_after_30_days(client, family):
    invitation = mandates.invite_caregiver(family["space"], family["citizen"],
                                           family["relative"], ["documents.read"])
    assert invitation.state(utcnow() + dt.timedelta(days=29)) == "pending"
    assert invitation.state(utcnow() + dt.timedelta(days=30, seconds=1)) == "expired"
    invitation.expires_at = utcnow() - dt.timedelta(seconds=1)
    invitation.save()
    client.sign_in(family["relative"].email)
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"})
    assert r.status_code == 404 and not Mandate.select().exists()


def test_citizen_cancels_a_pending_invitation(client, family):
    invitation = mandates.invite_caregiver(family["space"], family["citizen"],
                                           family["relative"], ["documents.read"])
    other, _space = citizen_with_space()
    client.sign_in(other.email)  # someone else's invitation: not found
    assert client.submit(f"/parametres/aidants/invitations/{invitation.id}/annuler"
                         ).status_code == 404
    _sign_out(client)
    client.sign_in(family["citizen"].email)
    assert client.submit(f"/parametres/aidants/invitations/{invitation.id}/annuler"
                         ).status_code == 303
    assert CaregiverInvitation.get_by_id(invitation.id).state() == "cancelled"


def test_caregiver_cannot_change_sharing_or_contact_details(family):
    from webapp import policy
    from webapp.policy import Scope

    mandate_for(family["relative"], family["space"], [str(s) for s in Scope],
                kind="caregiver", ends_at=mandates.OPEN_END)
    grant = policy.grant_for(family["relative"], family["space"])
    for scope in (Scope.PRIVACY, Scope.SETTINGS_WRITE, Scope.DOCUMENTS_MANAGE,
                  Scope.PROFILE_WRITE):
        assert not grant.allows(scope)
    assert grant.allows(Scope.MESSAGES_REPLY) and grant.allows(Scope.AGENDA_WRITE)


def test_messages_are_stamped_as_written_by_the_caregiver(app, client, family):
    messages = pytest.importorskip("webapp.models.messages")
    if "messages.reply" not in app.view_functions:
        pytest.skip("messages area not here yet")
    pro = make_user("professional")
    conversation = messages.Conversation.create(space=family["space"], professional=pro,
                                                subject="Résultats")
    messages.Message.create(conversation=conversation, author=pro,
                            author_capacity="professional", body="Bonjour")
    mandate = mandate_for(family["relative"], family["space"],
                          ["messages.read", "messages.reply"], kind="caregiver",
                          ends_at=mandates.OPEN_END)
    client.sign_in(family["relative"].email)
    client.submit(f"/assistance/{mandate.reference}/ouvrir")
    r = client.submit(f"/messages/{conversation.id}/repondre", {"body": "Merci, je transmets."})
    assert r.status_code == 303, r.text[:1000]
    reply = messages.Message.select().order_by(messages.Message.id.desc()).get()
    assert reply.author_id == family["relative"].id and reply.author_capacity == "caregiver"
    _r, doc = client.page(f"/messages/{conversation.id}")
    assert "Jean DUPONT" in doc.find("main").text
