"""The pages around API access: a citizen's connected apps (revoke, report), a
professional's authorised software, the administrators' registry (reference, edit,
suspend or dereference, reports), and the catalogue's disconnect stopping tokens."""

import pytest

from tests.helpers import act_for, make_space, make_user, parse, space_path
from webapp.models.audit import AccessLog
from webapp.models.catalogue import AppConnection, CatalogueApp
from webapp.models.smart import SmartClient, SmartConsent, SmartReport
from webapp.smart import clients, consents, tokens
from webapp.smart.resource import authenticate, issue_access_token

SCOPES = ["patient/DocumentReference.rs", "launch/patient"]


@pytest.fixture
def world(db):
    owner = make_user()
    space = make_space(owner)
    app = clients.register("Carnet Test", "app", ["http://127.0.0.1/callback"],
                           scopes=" ".join(SCOPES), publisher="Éditeur Test")
    token = issue_access_token(app, owner, space, SCOPES)
    consent = SmartConsent.get()
    consents._record_connection(consent)
    return dict(owner=owner, space=space, app=app, token=token, consent=consent)


def test_connected_apps_lists_each_app_with_what_it_may_do(client, world):
    client.sign_in(world["owner"].email)
    _, doc = client.page(space_path(world["space"], "/applications-connectees"))
    card = doc.by_id(f"app-{world['consent'].id}")
    assert card.find("h2").text == "Carnet Test"
    assert "Lire et rechercher dans vos documents de santé" in [
        li.text for li in card.find("ul", aria_labelledby=f"granted-{world['consent'].id}")
        .find_all("li")]
    assert "Aucun accès pour l'instant" in card.text
    authenticate(f"Bearer {world['token']}")
    _, doc = client.page(space_path(world["space"], "/applications-connectees"))
    assert "Aucun accès pour l'instant" not in doc.by_id(f"app-{world['consent'].id}").text


def test_revoking_stops_the_token_and_is_in_the_history(client, world):
    client.sign_in(world["owner"].email)
    response = client.submit(space_path(
        world["space"], f"/applications-connectees/{world['consent'].id}/retirer"))
    assert response.status_code == 303
    assert authenticate(f"Bearer {world['token']}") is None
    entry = AccessLog.select().where(AccessLog.action == "app.disconnect").get()
    assert (entry.app_name, entry.space_id) == ("Carnet Test", world["space"].id)
    assert not AppConnection.select().where(AppConnection.disconnected_at.is_null()).exists()


def test_someone_else_cannot_see_nor_revoke(client, world):
    other = make_user()
    make_space(other)
    client.sign_in(other.email)
    assert client.get(space_path(world["space"], "/applications-connectees")).status_code == 404
    response = client.submit(space_path(
        world["space"], f"/applications-connectees/{world['consent'].id}/retirer"))
    assert response.status_code == 404
    assert authenticate(f"Bearer {world['token']}") is not None


def test_a_mediator_with_a_mandate_cannot_manage_apps(client, world):
    mediator = make_user("mediator")
    act_for(client, mediator, world["space"], ["documents.read"])
    assert client.get(space_path(world["space"], "/applications-connectees")).status_code == 404


def test_a_consent_of_another_space_is_not_found_here(client, world):
    mine = make_space(make_user())
    other = issue_access_token(world["app"], mine.owner, mine, SCOPES)
    theirs = SmartConsent.get(SmartConsent.space == mine)
    client.sign_in(world["owner"].email)
    response = client.submit(space_path(
        world["space"], f"/applications-connectees/{theirs.id}/retirer"))
    assert response.status_code == 404
    assert authenticate(f"Bearer {other}") is not None


def test_a_report_reaches_the_admins(app, client, world):
    client.sign_in(world["owner"].email)
    path = space_path(world["space"], f"/applications-connectees/{world['consent'].id}/signaler")
    response = client.submit(path, {"reason": ""})
    assert response.status_code == 200 and "Décrivez en quelques mots" in response.text
    assert client.submit(path, {"reason": "Elle demande trop."}).status_code == 303
    assert SmartReport.get().reason == "Elle demande trop."
    admin = make_user("admin")
    client = app.test_client()
    client.sign_in(admin.email)
    _, doc = client.page("/admin/applications")
    assert "Elle demande trop." in doc.by_id(f"report-{SmartReport.get().id}").text
    assert client.submit(f"/admin/signalements-applications/{SmartReport.get().id}/traite"
                         ).status_code == 303
    assert SmartReport.get().handled_at is not None


def test_disconnecting_from_the_catalogue_stops_the_tokens(client, world):
    client.sign_in(world["owner"].email)
    slug = world["app"].app.slug
    response = client.submit(space_path(world["space"], f"/catalogue/{slug}/deconnecter"))
    assert response.status_code == 303
    assert authenticate(f"Bearer {world['token']}") is None
    assert consents.current(world["owner"], world["app"], world["space"]) is None


@pytest.fixture
def admin_client(app, db):
    admin = make_user("admin")
    client = app.test_client()
    client.sign_in(admin.email)
    return client


