"""Family caregivers: invitation, limits (3 per citizen, 5 per caregiver), 30-day expiry,
accept or refuse, ending from either side, and messages stamped as the caregiver's."""

import datetime as dt

import pytest

from tests.helpers import make_user, space_path
from tests.test_mandate_support import banner, citizen_with_space, mandate_for
from webapp import policy
from webapp.access import Access
from webapp.assist import caregivers, mandates
from webapp.db import utcnow
from webapp.models.assistance import CaregiverInvitation
from webapp.models.audit import AccessLog
from webapp.models.mandates import Mandate
from webapp.models.messages import Conversation, Message
from webapp.scopes import Scope


@pytest.fixture
def family(db, client):
    citizen, space = citizen_with_space(first_name="Camille", last_name="Martin")
    relative, _own = citizen_with_space(first_name="Jean", last_name="Dupont")
    return dict(citizen=citizen, space=space, relative=relative)


def _invite(client, space, email, scopes=("documents.read", "agenda.read")):
    return client.submit(space_path(space, "/parametres/aidants/inviter"),
                         {"email": email, "scopes": list(scopes)})


def _invitation(family, scopes=("documents.read",)):
    """The citizen invites her relative from her space (the real action)."""
    citizen, space = family["citizen"], family["space"]
    access = Access(citizen, space, policy.grant_for(citizen, space))
    return caregivers.invite(access, family["relative"].email, scopes)


def _sign_out(client):
    client.submit("/deconnexion")


def test_invite_accept_act_and_end(client, family):
    client.sign_in(family["citizen"].email)
    _r, doc = client.page(space_path(family["space"], "/parametres/aidants/inviter"))
    assert doc.find("input", name="scopes", checked=True) is not None  # all offered by default
    r = _invite(client, family["space"], family["relative"].email)
    assert r.status_code == 303
    invitation = CaregiverInvitation.get()
    assert invitation.state() == "pending"
    assert (invitation.expires_at - invitation.created_at).days == 30
    _r, doc = client.page(space_path(family["space"], "/parametres/mandats"))
    assert family["relative"].email in doc.find("main").text  # what was typed, no name
    assert "Jean DUPONT" not in doc.find("main").text
    _sign_out(client)
    client.sign_in(family["relative"].email)
    _r, doc = client.page("/aidant")
    assert "Camille MARTIN vous demande de l'aider" in doc.text
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"})
    assert r.status_code == 303
    mandate = Mandate.get(Mandate.kind == "caregiver")
    assert mandate.state() == "active" and mandate.scope_set == {"documents.read", "agenda.read"}
    r = client.submit(f"/assistance/{mandate.reference}/ouvrir")
    assert r.headers["Location"].endswith(space_path(family["space"], "/"))
    _r, doc = client.page(space_path(family["space"], "/"))
    assert "Vous agissez pour Camille MARTIN, en tant qu'aidant." in banner(doc).text
    assert AccessLog.get(AccessLog.action == "assisted_session.start").capacity == "caregiver"
    _r, doc = client.page("/aidant")  # the caregiver's own page: nobody's space
    assert banner(doc) is None
    # the citizen ends it; the caregiver's next request is refused
    own = client.application.test_client()
    own.sign_in(family["citizen"].email)
    end = space_path(family["space"], f"/parametres/mandats/{mandate.reference}/fin")
    own.page(end)
    assert own.submit(end).status_code == 303
    assert Mandate.get_by_id(mandate.id).state() == "revoked"
    r = client.get(space_path(family["space"], "/documents"))
    assert r.status_code == 404 and "Vous ne pouvez plus agir pour" in r.text


def test_caregiver_stops_helping(client, family):
    mandate = mandate_for(family["relative"], family["space"], ["documents.read"],
                          kind="caregiver", ends_at=mandates.OPEN_END)
    client.sign_in(family["relative"].email)
    assert client.submit(f"/aidant/{mandate.reference}/arreter").status_code == 303
    assert Mandate.get_by_id(mandate.id).state() == "revoked"
    assert client.submit(f"/aidant/{mandate.reference}/arreter").status_code == 404


def test_refuse(client, family):
    invitation = _invitation(family)
    client.sign_in(family["relative"].email)
    client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "refuse"})
    assert CaregiverInvitation.get_by_id(invitation.id).state() == "refused"
    assert not Mandate.select().exists()


def test_the_invitation_tells_nothing_of_whether_the_address_has_an_account(client, family):
    client.sign_in(family["citizen"].email)
    space = family["space"]
    gone = make_user("citizen", active=False)
    unproven = make_user("citizen", email_verified_at=None)
    answers = []
    for email in ("nobody@example.org", gone.email, make_user("mediator").email,
                  unproven.email):
        r = _invite(client, space, email)
        assert r.status_code == 303
        _r, doc = client.page(r.headers["Location"])
        answers.append((r.headers["Location"], doc.find("main").text.replace(email, "@")))
        CaregiverInvitation.update(cancelled_at=utcnow()).execute()  # a place for the next
    assert len(set(answers)) == 1  # the same page, whatever the address
    assert "vous-même" in _invite(client, space, family["citizen"].email).text


