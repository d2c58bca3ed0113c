"""Journeys of the agenda and the messages with the keyboard only and without JavaScript:
reply to a message, add an appointment."""

from tests.browser.conftest import axe, set_language, sign_in

CAMILLE = "camille.martin@example.org"


def _camille(app_context, path):
    """The address of a page of Camille's space."""
    from webapp.models.spaces import Space

    with app_context:
        return f"/espaces/{Space.get(Space.first_name == 'Camille').ref}{path}"


def _tab_to(page, predicate_js, limit=60):
    """Press Tab until the focused element matches; fail otherwise."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        script = f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"
        if page.evaluate(script):
            return
    raise AssertionError(f"never focused: {predicate_js}")


def _type_date(page, day, month, year):
    """Type a date in a date field whose parts follow the browser's language (d/m or m/d)."""
    page.keyboard.type(day + month + year)
    if page.input_value("#day") != f"{year}-{month}-{day}":
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(month + day + year)
    assert page.input_value("#day") == f"{year}-{month}-{day}"


def test_reply_and_add_appointment_without_javascript(page_nojs):
    page = page_nojs
    sign_in(page, CAMILLE)
    set_language(page, "fr")  # other tests may have left the account in English
    page.click("nav[aria-label='Menu principal'] >> text=Messages")
    assert page.locator("h1").inner_text() == "Messages"
    page.click("a:has-text('Renouvellement')")
    assert page.locator("#closed-notice").is_visible()
    assert page.locator("textarea#body").count() == 0
    page.go_back()
    page.click("a:has-text('Vos résultats')")
    page.click("button:has-text('Envoyer')")  # empty: error, nothing lost
    assert page.locator(".error-summary").is_visible()
    page.fill("#body", "Merci docteur, je prends rendez-vous.")
    page.click("button:has-text('Envoyer')")
    assert "#message-" in page.url
    assert page.locator(".notice--success").inner_text().strip() == "Votre message est envoyé."
    assert page.locator("#thread li").last.inner_text().count("je prends rendez-vous") == 1
    page.click("nav[aria-label='Menu principal'] >> text=Agenda")
    page.click("text=Ajouter un rendez-vous")
    page.fill("#title", "Ophtalmologue")
    page.fill("#day", "2026-12-15")
    page.fill("#time", "14:30")
    page.fill("#day", "")
    page.fill("#note", "Apporter mes lunettes")
    page.click("button:has-text('Enregistrer')")
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#title") == "Ophtalmologue"  # what was typed is kept
    assert page.input_value("#note") == "Apporter mes lunettes"
    page.fill("#day", "2026-12-15")
    page.click("button:has-text('Enregistrer')")
    assert page.locator("h1").inner_text() == "Ophtalmologue"
    assert "14:30" in page.locator("main").inner_text()


def test_reply_and_add_appointment_with_keyboard_only(page, app_context):
    sign_in(page, CAMILLE)
    set_language(page, "fr")  # other tests may have left the account in English
    page.goto(_camille(app_context, "/messages"))
    _tab_to(page, "el.textContent.trim() === 'Vos résultats'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "el.id === 'body'")
    page.keyboard.type("Réponse envoyée au clavier.")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Envoyer'")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('live').textContent.includes('envoyé')")
    page.wait_for_function("document.activeElement.id.startsWith('message-')")  # after settle
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("message-")  # focus moved to the new message
    assert "Réponse envoyée au clavier." in page.locator(f"#{focused}").inner_text()
    assert page.input_value("#body") == ""  # a fresh form for the next message
    assert "/messages/" in page.url and "#" not in page.url  # swapped in place, no reload
    assert not axe(page)

    page.goto(_camille(app_context, "/agenda"))
    _tab_to(page, "el.textContent.trim() === 'Ajouter un rendez-vous'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "el.id === 'title'")
    page.keyboard.type("Kinésithérapeute")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "day"
    _type_date(page, "15", "12", "2026")
    _tab_to(page, "el.id === 'time'", limit=4)  # Tab first crosses the date's parts
    page.keyboard.type("0945")
    if not page.input_value("#time"):  # a 12-hour clock: choose AM
        page.keyboard.type("A")
    typed = (page.input_value("#time"), page.input_value("#day"))
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Enregistrer'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Kinésithérapeute", typed
    assert "09:45" in page.locator("main").inner_text()


def test_reply_with_an_attachment_in_place(page, tmp_path, app_context):
    sign_in(page, CAMILLE)
    set_language(page, "fr")
    page.goto(_camille(app_context, "/messages"))
    with page.expect_navigation():
        page.click("a:has-text('Vos résultats')")
    url = page.url
    note = tmp_path / "ordonnance.txt"
    note.write_text("Ordonnance scannée\n")
    page.fill("#body", "Voici le document demandé.")
    page.set_input_files("#files", str(note))
    page.click("button:has-text('Envoyer')")
    page.wait_for_function("document.activeElement.id.startsWith('message-')")
    assert page.url == url  # no reload
    message = page.locator(".message").last
    assert "Voici le document demandé." in message.inner_text()
    assert message.locator("a:has-text('ordonnance.txt')").count() == 1
    page.set_input_files("#files", [])
    page.fill("#body", "Et un fichier refusé.")
    bad = tmp_path / "programme.exe"
    bad.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00")
    page.set_input_files("#files", str(bad))
    page.click("button:has-text('Envoyer')")
    page.wait_for_selector(".error-summary")
    assert page.input_value("#body") == "Et un fichier refusé."  # nothing typed is lost
    page.wait_for_function("document.activeElement.classList.contains('error-summary')",
                           timeout=5000)  # focus moves once htmx has settled
