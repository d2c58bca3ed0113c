"""Pages of the national sign-in, reached through the real test provider
(tests/oidc/provider.mjs): the sign-in page with both buttons, a first FranceConnect
sign-in's confirmation (Jean, whose account no journey links), the pages for an identity
without a space or whose space waits for activation, a professional without an account,
and a refused return."""

from tests.oidc_provider import PASSWORD as PROVIDER_PASSWORD


def through_provider(page, login, button="FranceConnect"):
    """From the sign-in page, press the provider's button and sign in there as `login`
    (its pages are skipped when the provider remembers the person)."""
    page.goto("/connexion")
    with page.expect_navigation():
        page.locator("main button", has_text=button).click()
    if page.locator("#login").count():
        page.fill("#login", login)
        page.fill("#password", PROVIDER_PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
    if page.locator("form[action$='/consent']").count():
        with page.expect_navigation():
            page.click("button[type=submit]")


def _as(login, button="FranceConnect"):
    def setup(page, _base_url):
        through_provider(page, login, button)

    return setup


PAGES = [
    (None, "/connexion"),
    (None, "/connexion/franceconnect/confirmer", _as("jean")),
    (None, "/connexion/franceconnect/aucun-espace", _as("inconnu")),
    (None, "/connexion/franceconnect/espace-a-activer", _as("nadia")),
    (None, "/connexion/pro-sante-connect/compte-inconnu", _as("inconnu", "Pro Santé Connect")),
    (None, "/connexion/franceconnect/retour?state=autre&code=x"),
]
