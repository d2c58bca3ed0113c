"""The catalogue: list, filter and search, an app's page, consent then connect, disconnect,
and who may do what (connections belong to the space's holder only)."""

import datetime as dt
import logging

import pytest

from tests.helpers import make_space, make_user
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.catalogue import AppConnection, CatalogueApp
from webapp.models.mandates import Mandate
from webapp.models.spaces import CareRelation, Guardianship


def make_app(slug, name=None, category="chronic", scopes="profile.read", **fields):
    """A referenced app."""
    fields.setdefault("publisher", "Éditeur Exemple")
    fields.setdefault("summary", f"Résumé de {name or slug}.")
    return CatalogueApp.create(slug=slug, name=name or slug.title(), category=category,
                               scopes=scopes, referenced_at=dt.date(2025, 1, 15), **fields)


def mandate(holder, space, kind, scopes):
    """A mandate in force for two hours."""
    now = utcnow()
    return Mandate.create(space=space, holder=holder, office=getattr(holder, "office", None),
                          kind=kind, scopes=" ".join(scopes),
                          starts_at=now - dt.timedelta(minutes=1),
                          ends_at=now + dt.timedelta(hours=2))


def act_for(client, space):
    """Choose the space a mediator or caregiver acts on (as the start of a session does)."""
    with client.session_transaction() as session:
        session["space_id"] = space.id


@pytest.fixture
def world(db):
    owner = make_user(email="owner@example.org")
    space = make_space(owner)
    apps = dict(
        tension=make_app("tension", "Carnet Tension", "chronic", "profile.read profile.write",
                         description="Premier paragraphe.\n\nSecond paragraphe.",
                         website="https://tension.example", accessibility="partial"),
        marche=make_app("marche", "Pas à Pas", "activity", "profile.read"),
        vaccins=make_app("vaccins", "Rappel Vaccins", "prevention", "agenda.write",
                         summary="Vos rappels de vaccination."),
        ancien=make_app("ancien", "Ancienne Appli", "prevention", active=False),
    )
    return dict(owner=owner, space=space, apps=apps)


def _titles(doc):
    return [h.text for h in doc.by_id("catalogue-list").find_all("h3")]


def test_list_shows_listed_apps_by_name_with_menu_entry(client, world):
    client.sign_in("owner@example.org")
    _, doc = client.page("/catalogue")
    assert _titles(doc) == ["Carnet Tension", "Pas à Pas", "Rappel Vaccins"]
    assert doc.find("h1").text == "Catalogue de services"
    assert doc.by_id("catalogue-count").text == "3 applications référencées"
    menu = doc.find("nav", aria_label="Menu principal")
    current = menu.find("a", aria_current="page")
    assert current.text == "Catalogue" and current.get("href") == "/catalogue"
    form = doc.find("form", role="search")
    assert form.get("method") == "get" and form.get("hx-target") == "#catalogue-list"


class _QueryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _queries_for(client, url):
    logger, counter = logging.getLogger("peewee"), _QueryCounter()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        client.page(url)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    return counter.count


def test_list_queries_do_not_grow_with_connections(client, world):
    client.sign_in("owner@example.org")
    AppConnection.create(space=world["space"], app=world["apps"]["tension"], scopes="")
    one = _queries_for(client, "/catalogue")
    for key in ("marche", "vaccins"):
        AppConnection.create(space=world["space"], app=world["apps"][key], scopes="")
        make_app(f"autre-{key}")
    assert _queries_for(client, "/catalogue") == one


def test_category_filter_without_and_with_htmx(client, world):
    client.sign_in("owner@example.org")
    _, doc = client.page("/catalogue?categorie=prevention")
    assert _titles(doc) == ["Rappel Vaccins"]
    assert doc.find("option", value="prevention").get("selected") is not None
    response, frag = client.page("/catalogue?categorie=chronic", fragment=True)
    assert frag.find("h1") is None and frag.find("main") is None
    assert [h.text for h in frag.find_all("h3")] == ["Carnet Tension"]
    assert frag.by_id("live").text == "1 application correspond à votre recherche"
    assert "HX-Request" in response.headers["Vary"]
    _, doc = client.page("/catalogue?categorie=inconnue")
    assert len(_titles(doc)) == 3


def test_search_by_name(client, world):
    client.sign_in("owner@example.org")
    _, doc = client.page("/catalogue?q=tension")
    assert _titles(doc) == ["Carnet Tension"]
    assert doc.find("input", name="q").get("value") == "tension"
    _, doc = client.page("/catalogue?q=PAS+a")  # case and accents do not matter
    assert _titles(doc) == ["Pas à Pas"]
    _, doc = client.page("/catalogue?q=rappels+vaccination")  # every word, in the summary too
    assert _titles(doc) == ["Rappel Vaccins"]
    _, doc = client.page("/catalogue?q=100%25")  # LIKE wildcards are plain characters
    assert _titles(doc) == []
    _, doc = client.page("/catalogue?q=introuvable&categorie=activity")
    assert _titles(doc) == []
    assert "Aucune application ne correspond" in doc.by_id("catalogue-list").text


