"""Professionals' access (list, block, unblock: a blocked professional is refused
everywhere, and it is logged) and the three emergency switches."""

import pytest
from werkzeug.exceptions import NotFound

from tests.helpers import make_space, make_user, parse
from webapp import policy
from webapp.models.audit import AccessLog
from webapp.models.privacy import EmergencySettings
from webapp.models.spaces import Block, CareRelation
from webapp.policy import Scope


@pytest.fixture
def world(db, client):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional", first_name="Paul", last_name="Bernard")
    CareRelation.create(professional=pro, space=space)
    visitor = make_user("professional", first_name="Iris", last_name="Vu")
    AccessLog.append(space=space, actor=visitor, actor_name=visitor.display_name,
                     capacity="professional", action="documents.read", allowed=True)
    client.sign_in(owner.email)
    return dict(owner=owner, space=space, pro=pro, visitor=visitor)


def test_lists_professionals_from_care_team_and_log(client, world):
    _r, doc = client.page("/confidentialite/professionnels")
    main = doc.find("main").text
    assert "Paul BERNARD" in main and "Iris VU" in main
    assert "Dernier accès" in main and "Aucun accès enregistré" in main


def test_block_then_unblock_without_javascript(client, world):
    pro = world["pro"]
    response = client.submit(f"/confidentialite/professionnels/{pro.id}/bloquer")
    assert response.status_code == 303
    assert Block.select().where(Block.professional == pro).exists()
    _r, doc = client.page("/confidentialite/professionnels")
    assert "Bloqué" in doc.by_id(f"pro-{pro.id}").text
    assert AccessLog.select().where(AccessLog.action == "privacy.block").exists()
    client.submit(f"/confidentialite/professionnels/{pro.id}/debloquer")
    assert not Block.select().exists()
    assert policy.grant_for(pro, world["space"]).capacity == "professional"


def test_block_with_htmx_returns_the_fragment_and_announces(client, world):
    pro = world["pro"]
    response = client.submit(f"/confidentialite/professionnels/{pro.id}/bloquer",
                             headers={"HX-Request": "true"})
    assert response.status_code == 200
    doc = parse(response.text)
    assert doc.find("h1") is None and doc.by_id("professionals") is not None
    assert "est bloqué" in doc.by_id("live").text


def test_cannot_block_an_unrelated_professional(client, world):
    stranger = make_user("professional")
    response = client.submit(f"/confidentialite/professionnels/{stranger.id}/bloquer")
    assert response.status_code == 404
    assert not Block.select().exists()


SCOPES = [Scope.DOCUMENTS_READ, Scope.PROFILE_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_WRITE,
          Scope.MESSAGES_REPLY, Scope.AGENDA_WRITE]


@pytest.mark.parametrize("scope", SCOPES)
def test_blocked_professional_refused_and_logged(app, world, scope):
    Block.create(space=world["space"], professional=world["pro"])
    with app.test_request_context("/"):
        with pytest.raises(NotFound):
            policy.authorize(world["pro"], world["space"], scope)
    last = AccessLog.select().order_by(AccessLog.id.desc()).first()
    assert last.actor_id == world["pro"].id and not last.allowed and last.action == scope


def test_blocked_professional_gets_404_on_the_pages(app, client, world):
    pro = world["pro"]
    client.submit(f"/confidentialite/professionnels/{pro.id}/bloquer")
    client.submit("/deconnexion")
    client.sign_in(pro.email)
    with client.session_transaction() as s:
        s["space_id"] = world["space"].id
    urls = [u for u, endpoint in (("/documents", "documents.index"),
                                  ("/profil", "profile.index"),
                                  ("/documents/ajouter", "documents.add"))
            if endpoint in app.view_functions]
    for url in urls:
        with client.session_transaction() as s:
            s["space_id"] = world["space"].id
        assert client.get(url).status_code == 404, url
    refused = AccessLog.select().where((AccessLog.actor == pro) & ~AccessLog.allowed)
    assert refused.count() == len(urls)


def test_emergency_switches(client, world):
    _r, doc = client.page("/confidentialite/urgence")
    assert doc.by_id("ems_allowed").get("checked") is not None
    assert doc.by_id("hidden_readable").get("checked") is None
    response = client.submit("/confidentialite/urgence", {"ems_allowed": "y",
                                                            "hidden_readable": "y"})
    assert response.status_code == 303
    settings = EmergencySettings.get(EmergencySettings.space == world["space"])
    assert settings.ems_allowed and not settings.break_glass_allowed and settings.hidden_readable
    assert AccessLog.select().where(AccessLog.action == "privacy.emergency").exists()


@pytest.mark.parametrize("who", ["other_citizen", "pro", "mediator", "anonymous"])
def test_privacy_pages_refused_to_others(client, world, who):
    client.submit("/deconnexion")
    if who == "anonymous":
        response = client.get("/confidentialite/professionnels")
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
        return
    user = {"pro": world["pro"], "mediator": make_user("mediator")}.get(who) or make_user()
    if who == "other_citizen":
        make_space(user)
    if who == "mediator":
        import datetime as dt

        from webapp.db import utcnow
        from webapp.models.mandates import Mandate
        Mandate.create(space=world["space"], holder=user, kind="mediator",
                       scopes="settings.read settings.write privacy",
                       ends_at=utcnow() + dt.timedelta(hours=1))
    client.sign_in(user.email)
    with client.session_transaction() as s:
        s["space_id"] = world["space"].id
    target = world["visitor"].id
    response = client.submit(f"/confidentialite/professionnels/{target}/bloquer")
    assert response.status_code == 404
    assert client.get("/confidentialite/urgence").status_code in (404,) or who == "other_citizen"
    assert not Block.select().exists()
