"""Professionals' access (list, block, unblock: a blocked professional is refused
everywhere, and it is logged) and the three emergency switches."""

import pytest
from werkzeug.exceptions import NotFound

from tests.helpers import give_mandate, logged, make_space, make_user, parse, space_path
from webapp import audit, policy
from webapp.access import Access
from webapp.audit import Action
from webapp.models.audit import AccessLog
from webapp.models.privacy import EmergencySettings
from webapp.models.spaces import Block, CareRelation
from webapp.pro.professions import Profession, Specialty
from webapp.scopes import Capacity, Scope


def _pro(**fields):
    return make_user("professional", profession=Profession.MEDECIN,
                     specialty=Specialty.MEDECINE_GENERALE, **fields)


@pytest.fixture
def world(db, client):
    owner = make_user()
    space = make_space(owner)
    pro = _pro(first_name="Paul", last_name="Bernard")
    CareRelation.create(professional=pro, space=space)
    visitor = _pro(first_name="Iris", last_name="Vu")
    audit.write(space, action=Action.DOCUMENTS_READ, capacity=Capacity.PROFESSIONAL,
                actor=visitor)
    client.sign_in(owner.email)
    return dict(owner=owner, space=space, pro=pro, visitor=visitor,
                pros=space_path(space, "/confidentialite/professionnels"),
                emergency=space_path(space, "/confidentialite/urgence"))


def test_lists_professionals_from_care_team_and_log(client, world):
    _r, doc = client.page(world["pros"])
    main = doc.find("main").text
    assert "Paul BERNARD" in main and "Iris VU" in main
    assert "Dernier accès" in main and "Aucun accès enregistré" in main
    assert "Médecin (Médecine générale)" in doc.by_id(f"pro-{world['pro'].id}").text


def test_block_then_unblock_without_javascript(client, world):
    pro = world["pro"]
    response = client.submit(f"{world['pros']}/{pro.id}/bloquer")
    assert response.status_code == 303 and response.headers["Location"].endswith(world["pros"])
    assert Block.select().where(Block.professional == pro).exists()
    _r, doc = client.page(world["pros"])
    assert "Bloqué" in doc.by_id(f"pro-{pro.id}").text
    assert logged(pro, action="privacy.block", space=world["space"].id).exists()
    client.submit(f"{world['pros']}/{pro.id}/debloquer")
    assert not Block.select().exists()
    assert logged(pro, action="privacy.unblock").exists()
    assert policy.grant_for(pro, world["space"]).capacity == "professional"


def test_block_with_htmx_returns_the_fragment_and_announces(client, world):
    pro = world["pro"]
    response = client.submit(f"{world['pros']}/{pro.id}/bloquer", headers={"HX-Request": "true"})
    assert response.status_code == 200
    doc = parse(response.text)
    assert doc.find("h1") is None and doc.by_id("professionals") is not None
    assert "est bloqué" in doc.by_id("live").text
    form = doc.find("form", action=f"{world['pros']}/{pro.id}/debloquer")
    assert form is not None and form.get("hx-post") == form.get("action")


def test_cannot_block_an_unrelated_professional(client, world):
    stranger = _pro()
    response = client.submit(f"{world['pros']}/{stranger.id}/bloquer")
    assert response.status_code == 404
    assert not Block.select().exists()


SCOPES = [Scope.DOCUMENTS_READ, Scope.PROFILE_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_WRITE,
          Scope.MESSAGES_REPLY, Scope.AGENDA_WRITE]


@pytest.mark.parametrize("scope", SCOPES)
def test_blocked_professional_refused_and_logged(app, world, scope):
    Block.create(space=world["space"], professional=world["pro"])
    with app.test_request_context("/"):
        access = Access.open(world["pro"], world["space"].ref)
        with pytest.raises(NotFound):
            access.require(scope)
        access.flush()
    last = AccessLog.select().order_by(AccessLog.id.desc()).first()
    assert last.actor_id == world["pro"].id and not last.allowed and last.action == scope


def test_blocked_professional_gets_404_on_the_pages(client, world):
    pro = world["pro"]
    client.submit(f"{world['pros']}/{pro.id}/bloquer")
    client.submit("/deconnexion")
    client.sign_in(pro.email)
    urls = [space_path(world["space"], path) for path in
            ("/documents", "/profil", "/documents/ajouter", "/")]
    for url in urls:
        assert client.get(url).status_code == 404, url
    refused = AccessLog.select().where((AccessLog.actor == pro) & ~AccessLog.allowed)
    assert refused.count() == len(urls)
    _r, doc = client.page("/")  # nor is the patient on their list any more
    assert world["space"].display_name not in doc.find("main").text


def test_emergency_switches(client, world):
    _r, doc = client.page(world["emergency"])
    assert doc.by_id("ems_allowed").get("checked") is not None
    assert doc.by_id("hidden_readable").get("checked") is None
    response = client.submit(world["emergency"], {"ems_allowed": "y", "hidden_readable": "y"})
    assert response.status_code == 303
    settings = EmergencySettings.get(EmergencySettings.space == world["space"])
    assert settings.ems_allowed and not settings.break_glass_allowed and settings.hidden_readable
    assert logged(settings, "ems=1 glass=0 hidden=1", action="privacy.emergency").exists()
    _r, doc = client.page(world["emergency"])
    assert doc.by_id("break_glass_allowed").get("checked") is None


@pytest.mark.parametrize("who", ["other_citizen", "pro", "mediator", "anonymous"])
def test_privacy_pages_refused_to_others(client, world, who):
    client.submit("/deconnexion")
    target = world["visitor"].id
    if who == "anonymous":
        response = client.get(world["pros"])
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
        response = client.submit(f"{world['pros']}/{target}/bloquer")
        assert response.status_code == 303 and not Block.select().exists()
        return
    user = {"pro": world["pro"], "mediator": make_user("mediator")}.get(who) or make_user()
    if who == "other_citizen":
        make_space(user)
    if who == "mediator":
        give_mandate(user, world["space"], "settings.read settings.write privacy")
    client.sign_in(user.email)
    assert client.submit(f"{world['pros']}/{target}/bloquer").status_code == 404
    assert client.get(world["pros"]).status_code == 404
    assert client.get(world["emergency"]).status_code == 404
    assert client.submit(world["emergency"], {"ems_allowed": "y"}).status_code == 404
    assert not Block.select().exists()
    assert not EmergencySettings.select().exists()


def test_a_forged_address_is_not_found_and_writes_nothing(client, world):
    other_owner = make_user()
    other = make_space(other_owner)
    before = AccessLog.select().where(AccessLog.space == other).count()
    pro = world["pro"]
    assert client.submit(space_path(other, f"/confidentialite/professionnels/{pro.id}/bloquer")
                         ).status_code == 404
    assert client.submit("/espaces/nosuchref/confidentialite/professionnels/"
                         f"{pro.id}/bloquer").status_code == 404
    assert not Block.select().exists()
    refused = AccessLog.select().where(AccessLog.space == other)
    assert refused.count() == before + 1 and not refused.order_by(
        AccessLog.id.desc()).first().allowed
