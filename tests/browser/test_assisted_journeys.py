"""The full mediator journey in a real browser: keyboard only (JavaScript on), with axe-core
on every step in French and English, and again with JavaScript off."""

import pytest

from tests.browser import conftest
from tests.browser.conftest import axe, set_language, sign_in

AMINA = "amina.diallo@example.org"
CAMILLE = "camille.martin@example.org"


def _fresh_totp():
    """A code of a time step not used yet by Amina (each code works once)."""
    return conftest.fresh_totp(AMINA)


def _tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches the selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"cannot reach {selector} with Tab")


def _press_and_wait(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def _no_violations(page, where):
    violations = axe(page)
    assert not violations, f"{where} [{page.evaluate('document.documentElement.lang')}]: " \
                           f"{violations}"


def _latest_consent_code(app_context):
    """The code of the e-mail that left at once: the served app keeps no copy of it (the
    code is wiped from the outbox once sent), so the last request's code is set to one
    this test knows, after checking that the e-mail was sent without waiting."""
    from webapp.models.accounts import User
    from webapp.models.mandates import ConsentCode
    from webapp.models.notifications import Outbox
    from webapp.security import hash_password

    with app_context:
        row = (Outbox.select().where((Outbox.recipient == User.by_email(CAMILLE))
                                     & (Outbox.template == "mandate_consent_code"))
               .order_by(Outbox.id.desc()).first())
        assert row.sent_at is not None  # no scheduled sender runs here: it left at once
        consent = ConsentCode.select().order_by(ConsentCode.id.desc()).first()
        consent.code_hash = hash_password("246810")
        consent.save(only=[ConsentCode.code_hash])
    return "246810"


@pytest.fixture(autouse=True)
def _demo_mandate_back(app_context):
    """A new mandate of Amina's office for Camille replaces the demo one (DEMO0CAMILLE):
    the other browser tests find it again after each journey."""
    yield
    from webapp.db import utcnow
    from webapp.models.mandates import Mandate

    with app_context:
        camille = Mandate.get(Mandate.reference == "DEMO0CAMILLE").space
        Mandate.update(revoked_at=utcnow()).where(
            (Mandate.space == camille) & (Mandate.reference != "DEMO0CAMILLE")
            & (Mandate.kind == "mediator") & Mandate.revoked_at.is_null()).execute()
        Mandate.update(revoked_at=None).where(Mandate.reference == "DEMO0CAMILLE").execute()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_mediator_journey_keyboard_only(page, app_context, language):
    sign_in(page, AMINA)
    set_language(page, language)
    _no_violations(page, "home")
    _tab_to(page, "a[href='/mandats/nouveau']")
    _press_and_wait(page)
    _no_violations(page, "step 1")
    _tab_to(page, "#nir")
    page.keyboard.type("284057505612387")
    _tab_to(page, "#birth_date")
    page.keyboard.type("14/05/1984")
    _press_and_wait(page)
    _no_violations(page, "step 2")
    _tab_to(page, "input[value='profile.read']")
    page.keyboard.press("Space")
    _tab_to(page, "main form:not(.wizard-cancel) button[type=submit]")
    _press_and_wait(page)
    _no_violations(page, "step 3")
    _tab_to(page, "input[name=duration]")
    page.keyboard.press("Space")  # the first choice: this visit only
    _tab_to(page, "main form:not(.wizard-cancel) button[type=submit]")
    _press_and_wait(page)
    _no_violations(page, "step 4")
    _tab_to(page, "#read")
    page.keyboard.press("Space")
    _tab_to(page, "main form:not(.wizard-cancel) button[type=submit]")
    _press_and_wait(page)
    _no_violations(page, "step 5")
    _tab_to(page, "form:has(input[value=send]) button")
    _press_and_wait(page)
    _no_violations(page, "step 5, code sent")
    _tab_to(page, "#c-code")
    page.keyboard.type(_latest_consent_code(app_context))
    _press_and_wait(page)
    assert "/mandats/nouveau/" in page.url and page.url.endswith("/confirmation")
    _no_violations(page, "step 6")
    _tab_to(page, "#code")
    page.keyboard.type(_fresh_totp())
    _press_and_wait(page)
    assert "/attestation" in page.url
    _no_violations(page, "attestation")
    main = page.locator("main").inner_text()
    assert "Camille MARTIN" in main and "Amina DIALLO" in main
    # act for Camille under the new mandate, then leave
    reference = page.url.split("/mandats/")[1].split("/")[0]
    page.goto("/")
    _tab_to(page, f"form[action='/assistance/{reference}/ouvrir'] button")
    _press_and_wait(page)
    assert "/espaces/" in page.url  # the address names Camille's space
    banner = page.locator(".context-banner--assisted")
    assert "Camille MARTIN" in banner.inner_text()
    assert page.locator("main [role=status]").count() == 1  # announced once
    _no_violations(page, "assisted home")
    _tab_to(page, "form[action$='/quitter'] button")
    _press_and_wait(page)
    assert page.locator(".context-banner--assisted").count() == 0
    with page.expect_navigation():  # "this visit only" ends at sign-out
        page.click("form[action='/deconnexion'] button")


def test_mediator_journey_without_javascript(page_nojs, app_context):
    page = page_nojs
    sign_in(page, AMINA)
    set_language(page, "fr")
    page.goto("/mandats/nouveau")
    page.fill("#nir", "284057505612387")
    page.fill("#birth_date", "14/05/1984")
    with page.expect_navigation():
        page.click("main form:not(.wizard-cancel) button[type=submit]")
    # Camille has a mandate with this office: said, and its rubriques are ticked already
    assert page.locator("#current-title").count() == 1
    for box in page.locator("input[name=scopes]").all():
        box.uncheck()
    with page.expect_navigation():  # nothing ticked: the error is on the page
        page.click("main form.stack button[type=submit]")
    assert page.title().startswith("Erreur") and page.locator(".error-summary").count() == 1
    page.check("input[value='agenda.read']")
    with page.expect_navigation():
        page.click("main form.stack button[type=submit]")
    page.check("input[value='visit']")
    with page.expect_navigation():
        page.click("main form:not(.wizard-cancel) button[type=submit]")
    page.check("#read")
    with page.expect_navigation():
        page.click("main form:not(.wizard-cancel) button[type=submit]")
    page.fill("#l-email", CAMILLE)  # the citizen signs in on the same screen
    page.fill("#l-password", "demo-Espace-2026")
    with page.expect_navigation():
        page.click("form[action$='/accord/connexion'] button")
    page.fill("#code", _fresh_totp())
    with page.expect_navigation():
        page.click("main form:not(.wizard-cancel) button[type=submit]")
    assert "/attestation" in page.url
    reference = page.url.split("/mandats/")[1].split("/")[0]
    pdf = page.request.get(f"/mandats/{reference}/attestation.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.goto("/")
    with page.expect_navigation():
        page.click(f"form[action='/assistance/{reference}/ouvrir'] button")
    assert "Camille MARTIN" in page.locator(".context-banner--assisted").inner_text()
    with page.expect_navigation():
        page.click("form[action$='/quitter'] button")
    assert page.locator(".context-banner--assisted").count() == 0
    with page.expect_navigation():  # "this visit only" ends at sign-out
        page.click("form[action='/deconnexion'] button")
