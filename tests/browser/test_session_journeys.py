"""Sessions that warn and forms that survive, in French: a reply typed when the session
ends is sent after signing in again (keyboard only with htmx, and without JavaScript); a
mediator's half-filled appointment survives the new TOTP code; the warning dialog two
minutes before the end, and "Rester connecté" (or Escape) with the keyboard.

Time passes the way the app measures it: the session's stored last-seen time is moved
back in the served database (the app then ends or re-checks the session itself); in the
browser, Playwright's clock moves the page's timers forward.
"""

import datetime as dt

from tests.browser.conftest import PASSWORD, axe, fresh_totp, set_language, sign_in

CAMILLE = "camille.martin@example.org"
AMINA = "amina.diallo@example.org"


def _idle(app_context, email, minutes):
    """Make the person's newest session idle for that many minutes."""
    from webapp.db import utcnow
    from webapp.models.accounts import User, UserSession

    with app_context:
        row = (UserSession.select().join(User).where(User.email == email)
               .order_by(UserSession.id.desc()).first())
        row.last_seen = utcnow() - dt.timedelta(minutes=minutes)
        row.save()
        return row.id


def _last_seen(app_context, row_id):
    from webapp.models.accounts import UserSession

    with app_context:
        return UserSession.get_by_id(row_id).last_seen


def _conversation(app_context):
    from webapp.models.messages import Conversation
    from webapp.models.spaces import Space

    with app_context:
        space = Space.get(Space.first_name == "Camille")
        found = Conversation.get((Conversation.space == space)
                                 & (Conversation.subject == "Vos résultats"))
        return f"/espaces/{space.ref}/messages/{found.id}"


def _camille_space(app_context):
    from webapp.models.spaces import Space

    with app_context:
        return f"/espaces/{Space.get(Space.first_name == 'Camille').ref}"


def _sent(app_context, body):
    from webapp.models.messages import Message

    with app_context:
        return Message.select().where(Message.body == body).count()


def _tab_to(page, predicate_js, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; "
                         f"return {predicate_js}; }})()"):
            return
    raise AssertionError(f"never focused: {predicate_js}")


def test_reply_typed_when_the_session_ends_is_sent_after_signing_in_keyboard(page,
                                                                             app_context):
    sign_in(page, CAMILLE, reuse=False)
    set_language(page, "fr")
    conversation = _conversation(app_context)
    page.goto(conversation)
    draft = "Brouillon au clavier : je serai là jeudi."
    _tab_to(page, "el.id === 'body'")
    page.keyboard.type(draft)
    _idle(app_context, CAMILLE, 31)  # away from the shared computer: the session ends
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Envoyer'")
    with page.expect_navigation():  # htmx follows HX-Redirect: a whole page, not a fragment
        page.keyboard.press("Enter")
    assert "/connexion?next=" in page.url
    assert page.locator("main").count() == 1 and page.locator("h1").count() == 1
    assert "Ce que vous aviez saisi est conservé" in page.locator("main").inner_text()
    assert not axe(page)
    _tab_to(page, "el.id === 'email'")
    page.keyboard.type(CAMILLE)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(conversation)
    assert page.input_value("#body") == draft
    assert "pas encore envoyé" in page.locator("main").inner_text()
    assert _sent(app_context, draft) == 0  # the person sends it, not the app
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Envoyer'")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('live').textContent.includes('envoyé')")
    assert draft in page.locator("#thread li").last.inner_text()
    assert _sent(app_context, draft) == 1


def test_reply_typed_when_the_session_ends_is_sent_after_signing_in_without_javascript(
        page_nojs, app_context):
    page = page_nojs
    sign_in(page, CAMILLE, reuse=False)
    set_language(page, "fr")
    conversation = _conversation(app_context)
    page.goto(conversation)
    draft = "Brouillon sans JavaScript : merci pour les résultats."
    page.fill("#body", draft)
    _idle(app_context, CAMILLE, 31)
    with page.expect_navigation():
        page.click("button:has-text('Envoyer')")
    assert "/connexion?next=" in page.url
    assert "Ce que vous aviez saisi est conservé" in page.locator("main").inner_text()
    page.fill("#email", CAMILLE)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/connexion'] button[type=submit]")
    assert page.url.endswith(conversation)  # the conversation, not "Page introuvable"
    assert page.input_value("#body") == draft
    with page.expect_navigation():
        page.click("button:has-text('Envoyer')")
    assert page.locator(".notice--success").inner_text().strip() == "Votre message est envoyé."
    assert _sent(app_context, draft) == 1


def test_mediator_half_filled_appointment_survives_the_new_code(page, app_context):
    sign_in(page, AMINA, reuse=False)
    set_language(page, "fr")
    form_page = _camille_space(app_context) + "/agenda/nouveau"
    page.goto(form_page)
    _tab_to(page, "el.id === 'title'")
    page.keyboard.type("Kinésithérapeute avec Camille")
    _tab_to(page, "el.id === 'note'")
    page.keyboard.type("Apporter l'ordonnance")
    _idle(app_context, AMINA, 16)  # a long conversation at the desk
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Enregistrer'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/connexion/verification?next=" in page.url
    assert "Ce que vous aviez saisi est conservé" in page.locator("main").inner_text()
    _tab_to(page, "el.id === 'code'")
    page.keyboard.type(fresh_totp(AMINA))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(form_page)
    assert page.input_value("#title") == "Kinésithérapeute avec Camille"
    assert page.input_value("#note") == "Apporter l'ordonnance"
    assert "pas encore envoyé" in page.locator("main").inner_text()
    page.fill("#day", "2026-12-17")
    page.fill("#time", "10:30")
    with page.expect_navigation():
        page.click("main button:has-text('Enregistrer')")
    assert page.locator("h1").inner_text() == "Kinésithérapeute avec Camille"


def test_warning_before_the_end_and_staying_with_the_keyboard(new_page, app_context):
    page = new_page()
    page.clock.install()  # the page's timers run on a clock the test moves
    sign_in(page, CAMILLE, reuse=False)
    set_language(page, "fr")
    page.goto(_camille_space(app_context) + "/agenda")
    assert not page.locator("#session-warning").is_visible()
    row = _idle(app_context, CAMILLE, 29)  # one minute left, as the server counts
    page.clock.fast_forward(28 * 60 * 1000)  # the page's own count reaches the warning
    dialog = page.locator("#session-warning")
    dialog.wait_for(state="visible")
    assert page.evaluate("document.getElementById('session-warning').matches(':modal')")
    assert page.get_by_role("dialog", name="Votre session va bientôt se terminer").is_visible()
    assert "moins de 2 minutes" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Rester connecté"
    assert not axe(page)
    page.keyboard.press("Tab")  # focus stays inside the modal dialog
    assert page.evaluate("document.getElementById('session-warning')"
                         ".contains(document.activeElement)")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    page.wait_for_function("document.getElementById('live').textContent.includes('prolongée')")
    from webapp.db import utcnow

    assert utcnow() - _last_seen(app_context, row) < dt.timedelta(minutes=1)
    _idle(app_context, CAMILLE, 29)  # idle again: Escape closes the warning and stays too
    page.clock.fast_forward(28 * 60 * 1000)
    dialog.wait_for(state="visible")
    page.evaluate("document.getElementById('live').textContent = ''")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    page.wait_for_function("document.getElementById('live').textContent.includes('prolongée')")
    assert utcnow() - _last_seen(app_context, row) < dt.timedelta(minutes=1)
    page.reload()
    assert page.locator("h1").inner_text() == "Agenda"  # still signed in