def test_an_admin_references_an_app_in_the_catalogue(admin_client, db):
    response = admin_client.submit("/admin/applications/nouvelle?type=app", {
        "name": "Pas à pas", "publisher": "Marche SAS", "description": "Compte vos pas.",
        "category": "activity", "scopes": "patient/Observation.crs launch/patient",
        "redirect_uris": "https://pas.example/cb\nhttp://127.0.0.1/cb"})
    assert response.status_code == 303
    client_row = SmartClient.get()
    assert client_row.kind == "app" and client_row.secret_hash is None
    assert client_row.redirect_uri_list == ["https://pas.example/cb", "http://127.0.0.1/cb"]
    assert CatalogueApp.get(CatalogueApp.id == client_row.app_id).category == "activity"
    assert CatalogueApp.listed().where(CatalogueApp.name == "Pas à pas").exists()


def test_bad_scopes_and_redirects_are_refused_with_what_was_typed(admin_client, db):
    response = admin_client.submit("/admin/applications/nouvelle?type=app", {
        "name": "Pas à pas", "publisher": "Marche SAS", "description": "Compte vos pas.",
        "category": "activity", "scopes": "user/Observation.rs system/Patient.r",
        "redirect_uris": "http://pas.example/cb"})
    assert response.status_code == 200
    assert "user/Observation.rs system/Patient.r" in response.text
    assert "Adresse de retour refusée : http://pas.example/cb" in response.text
    assert not SmartClient.select().exists()


def test_a_confidential_software_gets_its_secret_once(admin_client, db):
    response = admin_client.submit("/admin/applications/nouvelle?type=software", {
        "name": "Cabinet Plus", "publisher": "Logi SA", "description": "Logiciel de cabinet.",
        "scopes": "user/DocumentReference.cru user/Patient.rs",
        "redirect_uris": "https://cabinet.example/cb", "confidential": "y"})
    assert response.status_code == 200
    row = SmartClient.get()
    doc = parse(response.text)
    shown = dict(zip([n.text for n in doc.find_all("dt")], [n.text for n in doc.find_all("dd")],
                     strict=True))
    assert tokens.same(shown["Secret du client"], row.secret_hash, "client")
    assert shown["Identifiant client"] == row.client_id
    assert row.secret_hash not in response.text
    _, doc = admin_client.page(f"/admin/applications/{row.id}")
    assert shown["Secret du client"] not in doc.text
    assert "Confidentiel" in doc.text


@pytest.mark.parametrize("status", ["suspended", "dereferenced"])
def test_suspending_from_the_admin_page_stops_tokens_at_once(admin_client, world, status):
    response = admin_client.submit(f"/admin/applications/{world['app'].id}/statut",
                                   {"status": status})
    assert response.status_code == 303
    assert authenticate(f"Bearer {world['token']}") is None
    listed = CatalogueApp.listed().where(CatalogueApp.id == world["app"].app_id).exists()
    assert listed is (status == "suspended")


def test_an_admin_edits_what_the_consent_page_shows(admin_client, world):
    path = f"/admin/applications/{world['app'].id}"
    _, doc = admin_client.page(path)
    assert doc.find("input", name="name").get("value") == "Carnet Test"
    response = admin_client.submit(path, {
        "name": "Carnet Renommé", "publisher": "Éditeur Test", "description": "Autre.",
        "category": "chronic", "scopes": " ".join(SCOPES),
        "redirect_uris": "http://127.0.0.1/callback"})
    assert response.status_code == 303
    assert clients.find(world["app"].client_id).name == "Carnet Renommé"


def test_a_professional_sees_and_revokes_their_software(client, db):
    pro = make_user("professional")
    software = clients.register("Logiciel Test", "software", ["http://127.0.0.1/cb"],
                                scopes="user/DocumentReference.cru")
    token = issue_access_token(software, pro, None, ["user/DocumentReference.cru"])
    client.sign_in(pro.email)
    _, doc = client.page("/pro/logiciels-autorises")
    consent = SmartConsent.get()
    assert "Ajouter, lire et modifier les documents de vos patients" in \
        doc.by_id(f"software-{consent.id}").text
    assert client.submit(f"/pro/logiciels-autorises/{consent.id}/retirer").status_code == 303
    assert authenticate(f"Bearer {token}") is None


def test_the_catalogue_page_says_what_the_app_asks_through_the_api(client, world):
    client.sign_in(world["owner"].email)
    _, doc = client.page(space_path(world["space"], f"/catalogue/{world['app'].app.slug}"))
    asked = [li.text for li in doc.find("ul", aria_labelledby="scopes-title").find_all("li")]
    assert asked == ["Lire et rechercher dans vos documents de santé",
                     "Savoir de quel espace il s'agit (l'identifiant de l'espace choisi)"]


def test_a_referenced_app_lists_the_catalogue_codes_of_its_smart_scopes(admin_client, db):
    admin_client.submit("/admin/applications/nouvelle?type=app", {
        "name": "Pas à pas", "publisher": "Marche SAS", "description": "Compte vos pas.",
        "category": "activity", "scopes": "patient/Observation.crs launch/patient",
        "redirect_uris": "https://pas.example/cb"})
    assert CatalogueApp.get().scope_set == {"profile.read", "profile.write"}
