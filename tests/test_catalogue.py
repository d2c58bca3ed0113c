"""The catalogue: list, filter and search, an app's page, the demo catalogue (connecting
and disconnecting: test_catalogue_connections.py)."""

import datetime as dt
import logging

import pytest

from tests.helpers import make_space, make_user, space_path
from webapp.models.catalogue import AppConnection, CatalogueApp
from webapp.seed import catalogue


def make_app(slug, name=None, category="chronic", scopes="profile.read", **fields):
    """A referenced app."""
    fields.setdefault("publisher", "Éditeur Exemple")
    fields.setdefault("summary", f"Résumé de {name or slug}.")
    return CatalogueApp.create(slug=slug, name=name or slug.title(), category=category,
                               scopes=scopes, referenced_at=dt.date(2025, 1, 15), **fields)


def current(space, app):
    """The connection in force between a space and an app, or None."""
    return AppConnection.get_or_none((AppConnection.space == space) & (AppConnection.app == app)
                                     & AppConnection.disconnected_at.is_null())


def catalogue_world():
    """A citizen's space, and four referenced apps (one no longer listed)."""
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


@pytest.fixture
def world(db):
    return catalogue_world()


@pytest.fixture
def base(world):
    """The address prefix of the owner's space."""
    return space_path(world["space"], "")


def _titles(doc):
    return [h.text for h in doc.by_id("catalogue-list").find_all("h3")]


def test_list_shows_listed_apps_by_name_with_menu_entry(client, world, base):
    client.sign_in("owner@example.org")
    _, doc = client.page(f"{base}/catalogue")
    assert _titles(doc) == ["Carnet Tension", "Pas à Pas", "Rappel Vaccins"]
    assert doc.find("h1").text == "Catalogue de services"
    assert doc.by_id("catalogue-count").text == "3 applications référencées"
    menu = doc.find("nav", aria_label="Menu principal")
    current = menu.find("a", aria_current="page")
    assert current.text == "Catalogue" and current.get("href") == f"{base}/catalogue"
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


def test_list_queries_do_not_grow_with_connections(client, world, base):
    client.sign_in("owner@example.org")
    AppConnection.create(space=world["space"], app=world["apps"]["tension"], scopes="")
    client.page(f"{base}/catalogue")  # the space's first log entry also starts its chain head
    one = _queries_for(client, f"{base}/catalogue")
    for key in ("marche", "vaccins"):
        AppConnection.create(space=world["space"], app=world["apps"][key], scopes="")
        make_app(f"autre-{key}")
    assert _queries_for(client, f"{base}/catalogue") == one


def test_category_filter_without_and_with_htmx(client, world, base):
    client.sign_in("owner@example.org")
    _, doc = client.page(f"{base}/catalogue?categorie=prevention")
    assert _titles(doc) == ["Rappel Vaccins"]
    assert doc.find("option", value="prevention").get("selected") is not None
    response, frag = client.page(f"{base}/catalogue?categorie=chronic", fragment=True)
    assert frag.find("h1") is None and frag.find("main") is None
    assert [h.text for h in frag.find_all("h3")] == ["Carnet Tension"]
    assert frag.by_id("live").text == "1 application correspond à votre recherche"
    assert "HX-Request" in response.headers["Vary"]
    _, doc = client.page(f"{base}/catalogue?categorie=inconnue")
    assert len(_titles(doc)) == 3


def test_search_by_name(client, world, base):
    client.sign_in("owner@example.org")
    _, doc = client.page(f"{base}/catalogue?q=tension")
    assert _titles(doc) == ["Carnet Tension"]
    assert doc.find("input", name="q").get("value") == "tension"
    _, doc = client.page(f"{base}/catalogue?q=PAS+a")  # case and accents do not matter
    assert _titles(doc) == ["Pas à Pas"]
    # every word, in the summary too
    _, doc = client.page(f"{base}/catalogue?q=rappels+vaccination")
    assert _titles(doc) == ["Rappel Vaccins"]
    _, doc = client.page(f"{base}/catalogue?q=100%25")  # LIKE wildcards are plain characters
    assert _titles(doc) == []
    _, doc = client.page(f"{base}/catalogue?q=introuvable&categorie=activity")
    assert _titles(doc) == []
    assert "Aucune application ne correspond" in doc.by_id("catalogue-list").text


def test_detail_page(client, world, base):
    client.sign_in("owner@example.org")
    _, doc = client.page(f"{base}/catalogue/tension")
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
    assert doc.find("a", href=f"{base}/catalogue/tension/connecter") is not None


def test_unknown_or_unlisted_slug_is_404(client, world, base):
    client.sign_in("owner@example.org")
    client.page(f"{base}/catalogue/nexiste-pas", status=404)
    client.page(f"{base}/catalogue/ancien", status=404)
    client.page(f"{base}/catalogue/ancien/connecter", status=404)
    assert client.submit(f"{base}/catalogue/nexiste-pas/connecter",
                         {"accept": "y"}).status_code == 404
    assert client.submit(f"{base}/catalogue/nexiste-pas/deconnecter").status_code == 404


def test_demo_catalogue(client, demo):
    assert CatalogueApp.listed().count() >= 8
    catalogue.seed(demo)  # idempotent
    assert AppConnection.select().count() == 1
    assert CatalogueApp.select().count() == len(catalogue.APPS)
    client.sign_in("camille.martin@example.org")
    base = space_path(demo.spaces["camille"], "")
    _, doc = client.page(f"{base}/catalogue")
    section = doc.find("section", aria_labelledby="connected-title")
    assert [h.text for h in section.find_all("h3")] == ["Carnet Tension"]
    _, doc = client.page(f"{base}/parametres")
    assert doc.find("a", href=f"{base}/catalogue") is not None
    client.submit("/langue", {"lang": "en", "next": f"{base}/catalogue"})
    _, doc = client.page(f"{base}/catalogue/carnet-tension")
    assert doc.find("h1").text == "Carnet Tension"
    assert "Connected to this space since" in doc.text
    assert doc.find("p", class_="lead").get("lang") == "fr"  # the publisher's own words
