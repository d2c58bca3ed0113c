"""My account: e-mail change confirmed by a code sent to the new address; password change
with the current password, ending every other session; closing and reopening the space."""

import datetime as dt
import json

import pytest

from tests.helpers import PASSWORD, PageClient, make_child, make_space, make_user, parse, space_path
from webapp.models.accounts import User, UserSession
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.privacy import Closure
from webapp.models.spaces import Space


@pytest.fixture
def owner(db, client):
    user = make_user(email="moi@example.org")
    make_space(user)
    client.sign_in(user.email)
    return user


def _code():
    row = Outbox.select().where(Outbox.template == "email_change_code").order_by(
        Outbox.id.desc()).first()
    params = json.loads(row.params)
    return row, params


def test_change_email_with_a_code_sent_to_the_new_address(client, owner):
    client.page("/compte/email")
    response = client.submit("/compte/email", {"email": "Nouveau@example.org",
                                               "password": PASSWORD})
    assert response.status_code == 303
    row, params = _code()
    assert params["to"] == "nouveau@example.org" and len(params["code"]) == 6
    assert User.get_by_id(owner.id).email == "moi@example.org"  # not before the code
    client.page("/compte/email/confirmer")
    wrong = "000000" if params["code"] != "000000" else "111111"
    response = client.submit("/compte/email/confirmer", {"code": wrong})
    assert response.status_code == 200 and parse(response.text).by_id("code-error")
    response = client.submit("/compte/email/confirmer", {"code": params["code"]})
    assert response.status_code == 303
    assert User.get_by_id(owner.id).email == "nouveau@example.org"
    assert client.get("/compte/email/confirmer").status_code == 302  # code used


def test_email_change_needs_the_password_and_tells_nothing_of_a_taken_address(client, owner):
    taken = make_user(email="pris@example.org")
    response = client.submit("/compte/email", {"email": "x@example.org", "password": "faux"})
    assert parse(response.text).by_id("password-error") is not None
    free = client.submit("/compte/email", {"email": "libre@example.org", "password": PASSWORD})
    response = client.submit("/compte/email", {"email": "pris@example.org",
                                               "password": PASSWORD})
    # the same answer as for a free address: nothing says the address has an account...
    assert response.status_code == free.status_code == 303
    assert response.headers["Location"] == free.headers["Location"]
    # ...no code goes to it, and only its owner is told, by e-mail
    codes = Outbox.select().where(Outbox.template == "email_change_code")
    assert [json.loads(r.params)["to"] for r in codes] == ["libre@example.org"]
    assert Outbox.select().where((Outbox.template == "email_address_taken")
                                 & (Outbox.recipient == taken)).exists()


def test_too_many_wrong_codes_cancel_the_change(client, owner):
    client.submit("/compte/email", {"email": "n@example.org", "password": PASSWORD})
    _row, params = _code()
    wrong = "000000" if params["code"] != "000000" else "111111"
    for _ in range(5):
        response = client.submit("/compte/email/confirmer", {"code": wrong})
    assert response.status_code == 303
    assert client.submit("/compte/email/confirmer", {"code": params["code"]}).status_code == 302
    assert User.get_by_id(owner.id).email == "moi@example.org"


def test_change_password_ends_every_other_session(app, client, owner):
    other = app.test_client()
    assert isinstance(other, PageClient)
    other.sign_in(owner.email)
    assert other.get("/compte").status_code == 200
    response = client.submit("/compte/mot-de-passe", {
        "current": "faux", "password": "nouveau mot de passe", "confirm": "nouveau mot de passe"})
    assert parse(response.text).by_id("current-error") is not None
    response = client.submit("/compte/mot-de-passe", {
        "current": PASSWORD, "password": "nouveau mot de passe",
        "confirm": "nouveau mot de passe"})
    assert response.status_code == 303
    assert client.get("/compte").status_code == 200  # this session goes on
    assert other.get("/compte").status_code == 302  # the other one has ended
    assert UserSession.live().where(UserSession.user == owner).count() == 1
    client.submit("/deconnexion")
    client.sign_in(owner.email, password="nouveau mot de passe")