def test_only_the_account_that_proved_the_address_sees_and_answers(client, family):
    unproven = make_user("citizen", email_verified_at=None)
    citizen, space = family["citizen"], family["space"]
    access = Access(citizen, space, policy.grant_for(citizen, space))
    invitation = caregivers.invite(access, unproven.email, ["documents.read"])
    assert not policy.invitations_to_help(unproven).exists()
    client.sign_in(unproven.email)
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"})
    assert r.status_code == 404 and not Mandate.select().exists()
    # once the address is proven (the code sent to it), the invitation is theirs
    unproven.email_verified_at = utcnow()
    unproven.save()
    assert policy.invitations_to_help(unproven).count() == 1
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"})
    assert r.status_code == 303
    assert Mandate.get().holder_id == unproven.id
    assert CaregiverInvitation.get_by_id(invitation.id).invitee_id == unproven.id


def test_at_most_three_caregivers_per_citizen(client, family):
    client.sign_in(family["citizen"].email)
    space = family["space"]
    for _ in range(3):
        assert _invite(client, space, make_user("citizen").email).status_code == 303
    r = _invite(client, space, make_user("citizen").email)
    assert r.status_code == 200 and "déjà 3 aidants" in r.text
    # an expired invitation frees a place
    CaregiverInvitation.update(expires_at=utcnow() - dt.timedelta(seconds=1)).where(
        CaregiverInvitation.id == CaregiverInvitation.select().first().id).execute()
    assert _invite(client, space, make_user("citizen").email).status_code == 303


def test_at_most_five_helped_per_caregiver(client, family):
    for _ in range(5):
        _c, space = citizen_with_space()
        mandate_for(family["relative"], space, ["documents.read"], kind="caregiver",
                    ends_at=mandates.OPEN_END)
    client.sign_in(family["citizen"].email)
    r = _invite(client, family["space"], family["relative"].email)
    assert r.status_code == 303  # the inviter is not told: the limit is checked on accepting
    invitation = CaregiverInvitation.get()
    _sign_out(client)
    client.sign_in(family["relative"].email)
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"},
                      follow_redirects=True)
    assert "déjà 5 proches" in r.text
    assert CaregiverInvitation.get_by_id(invitation.id).state() == "pending"


def test_pending_invitation_expires_after_30_days(client, family):
    invitation = _invitation(family)
    assert invitation.state(utcnow() + dt.timedelta(days=29)) == "pending"
    assert invitation.state(utcnow() + dt.timedelta(days=30, seconds=1)) == "expired"
    invitation.expires_at = utcnow() - dt.timedelta(seconds=1)
    invitation.save()
    client.sign_in(family["relative"].email)
    r = client.submit(f"/aidant/invitations/{invitation.id}/reponse", {"answer": "accept"})
    assert r.status_code == 404 and not Mandate.select().exists()


def test_citizen_cancels_a_pending_invitation(client, family):
    invitation = _invitation(family)
    other, other_space = citizen_with_space()
    client.sign_in(other.email)  # someone else's invitation: not found, from either space
    path = f"/parametres/aidants/invitations/{invitation.id}/annuler"
    assert client.submit(space_path(other_space, path)).status_code == 404
    assert client.submit(space_path(family["space"], path)).status_code == 404
    assert CaregiverInvitation.get_by_id(invitation.id).state() == "pending"
    _sign_out(client)
    client.sign_in(family["citizen"].email)
    assert client.submit(space_path(family["space"], path)).status_code == 303
    assert CaregiverInvitation.get_by_id(invitation.id).state() == "cancelled"


def test_caregiver_cannot_change_sharing_or_contact_details(family):
    mandate_for(family["relative"], family["space"], [str(s) for s in Scope],
                kind="caregiver", ends_at=mandates.OPEN_END)
    grant = policy.grant_for(family["relative"], family["space"])
    for scope in (Scope.PRIVACY, Scope.SETTINGS_WRITE, Scope.DOCUMENTS_MANAGE,
                  Scope.PROFILE_WRITE):
        assert not grant.allows(scope)
    assert grant.allows(Scope.MESSAGES_REPLY) and grant.allows(Scope.AGENDA_WRITE)


def test_messages_are_stamped_as_written_by_the_caregiver(app, client, family):
    pro = make_user("professional")
    conversation = Conversation.create(space=family["space"], professional=pro,
                                       subject="Résultats")
    Message.create(conversation=conversation, author=pro, author_capacity="professional",
                   body="Bonjour")
    mandate = mandate_for(family["relative"], family["space"],
                          ["messages.read", "messages.reply"], kind="caregiver",
                          ends_at=mandates.OPEN_END)
    client.sign_in(family["relative"].email)
    client.submit(f"/assistance/{mandate.reference}/ouvrir")
    thread = space_path(family["space"], f"/messages/{conversation.id}")
    r = client.submit(f"{thread}/repondre", {"body": "Merci, je transmets."})
    assert r.status_code == 303, r.text[:1000]
    reply = Message.select().order_by(Message.id.desc()).get()
    assert reply.author_id == family["relative"].id and reply.author_capacity == "caregiver"
    _r, doc = client.page(thread)
    assert "Jean DUPONT" in doc.find("main").text
