"""A minor's second legal representative: invited by the first, accepts or refuses from the
account that proved the invited address (each answer logged in the child's history and
announced); rights end on the child's 18th birthday."""

import datetime as dt

import pytest

from tests.helpers import logged, make_child, make_space, make_user, parse, space_path
from webapp import policy, signals
from webapp.models.notifications import Outbox
from webapp.models.privacy import GuardianInvitation
from webapp.models.spaces import Guardianship


@pytest.fixture
def family(db, client):
    parent = make_user()
    own = make_space(parent)
    child = make_child(parent, dt.date(2016, 4, 2), first_name="Léo")
    second = make_user(email="second@example.org")
    client.sign_in(parent.email)
    return dict(parent=parent, own=own, child=child, second=second,
                page=space_path(child, "/representants"))


def _invite(client, family, email="second@example.org"):
    response = client.submit(family["page"], {"email": email})
    assert response.status_code == 303
    return GuardianInvitation.get(GuardianInvitation.email == email)


def _invitee(app, family, user=None):
    other = app.test_client()
    other.sign_in((user or family["second"]).email)
    return other


def test_invite_then_accept(app, client, family):
    _r, doc = client.page(family["page"])
    assert doc.find("form", action=family["page"]) is not None
    response = client.submit(family["page"], {"email": "Second@example.org"})
    assert response.status_code == 303 and response.headers["Location"].endswith(family["page"])
    invitation = GuardianInvitation.get()
    assert invitation.email == "second@example.org"
    assert invitation.child_id == family["child"].id
    assert logged(invitation, action="guardians.invite", space=family["child"].id,
                  actor=family["parent"].id).exists()
    assert Outbox.select().where((Outbox.recipient == family["second"])
                                 & (Outbox.template == "guardian_invitation")).exists()
    other = _invitee(app, family)
    _r, doc = other.page("/representants/invitations")
    assert "Léo" in doc.find("main").text
    assert "2016" not in doc.find("main").text  # the birth date is asked, never shown
    response = other.submit(f"/representants/invitations/{invitation.id}/accepter",
                            {f"i{invitation.id}-birth_date": "02/04/2016"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(space_path(family["child"], "/"))
    grant = policy.grant_for(family["second"], family["child"])
    assert grant.capacity == "guardian"
    assert family["second"] in policy.holders_of(family["child"])
    assert logged(invitation, action="guardians.accept", actor=family["second"].id).exists()
    assert Outbox.select().where((Outbox.recipient == family["parent"])
                                 & (Outbox.template == "guardian_accepted")).exists()
    other.page(space_path(family["child"], "/"))
    _r, doc = client.page(family["page"])
    assert doc.find("form", action=family["page"]) is None  # two representatives now


def test_refuse(app, client, family):
    invitation = _invite(client, family)
    refused = []

    def receiver(sender):
        refused.append(sender)

    signals.guardian_refused.connect(receiver)
    try:
        other = _invitee(app, family)
        response = other.submit(f"/representants/invitations/{invitation.id}/refuser")
    finally:
        signals.guardian_refused.disconnect(receiver)
    assert response.status_code == 303
    assert [r.id for r in refused] == [invitation.id]
    assert GuardianInvitation.get_by_id(invitation.id).refused_at is not None
    assert logged(invitation, "refused", action="guardians.invite",
                  actor=family["second"].id, space=family["child"].id).exists()
    assert Outbox.select().where((Outbox.recipient == family["parent"])
                                 & (Outbox.template == "guardian_refused")).exists()
    assert policy.grant_for(family["second"], family["child"]) is None
    assert other.submit(f"/representants/invitations/{invitation.id}/accepter").status_code == 404
    assert other.submit(f"/representants/invitations/{invitation.id}/refuser").status_code == 404
    _r, doc = client.page(space_path(family["child"], "/historique"))
    assert "Refus d'une invitation de représentant légal" in doc.find("main").text


def test_only_the_invited_address_can_accept(app, client, family):
    invitation = _invite(client, family)
    intruder = _invitee(app, family, make_user())
    assert intruder.submit(
        f"/representants/invitations/{invitation.id}/accepter").status_code == 404
    assert intruder.submit(
        f"/representants/invitations/{invitation.id}/refuser").status_code == 404
    assert Guardianship.select().where(Guardianship.child == family["child"]).count() == 1
    assert GuardianInvitation.get_by_id(invitation.id).refused_at is None


def test_an_account_that_never_proved_the_invited_address_cannot_take_it(app, client, family):
    """Someone who activated a space with the invited address, but never typed the code
    sent to it, neither sees nor answers the invitation, and gets no e-mail about it."""
    squatter = make_user(email="pris@example.org", email_verified_at=None)
    invitation = _invite(client, family, "pris@example.org")
    assert not Outbox.select().where(Outbox.recipient == squatter).exists()
    other = _invitee(app, family, squatter)
    _r, doc = other.page("/representants/invitations")
    assert "Léo" not in doc.find("main").text
    url = f"/representants/invitations/{invitation.id}/accepter"
    assert other.submit(url, {f"i{invitation.id}-birth_date": "02/04/2016"}).status_code == 404
    assert other.submit(f"/representants/invitations/{invitation.id}/refuser").status_code == 404
    assert policy.grant_for(squatter, family["child"]) is None
    squatter.email_verified_at = dt.datetime(2026, 1, 1)  # the code sent to it was typed
    squatter.save()
    assert other.submit(url, {f"i{invitation.id}-birth_date": "02/04/2016"}).status_code == 303
    assert policy.grant_for(squatter, family["child"]) is not None


def test_cannot_invite_oneself_and_errors_are_shown(client, family):
    response = client.submit(family["page"], {"email": family["parent"].email})
    assert response.status_code == 200
    assert parse(response.text).by_id("email-error") is not None
    response = client.submit(family["page"], {"email": "pas-une-adresse"})
    assert parse(response.text).by_id("email").get("value") == "pas-une-adresse"
    assert not GuardianInvitation.select().exists()


def test_a_third_representative_cannot_be_invited(client, family):
    Guardianship.create(guardian=family["second"], child=family["child"])
    _r, doc = client.page(family["page"])
    assert doc.find("form", action=family["page"]) is None
    response = client.submit(family["page"], {"email": "troisieme@example.org"})
    assert response.status_code == 200
    assert "déjà deux représentants" in parse(response.text).by_id("email-error").text
    assert not GuardianInvitation.select().exists()


def test_an_adult_space_cannot_invite(client, family):
    own = space_path(family["own"], "/representants")
    _r, doc = client.page(own)
    assert doc.find("form", action=own) is None
    assert client.submit(own, {"email": "x@example.org"}).status_code == 404
    assert not GuardianInvitation.select().exists()


def test_another_citizen_cannot_invite_for_the_child(app, client, family):
    stranger = _invitee(app, family, make_user())
    assert stranger.get(family["page"]).status_code == 404
    assert stranger.submit(family["page"], {"email": "x@example.org"}).status_code == 404
    assert not GuardianInvitation.select().exists()


def test_invitation_cannot_be_accepted_once_the_child_is_adult(app, client, family):
    invitation = _invite(client, family)
    family["child"].birth_date = dt.date(2000, 1, 1)
    family["child"].save()
    other = _invitee(app, family)
    assert other.submit(f"/representants/invitations/{invitation.id}/accepter",
                        {f"i{invitation.id}-birth_date": "01/01/2000"}).status_code == 404
    assert GuardianInvitation.get_by_id(invitation.id).accepted_at is None
    assert not logged(invitation, action="guardians.accept").exists()


def test_invitation_cannot_be_accepted_when_two_already_represent_the_child(app, client, family):
    invitation = _invite(client, family)
    Guardianship.create(guardian=make_user(), child=family["child"])
    other = _invitee(app, family)
    assert other.submit(f"/representants/invitations/{invitation.id}/accepter",
                        {f"i{invitation.id}-birth_date": "02/04/2016"}).status_code == 404
    assert policy.grant_for(family["second"], family["child"]) is None


def test_anonymous_and_other_roles(client, family):
    client.submit("/deconnexion")
    assert client.get("/representants/invitations").status_code == 302
    assert client.get(family["page"]).status_code == 302
    client.sign_in(make_user("professional").email)
    assert client.get("/representants/invitations").status_code == 404
    assert client.get(family["page"]).status_code == 404


def test_old_bookmark_lands_on_ones_own_space(client, family):
    response = client.get("/representants")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(space_path(family["own"], "/representants"))


def test_accepting_asks_the_childs_birth_date_and_keeps_what_was_typed(app, client, family):
    """Whoever holds the invited address must also know what the inviter knows."""
    invitation = _invite(client, family)
    other = _invitee(app, family)
    field = f"i{invitation.id}-birth_date"
    url = f"/representants/invitations/{invitation.id}/accepter"
    for typed, error in (("", "Saisissez la date"), ("le 2 avril", "JJ/MM/AAAA"),
                         ("03/04/2016", "pas la date de naissance")):
        response = other.submit(url, {field: typed})
        assert response.status_code == 200
        doc = parse(response.text)
        assert error in doc.by_id(f"{field}-error").text
        assert doc.find("div", class_="error-summary") is not None
        assert doc.by_id(field).get("value", "") == typed
    assert policy.grant_for(family["second"], family["child"]) is None
    assert not logged(invitation, action="guardians.accept").exists()


def test_wrong_birth_dates_are_limited(app, client, family):
    invitation = _invite(client, family)
    other = _invitee(app, family)
    field = f"i{invitation.id}-birth_date"
    url = f"/representants/invitations/{invitation.id}/accepter"
    for _ in range(5):
        other.submit(url, {field: "01/01/2015"})
    response = other.submit(url, {field: "02/04/2016"})  # right, but too late for now
    assert "Trop de dates incorrectes" in parse(response.text).by_id(f"{field}-error").text
    assert policy.grant_for(family["second"], family["child"]) is None