def test_the_account_page_links_to_ones_own_space(client, owner):
    space = Space.get(Space.owner == owner)
    _r, doc = client.page("/compte")
    assert doc.find("a", href=space_path(space, "/export")) is not None
    assert doc.find("a", href=space_path(space, "/fermer")) is not None


def test_the_account_page_of_a_parent_without_a_space_of_their_own(client, db):
    parent = make_user()
    make_child(parent, dt.date(2016, 1, 1))
    client.sign_in(parent.email)
    _r, doc = client.page("/compte")
    assert doc.find("a", href="/compte/email") is not None
    assert not [a for a in doc.find_all("a") if a.get("href", "").endswith("/fermer")]


def test_close_then_reopen(client, owner):
    space = Space.get(Space.owner == owner)
    close = space_path(space, "/fermer")
    _r, doc = client.page(close)
    assert "10 ans" in doc.find("main").text
    response = client.submit(close, {"keep": "archive", "password": PASSWORD})
    assert response.status_code == 200
    assert parse(response.text).by_id("confirm-error") is not None
    response = client.submit(close, {"keep": "archive", "password": "faux", "confirm": "y"})
    assert parse(response.text).by_id("password-error") is not None
    assert Space.get_by_id(space.id).state == "active"
    response = client.submit(close, {"keep": "archive", "password": PASSWORD, "confirm": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/compte/rouvrir")
    assert Space.get_by_id(space.id).state == "closed"
    assert client.get(space_path(space, "/documents")).status_code == 404
    assert client.get(close).status_code == 404
    _r, doc = client.page("/compte/rouvrir")
    assert doc.find("form", action="/compte/rouvrir") is not None
    response = client.submit("/compte/rouvrir")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(space_path(space, "/"))
    assert Space.get_by_id(space.id).state == "active"
    client.page(space_path(space, "/documents"))
    actions = [e.action for e in AccessLog.select().where(AccessLog.space == space)]
    assert "account.close" in actions and "account.reopen" in actions


def test_close_with_deletion_then_purge(app, client, owner):
    space = Space.get(Space.owner == owner)
    client.submit(space_path(space, "/fermer"), {"keep": "delete", "password": PASSWORD,
                                                 "confirm": "y"})
    assert Closure.get(Closure.space == space).deletion_requested
    _r, doc = client.page("/compte/rouvrir")
    assert doc.find("form", action="/compte/rouvrir") is None
    assert client.submit("/compte/rouvrir").status_code == 404
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0 and "Purged 1 space" in result.output
    assert Space.get_or_none(Space.id == space.id) is None


def test_a_guardian_cannot_close_a_child_space(client, owner):
    child = make_child(owner, dt.date(2016, 1, 1))
    close = space_path(child, "/fermer")
    _r, doc = client.page(close)
    assert doc.find("form", action=close) is None
    assert "Seul le titulaire" in doc.find("main").text
    client.submit(close, {"keep": "archive", "password": PASSWORD, "confirm": "y"})
    assert Space.get_by_id(child.id).state == "active"
    assert not Closure.select().exists()


@pytest.mark.parametrize("role", ["professional", "mediator", "admin"])
def test_account_pages_are_for_citizens(client, db, role):
    space = make_space(make_user())
    client.sign_in(make_user(role).email)
    for url in ("/compte", "/compte/email", "/compte/mot-de-passe", "/compte/rouvrir",
                space_path(space, "/fermer"), space_path(space, "/export")):
        assert client.get(url).status_code == 404, url
    assert client.submit(space_path(space, "/fermer"), {
        "keep": "archive", "password": PASSWORD, "confirm": "y"}).status_code == 404
    assert Space.get_by_id(space.id).state == "active"


def test_another_citizen_cannot_close_a_space(client, owner):
    other = make_space(make_user())
    response = client.submit(space_path(other, "/fermer"), {
        "keep": "archive", "password": PASSWORD, "confirm": "y"})
    assert response.status_code == 404
    assert Space.get_by_id(other.id).state == "active" and not Closure.select().exists()


def test_anonymous_goes_to_sign_in(client, db):
    space = make_space(make_user())
    for url in ("/compte", space_path(space, "/export"), space_path(space, "/fermer")):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
