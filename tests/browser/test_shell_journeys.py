"""Journeys of the shell with the keyboard only and without JavaScript."""

from tests.browser.conftest import set_language, sign_in


def test_sign_in_and_navigate_without_javascript(page_nojs):
    page = page_nojs
    sign_in(page, "camille.martin@example.org")
    set_language(page, "fr")  # the account remembers the last language chosen
    assert page.locator("h1").inner_text() == "Accueil"
    page.click("nav[aria-label='Menu principal'] >> text=Paramètres")
    assert page.locator("h1").inner_text() == "Paramètres"
    page.click(".lang-switch button[value=en]")
    assert page.locator("h1").inner_text() == "Settings"
    page.click("button:has-text('Sign out')")
    assert "/connexion" in page.url
    page.goto("/")
    # signed out, in the language chosen last
    assert page.locator("h1").inner_text() == "Welcome to Mon espace santé"
    page.goto("/parametres")
    assert "/connexion" in page.url  # the session really ended


def test_sign_in_with_keyboard_only(page):
    page.goto("/connexion")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"  # the skip link comes first
    page.keyboard.press("Enter")
    for _ in range(15):  # tab to the e-mail field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type("camille.martin@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("demo-Espace-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() in ("Accueil", "Home")


def test_error_summary_takes_focus(page):
    page.goto("/connexion")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_function("document.activeElement !== document.body")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Erreur")
    page.click(".error-summary a[href='#email']")
    assert page.evaluate("document.activeElement.id") == "email"


def test_mediator_signs_in_with_totp(page):
    sign_in(page, "amina.diallo@example.org")
    assert page.locator("h1").count() == 1


def test_pages_and_assets_leave_the_server_compressed(live_server):
    """Bytes on the wire, as a browser that asks for gzip receives them from waitress."""
    import re
    import urllib.request

    def fetch(path):
        request = urllib.request.Request(live_server + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers.get("Content-Encoding"), len(response.read()), response

    encoding, _size, response = fetch("/connexion")
    assert encoding == "gzip"
    html = urllib.request.urlopen(live_server + "/connexion", timeout=10).read().decode()
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        encoding, size, _ = fetch(asset.replace("&amp;", "&"))
        if asset.split("?")[0].endswith((".js", ".css")):
            assert encoding == "gzip", asset
    htmx = next(a for a in re.findall(r'src="(/static/[^"]+)"', html) if "htmx" in a)
    encoding, size, _ = fetch(htmx.replace("&amp;", "&"))
    assert encoding == "gzip" and size < 20 * 1024, (encoding, size)  # 52 KB uncompressed


def test_in_forced_colors_only_the_current_menu_entry_is_underlined(page):
    """Windows high contrast shows every border: the transparent ones of the other menu
    entries must not become lines that say "current page" too."""
    sign_in(page, "camille.martin@example.org")
    set_language(page, "fr")
    page.emulate_media(forced_colors="active")
    styles = page.eval_on_selector_all(
        "nav[aria-label='Menu principal'] a",
        "links => links.map(a => [a.getAttribute('aria-current'),"
        " getComputedStyle(a).borderBottomStyle])")
    current = [style for state, style in styles if state == "page"]
    others = [style for state, style in styles if state != "page"]
    assert current == ["solid"] and others and set(others) == {"none"}, styles
