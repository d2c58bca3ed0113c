"""The catalogue's connections: consent then connect, disconnect, and who may do what
(connections belong to the space's holder only)."""

import datetime as dt

import pytest

from tests.helpers import act_for, logged, make_child, make_space, make_user, sign_in_on, space_path
from tests.test_catalogue import catalogue_world, current
from webapp.models.audit import AccessLog
from webapp.models.catalogue import AppConnection
from webapp.models.spaces import CareRelation


@pytest.fixture
def world(db):
    return catalogue_world()


@pytest.fixture
def base(world):
    """The address prefix of the owner's space."""
    return space_path(world["space"], "")


def test_consent_page_then_connect(client, world, base):
    client.sign_in("owner@example.org")
    _, doc = client.page(f"{base}/catalogue/tension/connecter")
    assert doc.find("h1").text == "Connecter Carnet Tension"
    shared = [li.text for li in doc.find("ul", aria_labelledby="shared-title").find_all("li")]
    assert "Ajouter des mesures à votre profil médical" in shared
    assert world["space"].display_name in doc.find("p", class_="lead").text
    assert AppConnection.select().count() == 0  # seeing the consent page connects nothing

    refused = client.submit(f"{base}/catalogue/tension/connecter", {})
    assert refused.status_code == 200 and AppConnection.select().count() == 0
    assert refused.text.count("Cochez la case pour autoriser") == 2  # summary and field
    assert "<title>Erreur : " in refused.text

    response = client.submit(f"{base}/catalogue/tension/connecter", {"accept": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{base}/catalogue/tension"
    connection = AppConnection.get()
    assert connection.space_id == world["space"].id and connection.connected_by_id == world[
        "owner"].id
    assert connection.scope_set == {"profile.read", "profile.write"}
    assert logged(world["apps"]["tension"], "connect", action="app.connect").exists()
    _, doc = client.page(f"{base}/catalogue/tension")
    assert "est connectée à votre espace" in doc.text
    assert doc.find("form", action=f"{base}/catalogue/tension/deconnecter") is not None
    assert doc.find("ul", aria_labelledby="granted-title") is None  # same as asked for
    # Connecting twice keeps a single connection.
    client.submit(f"{base}/catalogue/tension/connecter", {"accept": "y"})
    assert AppConnection.select().count() == 1
    _, doc = client.page(f"{base}/catalogue")
    section = doc.find("section", aria_labelledby="connected-title")
    assert [h.text for h in section.find_all("h3")] == ["Carnet Tension"]


def test_disconnect_from_the_list_and_reconnect(client, world, base):
    space, app = world["space"], world["apps"]["marche"]
    AppConnection.create(space=space, app=app, scopes="profile.read")
    client.sign_in("owner@example.org")
    response = client.submit(f"{base}/catalogue/marche/deconnecter",
                             {"next": f"{base}/catalogue"})
    assert response.status_code == 303 and response.headers["Location"] == f"{base}/catalogue"
    assert current(space, app) is None
    assert AppConnection.get().disconnected_at is not None
    assert logged(app, "disconnect", action="app.disconnect").exists()
    _, doc = client.page(f"{base}/catalogue")
    assert "elle n'a plus accès à votre espace" in doc.text
    assert "Aucune application n'est connectée" in doc.text
    # A second click changes nothing; an outside `next` is not followed.
    again = client.submit(f"{base}/catalogue/marche/deconnecter",
                          {"next": "https://evil.example/"})
    assert again.status_code == 303 and again.headers["Location"] == f"{base}/catalogue"
    client.submit(f"{base}/catalogue/marche/connecter", {"accept": "y"})
    assert current(space, app) is not None
    assert AppConnection.select().count() == 2  # the history of connections is kept


def test_connection_keeps_the_scopes_granted_when_the_app_asks_for_more(client, world, base):
    app = world["apps"]["marche"]
    client.sign_in("owner@example.org")
    client.submit(f"{base}/catalogue/marche/connecter", {"accept": "y"})
    app.scopes = "profile.read documents.read"
    app.save()
    assert current(world["space"], app).scope_set == {"profile.read"}
    _, doc = client.page(f"{base}/catalogue/marche")
    granted = [li.text for li in doc.find("ul", aria_labelledby="granted-title").find_all("li")]
    assert granted == ["Lire votre profil médical (antécédents, allergies, traitements, "
                       "mesures)"]


def test_unlisted_app_stays_reachable_to_disconnect(client, world, base):
    space, app = world["space"], world["apps"]["ancien"]
    AppConnection.create(space=space, app=app, scopes="profile.read")
    client.sign_in("owner@example.org")
    _, doc = client.page(f"{base}/catalogue/ancien")
    assert "n'est plus référencée" in doc.text
    assert doc.find("a", href=f"{base}/catalogue/ancien/connecter") is None
    assert client.submit(f"{base}/catalogue/ancien/deconnecter").status_code == 303
    assert current(space, app) is None
    client.page(f"{base}/catalogue/ancien", status=404)


def test_other_citizen_sees_and_ends_only_their_own_connections(client, world, base):
    AppConnection.create(space=world["space"], app=world["apps"]["tension"], scopes="x")
    other = make_user(email="other@example.org")
    own = space_path(make_space(other), "")
    client.sign_in("other@example.org")
    _, doc = client.page(f"{own}/catalogue")
    assert "Aucune application n'est connectée" in doc.text
    _, doc = client.page(f"{own}/catalogue/tension")
    assert doc.find("form", action=f"{own}/catalogue/tension/deconnecter") is None
    client.submit(f"{own}/catalogue/tension/deconnecter")
    # Camille's address is not found: nothing is shown or ended there
    client.page(f"{base}/catalogue", status=404)
    assert client.submit(f"{base}/catalogue/tension/deconnecter").status_code == 404
    assert current(world["space"], world["apps"]["tension"]) is not None


def test_guardian_connects_an_app_to_the_childs_space(client, world):
    child = make_child(world["owner"], dt.date(2018, 1, 1), first_name="Léo")
    client.sign_in("owner@example.org")
    base = space_path(child, "")  # the address names the child's space
    _, doc = client.page(f"{base}/catalogue/vaccins/connecter")
    assert "Léo" in doc.find("p", class_="lead").text
    client.submit(f"{base}/catalogue/vaccins/connecter", {"accept": "y"})
    assert current(child, world["apps"]["vaccins"]) is not None
    assert current(world["space"], world["apps"]["vaccins"]) is None


@pytest.mark.parametrize("kind", ["mediator", "caregiver"])
def test_mediator_and_caregiver_browse_but_never_connect(client, world, kind, base):
    space, app = world["space"], world["apps"]["tension"]
    AppConnection.create(space=space, app=app, scopes="profile.read")
    helper = make_user("mediator" if kind == "mediator" else "citizen")
    act_for(client, helper, space, ["documents.read", "profile.read"], kind=kind)
    _, doc = client.page(f"{base}/catalogue")
    assert doc.find("section", aria_labelledby="connected-title") is None
    _, doc = client.page(f"{base}/catalogue/tension")
    assert "Seul le titulaire de l'espace" in doc.text
    assert doc.find("form", action=f"{base}/catalogue/tension/deconnecter") is None
    client.page(f"{base}/catalogue/marche/connecter", status=404)
    assert client.submit(f"{base}/catalogue/marche/connecter", {"accept": "y"}).status_code == 404
    assert client.submit(f"{base}/catalogue/tension/deconnecter").status_code == 404
    assert current(space, app) is not None
    assert current(space, world["apps"]["marche"]) is None
    refused = AccessLog.select().where((AccessLog.allowed == False)  # noqa: E712
                                       & (AccessLog.action == "privacy"))
    assert refused.count() == 3


def test_mediator_without_mandate_and_professional_get_404(client, world, base):
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=world["space"])
    sign_in_on(client, pro, world["space"])
    for path in ("/catalogue", "/catalogue/tension", "/catalogue/tension/connecter"):
        client.page(base + path, status=404)
    mediator = make_user("mediator")
    other_client = client.application.test_client()
    sign_in_on(other_client, mediator, world["space"])
    for path in ("/catalogue", "/catalogue/tension", "/catalogue/tension/connecter"):
        other_client.page(base + path, status=404)


@pytest.mark.parametrize("path", ["/catalogue", "/catalogue/tension",
                                  "/catalogue/tension/connecter"])
def test_anonymous_is_sent_to_sign_in(client, world, base, path):
    response = client.get(base + path)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    response = client.submit(f"{base}/catalogue/tension/deconnecter")
    assert response.status_code == 303 and "/connexion" in response.headers["Location"]
