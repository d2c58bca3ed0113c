"""A minor's second legal representative: invited by the first, accepts or refuses from an
active account; rights end on the child's 18th birthday."""

import datetime as dt

import pytest

from tests.helpers import make_child, make_space, make_user, parse
from webapp import policy
from webapp.models.notifications import Outbox
from webapp.models.privacy import GuardianInvitation
from webapp.models.spaces import Guardianship


@pytest.fixture
def family(db, client):
    parent = make_user()
    make_space(parent)
    child = make_child(parent, dt.date(2016, 4, 2), first_name="Léo")
    second = make_user(email="second@example.org")
    client.sign_in(parent.email)
    with client.session_transaction() as s:
        s["space_id"] = child.id
    return dict(parent=parent, child=child, second=second)


def test_invite_then_accept(app, client, family):
    _r, doc = client.page("/representants")
    assert doc.find("form", action="/representants") is not None
    response = client.submit("/representants", {"email": "Second@example.org"})
    assert response.status_code == 303
    invitation = GuardianInvitation.get()
    assert invitation.email == "second@example.org"
    assert Outbox.select().where((Outbox.recipient == family["second"])
                                 & (Outbox.template == "guardian_invitation")).exists()
    other = app.test_client()
    other.sign_in(family["second"].email)
    _r, doc = other.page("/representants/invitations")
    assert "Léo" in doc.find("main").text
    assert other.submit(f"/representants/invitations/{invitation.id}/accepter").status_code == 303
    grant = policy.grant_for(family["second"], family["child"])
    assert grant.capacity == "guardian"
    assert family["second"] in policy.holders_of(family["child"])
    _r, doc = client.page("/representants")
    assert doc.find("form", action="/representants") is None  # two representatives now


def test_refuse(app, client, family):
    client.submit("/representants", {"email": "second@example.org"})
    invitation = GuardianInvitation.get()
    other = app.test_client()
    other.sign_in(family["second"].email)
    assert other.submit(f"/representants/invitations/{invitation.id}/refuser").status_code == 303
    assert policy.grant_for(family["second"], family["child"]) is None
    assert other.submit(f"/representants/invitations/{invitation.id}/accepter").status_code == 404


def test_only_the_invited_address_can_accept(app, client, family):
    client.submit("/representants", {"email": "second@example.org"})
    invitation = GuardianInvitation.get()
    intruder = app.test_client()
    intruder.sign_in(make_user().email)
    assert intruder.submit(
        f"/representants/invitations/{invitation.id}/accepter").status_code == 404
    assert not Guardianship.select().where(Guardianship.child == family["child"]).count() > 1


def test_cannot_invite_oneself_and_errors_are_shown(client, family):
    response = client.submit("/representants", {"email": family["parent"].email})
    assert response.status_code == 200
    assert parse(response.text).by_id("email-error") is not None
    response = client.submit("/representants", {"email": "pas-une-adresse"})
    assert parse(response.text).by_id("email").get("value") == "pas-une-adresse"


def test_an_adult_space_cannot_invite(client, family):
    with client.session_transaction() as s:
        s.pop("space_id")
    _r, doc = client.page("/representants")
    assert doc.find("form", action="/representants") is None
    assert client.submit("/representants", {"email": "x@example.org"}).status_code == 404


def test_invitation_cannot_be_accepted_once_the_child_is_adult(app, client, family):
    client.submit("/representants", {"email": "second@example.org"})
    invitation = GuardianInvitation.get()
    family["child"].birth_date = dt.date(2000, 1, 1)
    family["child"].save()
    other = app.test_client()
    other.sign_in(family["second"].email)
    assert other.submit(f"/representants/invitations/{invitation.id}/accepter").status_code == 404


def test_anonymous_and_other_roles(client, db):
    assert client.get("/representants/invitations").status_code == 302
    client.sign_in(make_user("professional").email)
    assert client.get("/representants/invitations").status_code == 404
    assert client.get("/representants").status_code == 404