def test_detail_page(client, world):
    client.sign_in("owner@example.org")
    _, doc = client.page("/catalogue/tension")
    assert doc.find("h1").text == "Carnet Tension"
    rows = {r.find("dt").text: r.find("dd").text for r in doc.find_all("div",
                                                                     class_="summary-list__row")}
    assert rows["Éditeur"] == "Éditeur Exemple"
    assert rows["Catégorie"] == "Suivi des maladies chroniques"
    assert rows["Accessibilité"] == "Partiellement conforme"
    assert doc.find("a", href="https://tension.example") is not None
    scopes = [li.text for li in doc.find("ul", aria_labelledby="scopes-title").find_all("li")]
    assert scopes == ["Lire votre profil médical (antécédents, allergies, traitements, mesures)",
                      "Ajouter des mesures à votre profil médical"]
    assert doc.find("a", href="/catalogue/tension/connecter") is not None


def test_unknown_or_unlisted_slug_is_404(client, world):
    client.sign_in("owner@example.org")
    client.page("/catalogue/nexiste-pas", status=404)
    client.page("/catalogue/ancien", status=404)
    client.page("/catalogue/ancien/connecter", status=404)
    assert client.submit("/catalogue/nexiste-pas/connecter", {"accept": "y"}).status_code == 404
    assert client.submit("/catalogue/nexiste-pas/deconnecter").status_code == 404


