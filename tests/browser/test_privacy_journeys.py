"""Privacy and life-cycle journeys without JavaScript and with the keyboard only:
activating Nadia's space, objecting (with the proof), blocking a professional, filtering
the access history, an emergency access and its trace in the history."""

from tests.browser.conftest import axe, set_language, sign_in
from tests.browser.pages_privacy import emailed_code, professionals
from webapp.models.spaces import Space

NADIA = dict(nir="2 95 03 13 055 012 70", birth="08/03/1995", code="NADIA-2026")
LUCAS = dict(nir="188053306300117", birth="03/05/1988", code="LUCAS-2026")


def _identity(page, person, nir=None):
    page.fill("#nir", nir or person["nir"])
    page.fill("#birth_date", person["birth"])
    page.fill("#code", person["code"])
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_activation_without_javascript(page_nojs, app_context):
    page = page_nojs
    page.goto("/connexion")
    set_language(page, "fr")
    page.goto("/activation")
    _identity(page, NADIA, nir="295031305501271")  # wrong key
    assert page.title().startswith("Erreur")
    summary = page.locator(".error-summary")
    assert "clé" in summary.inner_text()
    assert page.input_value("#birth_date") == NADIA["birth"]  # what was typed is kept
    assert page.get_attribute("#nir", "aria-invalid") == "true"
    _identity(page, NADIA)
    assert page.url.endswith("/activation/compte")
    page.fill("#email", "nadia.benali@example.org")
    page.fill("#password", "une phrase assez longue")
    page.fill("#confirm", "une phrase assez longue")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/activation/verification")
    with app_context:
        code = emailed_code("nadia.benali@example.org")
    page.fill("#code", code)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Votre espace santé est activé" in page.locator("main").inner_text()
    page.click("button:has-text('Se déconnecter')")
    sign_in(page, "nadia.benali@example.org", password="une phrase assez longue")
    page.goto("/activation")
    _identity(page, NADIA)
    assert "déjà activé" in page.locator(".error-summary").inner_text()  # single use


def test_activation_errors_are_accessible(page):
    page.goto("/activation")
    set_language(page, "fr")
    _identity(page, NADIA, nir="29503130550127")
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert not axe(page)
    _identity(page, dict(NADIA, birth="09/03/1995"))
    assert "ne permettent pas d'activer" in page.locator(".error-summary").inner_text()
    set_language(page, "en")
    assert not axe(page)


def test_objection_gives_a_printable_proof(page):
    page.goto("/connexion")
    set_language(page, "fr")
    page.goto("/opposition")
    _identity(page, LUCAS)
    assert page.url.endswith("/opposition/confirmer")
    page.click("main button[type=submit]")  # without ticking the box
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    page.check("#confirm")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/opposition/attestation")
    assert "OPP-" in page.locator("main").inner_text()
    assert not axe(page)
    set_language(page, "en")
    assert not axe(page)
    href = page.get_attribute("a[href$='attestation.pdf']", "href")
    response = page.request.get(href)
    assert response.ok and response.body().startswith(b"%PDF-")


def test_block_and_unblock_without_javascript(page_nojs):
    page = page_nojs
    sign_in(page, "camille.martin@example.org")
    set_language(page, "fr")
    page.goto("/parametres")
    page.click("main a:has-text('Accès des professionnels de santé')")
    page.click("button:has-text('Bloquer Paul BERNARD')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bloquer Paul BERNARD ?"  # asked first
    page.click("button:has-text('Oui, bloquer Paul BERNARD')")
    page.wait_for_load_state()
    assert "est bloqué" in page.locator(".notice").inner_text()
    page.click("button:has-text('Débloquer Paul BERNARD')")
    page.wait_for_load_state()
    assert "est débloqué" in page.locator(".notice").inner_text()


def test_block_with_the_keyboard_is_announced(page, app_context):
    with app_context:
        url = professionals()
    sign_in(page, "camille.martin@example.org")
    set_language(page, "fr")
    page.goto(url)
    for _ in range(40):
        page.keyboard.press("Tab")
        if "Bloquer" in page.evaluate("document.activeElement.textContent"):
            break
    assert "Bloquer Paul BERNARD" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")  # the confirmation, in place, takes the focus
    page.wait_for_function("document.activeElement.tagName === 'H2'"
                           " && document.activeElement.textContent.includes('Bloquer Paul')")
    for _ in range(20):
        page.keyboard.press("Tab")
        if "Oui, bloquer" in page.evaluate("document.activeElement.textContent"):
            break
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('live').textContent.includes('bloqué')")
    # focus moves once htmx has settled the new content (the body holds it meanwhile)
    page.wait_for_function("document.activeElement.tagName === 'H2'"
                           " && document.activeElement.textContent.includes('Paul BERNARD')")
    page.keyboard.press("Tab")  # from the name to its unblock button
    assert "Débloquer Paul BERNARD" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('live').textContent.includes('débloqué')")


def test_history_tabs_with_the_keyboard(page):
    sign_in(page, "camille.martin@example.org")
    set_language(page, "fr")
    page.goto("/historique")
    link = page.locator("nav.tabs a:has-text('Professionnels de santé')")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('nav.tabs a[aria-current=page]').textContent"
        ".includes('Professionnels')")
    assert "qui=professionnels" in page.url
    assert "Paul BERNARD" in page.locator("#history-results").inner_text()
    # focus moves after htmx settles, a moment after the swap: wait for it (or time out)
    page.wait_for_function("document.activeElement.id === 'history-count'", timeout=5000)
    page.select_option("#periode", "7")
    page.click("form.history-filter button[type=submit]")
    page.wait_for_function("location.search.includes('periode=7')")
    assert "7 derniers jours" in page.locator("#history-count").inner_text()


def test_block_form_posts_to_the_space_in_the_address(page_nojs, app_context):
    """The forms of the page name the space they act on: nothing comes from the session."""
    with app_context:
        url = professionals()
    page = page_nojs
    sign_in(page, "camille.martin@example.org")
    set_language(page, "fr")  # the account remembers the last language another test chose
    page.goto(url)
    action = page.get_attribute("form:has(button:has-text('Bloquer Paul BERNARD'))", "action")
    assert action.startswith(url + "/") and action.endswith("/bloquer")
    page.goto(action)  # the confirmation posts there too
    confirm = page.get_attribute("form:has(button:has-text('Oui, bloquer'))", "action")
    assert confirm == action


def test_emergency_access_then_seen_in_the_history(page, new_page, app_context):
    """Dr LEROY (SAMU) opens an emergency access to Jean's space; Jean sees it, with its
    reason, in his history."""
    with app_context:
        jean = Space.get(Space.nir == "175016912345679")
        nir, birth = jean.nir, jean.birth_date.strftime("%d/%m/%Y")
    sign_in(page, "dr.leroy@example.org")
    set_language(page, "fr")
    page.goto("/urgence")
    assert "aide médicale urgente" in page.locator("main").inner_text()
    page.fill("#nir", nir)
    page.fill("#birth_date", birth)
    page.fill("#reason", "Malaise sur la voie publique, recherche des traitements")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/documents" in page.url and "Accès en urgence ouvert" in page.inner_text("main")
    holder = new_page()
    sign_in(holder, "jean.dupont@example.org")
    set_language(holder, "fr")
    holder.goto("/historique")
    text = holder.locator("#history-results").inner_text()
    assert "Ouverture d'un accès en urgence" in text
    assert "Motif déclaré : Malaise sur la voie publique" in text
    assert not axe(holder)
