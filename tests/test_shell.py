"""The page shell: languages, navigation, headers, public pages, errors."""

import pytest

from tests.helpers import space_path

PUBLIC = ["/connexion", "/accessibilite", "/plan-du-site", "/mentions-legales",
          "/donnees-personnelles", "/aide"]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages(client, url):
    _, doc = client.page(url)
    footer = doc.find("footer")
    assert footer.find("a", href="/accessibilite") and footer.find("a", href="/aide")
    assert doc.find("a", class_="skip-link").get("href") == "#contenu"
    assert doc.by_id("contenu").tag == "main"
    assert doc.find("div", id="live").get("aria-live") == "polite"


def test_language_from_accept_language_and_switcher(client):
    _, doc = client.page("/aide", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert doc.find("html").get("lang") == "en"
    _, doc = client.page("/aide")
    assert doc.find("html").get("lang") == "fr"
    response = client.submit("/langue", {"lang": "en", "next": "/aide"})
    assert response.status_code == 303 and response.headers["Location"] == "/aide"
    assert "lang=en" in response.headers["Set-Cookie"]
    _, doc = client.page("/aide")
    assert doc.find("html").get("lang") == "en"
    assert doc.find("h1").text == "Help"


def test_headers_for_shared_computers(client):
    response = client.get("/aide")
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_htmx_history_cache_disabled(client):
    response, doc = client.page("/aide")
    meta = doc.find("meta", name="htmx-config")
    assert '"historyCacheSize":0' in meta.get("content")


def test_static_assets_are_versioned_and_cached(client):
    _, doc = client.page("/aide")
    css = doc.find("link", rel="stylesheet").get("href")
    assert "?v=" in css
    with client.get(css) as response:
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
    assert all(s.get("src").startswith("/static/") for s in doc.find_all("script"))


def test_unknown_page_is_translated_404(client):
    response, doc = client.page("/nulle-part", status=404)
    assert "Page introuvable" in response.text
    response = client.get("/nulle-part", headers={"Accept-Language": "en"})
    assert "Page not found" in response.text


def test_compression(client):
    response = client.get("/accessibilite", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"


def test_citizen_navigation(client, demo):
    client.sign_in("camille.martin@example.org")
    response = client.get("/")
    assert response.status_code == 302  # a citizen's home is their own space's address
    assert response.headers["Location"] == space_path(demo.spaces["camille"])
    _, doc = client.page(response.headers["Location"])
    nav = doc.find("nav", aria_label="Menu principal")
    current = nav.find("a", aria_current="page")
    assert current.text == "Accueil"


def _current_menu_entries(doc):
    nav = doc.find("nav", aria_label="Menu principal")
    return [a.text.strip() for a in nav.find_all("a", aria_current="page")]


def test_menu_marks_the_area_of_the_page_not_every_page_of_its_module(app, client, demo):
    from webapp.models.documents import Document

    client.sign_in("camille.martin@example.org")
    document = Document.select().where(Document.space == demo.spaces["camille"]).first()
    _, doc = client.page(space_path(demo.spaces["camille"], f"/documents/{document.id}"))
    assert _current_menu_entries(doc) == ["Documents"]
    # the wizard's steps are in "Nouveau mandat"; a mandate's attestation is not
    client = app.test_client()
    client.sign_in("amina.diallo@example.org")
    _, doc = client.page("/mandats/nouveau/personne")
    assert _current_menu_entries(doc) == ["Nouveau mandat"]
    _, doc = client.page("/mandats/DEMO0CAMILLE/attestation")
    assert _current_menu_entries(doc) == []


@pytest.mark.parametrize("email,h1", [
    ("camille.martin@example.org", "Accueil"), ("jean.dupont@example.org", "Accueil"),
    ("dr.bernard@example.org", "Mes patients"), ("admin@example.org", "Administration"),
    ("amina.diallo@example.org", "Mes usagers")])
def test_home_of_each_role(client, demo, email, h1):
    client.sign_in(email)
    response = client.get("/")
    home = response.headers["Location"] if response.status_code == 302 else "/"
    _, doc = client.page(home)
    assert doc.find("h1").text == h1


def test_parent_switches_to_child_space(client, demo):
    client.sign_in("camille.martin@example.org")
    _, doc = client.page(space_path(demo.spaces["camille"]))
    leo = demo.spaces["leo"]
    switcher = doc.find("nav", class_="switcher")
    link = switcher.find("a", href=space_path(leo))
    assert link is not None and "Léo MARTIN" in link.text
    _, doc = client.page(link.get("href"))
    assert "Léo MARTIN" in doc.find("div", class_="context-banner").text
    # the menu links into Léo's space while his pages are shown
    nav = doc.find("nav", aria_label="Menu principal")
    assert nav.find("a", href=space_path(leo, "/documents")) is not None
    # someone else's space cannot be shown, and nothing is kept in the session
    jean = demo.spaces["jean"]
    assert client.get(space_path(jean)).status_code == 404
    with client.session_transaction() as session:
        assert not any("space" in key for key in session)


def test_render_gives_the_fragment_to_htmx_and_the_page_otherwise(app):
    from webapp.rendering import render

    with app.test_request_context("/aide", headers={"HX-Request": "true"}):
        app.preprocess_request()
        fragment = render("errors/404.html", partial="components/_test_fragment.html",
                          title="T", message="Bonjour")
    with app.test_request_context("/aide"):
        app.preprocess_request()
        full = render("errors/404.html", partial="components/_test_fragment.html",
                      title="T", message="Bonjour")
    assert "<html" not in fragment.get_data(as_text=True)
    assert 'hx-swap-oob="innerHTML"' in fragment.get_data(as_text=True)
    assert "<html" in full.get_data(as_text=True)
    assert "HX-Request" in fragment.vary and "HX-Request" in full.vary
    # a history restore (back button after a swap) gets the whole page
    with app.test_request_context("/aide", headers={"HX-Request": "true",
                                                    "HX-History-Restore-Request": "true"}):
        app.preprocess_request()
        restored = render("errors/404.html", partial="components/_test_fragment.html",
                          title="T", message="Bonjour")
    assert "<html" in restored.get_data(as_text=True)


def test_admin_home_links_to_each_office(client, demo):
    client.sign_in("admin@example.org")
    _, doc = client.page("/")
    office = demo.offices["paris19"]
    link = doc.find("a", href=f"/structure?office={office.id}")
    assert link is not None and link.text == "France Services Paris 19e"
    client.page(link.get("href"))


@pytest.mark.parametrize("old,new", [
    ("/documents", "/documents"), ("/agenda?page=2", "/agenda?page=2"),
    ("/confidentialite/professionnels", "/confidentialite/professionnels"),
    ("/documents/ajouter", "/documents/ajouter"), ("/compte/export", "/export"),
    ("/compte/fermer", "/fermer")])
def test_old_bookmarks_land_on_the_same_page_of_ones_own_space(client, demo, old, new):
    client.sign_in("camille.martin@example.org")
    response = client.get(old)
    assert response.status_code == 302
    assert response.headers["Location"] == space_path(demo.spaces["camille"], new)
    assert client.get(response.headers["Location"]).status_code == 200