def test_consent_page_then_connect(client, world):
    client.sign_in("owner@example.org")
    _, doc = client.page("/catalogue/tension/connecter")
    assert doc.find("h1").text == "Connecter Carnet Tension"
    shared = [li.text for li in doc.find("ul", aria_labelledby="shared-title").find_all("li")]
    assert "Ajouter des mesures à votre profil médical" in shared
    assert world["space"].display_name in doc.find("p", class_="lead").text
    assert AppConnection.select().count() == 0  # seeing the consent page connects nothing

    refused = client.submit("/catalogue/tension/connecter", {})
    assert refused.status_code == 200 and AppConnection.select().count() == 0
    assert refused.text.count("Cochez la case pour autoriser") == 2  # summary and field
    assert "<title>Erreur : " in refused.text

    response = client.submit("/catalogue/tension/connecter", {"accept": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/catalogue/tension"
    connection = AppConnection.get()
    assert connection.space_id == world["space"].id and connection.connected_by_id == world[
        "owner"].id
    assert connection.scope_set == {"profile.read", "profile.write"}
    assert AccessLog.get_or_none(AccessLog.target == "app:tension:connect",
                                 AccessLog.action == "privacy") is not None
    _, doc = client.page("/catalogue/tension")
    assert "est connectée à votre espace" in doc.text
    assert doc.find("form", action="/catalogue/tension/deconnecter") is not None
    assert doc.find("ul", aria_labelledby="granted-title") is None  # same as asked for
    # Connecting twice keeps a single connection.
    client.submit("/catalogue/tension/connecter", {"accept": "y"})
    assert AppConnection.select().count() == 1
    _, doc = client.page("/catalogue")
    section = doc.find("section", aria_labelledby="connected-title")
    assert [h.text for h in section.find_all("h3")] == ["Carnet Tension"]


def test_disconnect_from_the_list_and_reconnect(client, world):
    space, app = world["space"], world["apps"]["marche"]
    AppConnection.create(space=space, app=app, scopes="profile.read")
    client.sign_in("owner@example.org")
    response = client.submit("/catalogue/marche/deconnecter", {"next": "/catalogue"})
    assert response.status_code == 303 and response.headers["Location"] == "/catalogue"
    assert AppConnection.current(space, app) is None
    assert AppConnection.get().disconnected_at is not None
    assert AccessLog.get_or_none(AccessLog.target == "app:marche:disconnect") is not None
    _, doc = client.page("/catalogue")
    assert "elle n'a plus accès à votre espace" in doc.text
    assert "Aucune application n'est connectée" in doc.text
    # A second click changes nothing; an outside `next` is not followed.
    again = client.submit("/catalogue/marche/deconnecter", {"next": "https://evil.example/"})
    assert again.status_code == 303 and again.headers["Location"] == "/catalogue"
    client.submit("/catalogue/marche/connecter", {"accept": "y"})
    assert AppConnection.current(space, app) is not None
    assert AppConnection.select().count() == 2  # the history of connections is kept


def test_connection_keeps_the_scopes_granted_when_the_app_asks_for_more(client, world):
    app = world["apps"]["marche"]
    client.sign_in("owner@example.org")
    client.submit("/catalogue/marche/connecter", {"accept": "y"})
    app.scopes = "profile.read documents.read"
    app.save()
    assert AppConnection.current(world["space"], app).scope_set == {"profile.read"}
    _, doc = client.page("/catalogue/marche")
    granted = [li.text for li in doc.find("ul", aria_labelledby="granted-title").find_all("li")]
    assert granted == ["Lire votre profil médical (antécédents, allergies, traitements, "
                       "mesures)"]


def test_unlisted_app_stays_reachable_to_disconnect(client, world):
    space, app = world["space"], world["apps"]["ancien"]
    AppConnection.create(space=space, app=app, scopes="profile.read")
    client.sign_in("owner@example.org")
    _, doc = client.page("/catalogue/ancien")
    assert "n'est plus référencée" in doc.text
    assert doc.find("a", href="/catalogue/ancien/connecter") is None
    assert client.submit("/catalogue/ancien/deconnecter").status_code == 303
    assert AppConnection.current(space, app) is None
    client.page("/catalogue/ancien", status=404)


def test_other_citizen_sees_and_ends_only_their_own_connections(client, world):
    AppConnection.create(space=world["space"], app=world["apps"]["tension"], scopes="x")
    other = make_user(email="other@example.org")
    make_space(other)
    client.sign_in("other@example.org")
    _, doc = client.page("/catalogue")
    assert "Aucune application n'est connectée" in doc.text
    _, doc = client.page("/catalogue/tension")
    assert doc.find("form", action="/catalogue/tension/deconnecter") is None
    client.submit("/catalogue/tension/deconnecter")
    assert AppConnection.current(world["space"], world["apps"]["tension"]) is not None


def test_guardian_connects_an_app_to_the_childs_space(client, world):
    child = make_space(None, state="active", first_name="Léo", birth_date=dt.date(2018, 1, 1))
    Guardianship.create(guardian=world["owner"], child=child)
    client.sign_in("owner@example.org")
    client.submit("/espace/choisir", {"space": child.id})
    _, doc = client.page("/catalogue/vaccins/connecter")
    assert "Léo" in doc.find("p", class_="lead").text
    client.submit("/catalogue/vaccins/connecter", {"accept": "y"})
    assert AppConnection.current(child, world["apps"]["vaccins"]) is not None
    assert AppConnection.current(world["space"], world["apps"]["vaccins"]) is None


@pytest.mark.parametrize("kind", ["mediator", "caregiver"])
def test_mediator_and_caregiver_browse_but_never_connect(client, world, kind):
    space, app = world["space"], world["apps"]["tension"]
    AppConnection.create(space=space, app=app, scopes="profile.read")
    helper = make_user("mediator" if kind == "mediator" else "citizen")
    mandate(helper, space, kind, ["documents.read", "profile.read"])
    client.sign_in(helper.email)
    act_for(client, space)
    _, doc = client.page("/catalogue")
    assert doc.find("section", aria_labelledby="connected-title") is None
    _, doc = client.page("/catalogue/tension")
    assert "Seul le titulaire de l'espace" in doc.text
    assert doc.find("form", action="/catalogue/tension/deconnecter") is None
    client.page("/catalogue/marche/connecter", status=404)
    assert client.submit("/catalogue/marche/connecter", {"accept": "y"}).status_code == 404
    assert client.submit("/catalogue/tension/deconnecter").status_code == 404
    assert AppConnection.current(space, app) is not None
    assert AppConnection.current(space, world["apps"]["marche"]) is None
    refused = AccessLog.select().where((AccessLog.allowed == False)  # noqa: E712
                                       & (AccessLog.action == "privacy"))
    assert refused.count() == 3


def test_mediator_without_mandate_and_professional_get_404(client, world):
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=world["space"])
    client.sign_in(pro.email)
    for url in ("/catalogue", "/catalogue/tension", "/catalogue/tension/connecter"):
        client.page(url, status=404)
    mediator = make_user("mediator")
    other_client = client.application.test_client()
    other_client.sign_in(mediator.email)
    act_for(other_client, world["space"])
    for url in ("/catalogue", "/catalogue/tension", "/catalogue/tension/connecter"):
        other_client.page(url, status=404)


@pytest.mark.parametrize("url", ["/catalogue", "/catalogue/tension",
                                 "/catalogue/tension/connecter"])
def test_anonymous_is_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    response = client.submit("/catalogue/tension/deconnecter")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_demo_catalogue(client, demo):
    from webapp.seed import catalogue

    assert CatalogueApp.listed().count() >= 8
    catalogue.seed(demo)  # idempotent
    assert AppConnection.select().count() == 1
    assert CatalogueApp.select().count() == len(catalogue.APPS)
    client.sign_in("camille.martin@example.org")
    _, doc = client.page("/catalogue")
    section = doc.find("section", aria_labelledby="connected-title")
    assert [h.text for h in section.find_all("h3")] == ["Carnet Tension"]
    _, doc = client.page("/parametres")
    assert doc.find("a", href="/catalogue") is not None
    client.submit("/langue", {"lang": "en", "next": "/catalogue"})
    _, doc = client.page("/catalogue/carnet-tension")
    assert doc.find("h1").text == "Carnet Tension"
    assert "Connected to this space since" in doc.text
    assert doc.find("p", class_="lead").get("lang") == "fr"  # the publisher's own words
