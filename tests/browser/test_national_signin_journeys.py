"""National sign-in in Chromium, in French, with the keyboard only, through the real test
provider's pages: a FranceConnect sign-in links Camille's account (after her password)
and opens her space; signing out ends the FranceConnect session too, and FranceConnect
alone then opens her space; a professional signs in with Pro Santé Connect."""

import pytest

from tests.browser.conftest import PASSWORD
from tests.oidc_provider import PASSWORD as PROVIDER_PASSWORD


def _tab_to(page, selector, text="", limit=80):
    """Press Tab until the focused element matches the selector (and holds the text)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("([s, t]) => document.activeElement.matches(s) && "
                         "document.activeElement.textContent.includes(t)", [selector, text]):
            return
    raise AssertionError(f"cannot reach {selector} {text!r} with Tab")


def _enter(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _type_in(page, selector, text):
    _tab_to(page, selector)
    page.keyboard.type(text)


def _at_provider(page, login):
    """Sign in and consent on the provider's pages, with the keyboard."""
    assert page.locator("h1").inner_text().endswith(": connexion"), page.url
    _type_in(page, "#login", login)
    _type_in(page, "#password", PROVIDER_PASSWORD)
    _enter(page)
    if page.locator("form[action$='/consent']").count():
        _tab_to(page, "button", "Continuer")
        _enter(page)


def _press_button(page, brand):
    page.goto("/connexion")
    _tab_to(page, "main button", brand)
    _enter(page)


@pytest.fixture(autouse=True)
def _accounts_in_french(app_context):
    """The served database is shared: another journey may have left an account in English."""
    from webapp.models.accounts import User

    with app_context:
        User.update(language="fr").where(User.email.in_(
            ["camille.martin@example.org", "dr.bernard@example.org"])).execute()


def _sessions_of(app_context, email):
    from webapp.models.accounts import User, UserSession

    with app_context:
        return [s.method for s in UserSession.select().join(User).where(User.email == email)]


def test_franceconnect_links_and_opens_the_right_space(browser, live_server, app_context):
    # the app's Content-Security-Policy enforced (form-action), JavaScript off
    context = browser.new_context(base_url=live_server, locale="fr-FR",
                                  java_script_enabled=False)
    context.set_default_timeout(10000)
    page = context.new_page()
    _press_button(page, "FranceConnect")
    _at_provider(page, "camille")
    assert page.locator("h1").inner_text() == "Lier FranceConnect à votre compte"
    assert "Camille MARTIN" in page.locator("main").inner_text()
    _type_in(page, "#password", "pas-le-sien")
    _enter(page)
    assert page.title().startswith("Erreur")
    assert page.locator(".error-summary").is_visible()
    _type_in(page, "#password", PASSWORD)
    _enter(page)
    assert "FranceConnect est lié à votre compte" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Accueil"
    with app_context:
        from webapp.models.spaces import Space

        ref = Space.get(Space.first_name == "Camille").ref
    assert f"/espaces/{ref}/" in page.url
    # signing out ends FranceConnect's session too: the next time asks to sign in there,
    # then FranceConnect alone opens the same space
    _tab_to(page, "header button", "Se déconnecter")
    _enter(page)
    assert page.locator("h1").inner_text().endswith(": déconnexion")
    _tab_to(page, "button", "Se déconnecter")
    _enter(page)
    assert "/connexion" in page.url and "Vous êtes déconnecté" in page.locator("body").inner_text()
    _press_button(page, "FranceConnect")
    _at_provider(page, "camille")
    assert page.locator("h1").inner_text() == "Accueil" and f"/espaces/{ref}/" in page.url
    assert _sessions_of(app_context, "camille.martin@example.org").count("franceconnect") == 2
    context.close()


def test_a_professional_signs_in_with_pro_sante_connect(browser, live_server, app_context):
    context = browser.new_context(base_url=live_server, locale="fr-FR")  # CSP enforced
    context.set_default_timeout(10000)
    page = context.new_page()
    _press_button(page, "Pro Santé Connect")
    _at_provider(page, "bernard")
    assert page.locator("h1").inner_text() == "Mes patients"
    assert "pro_sante_connect" in _sessions_of(app_context, "dr.bernard@example.org")
    context.close()
