"""Journeys of the way in, in French, with the keyboard only and without JavaScript: a
newcomer with a letter activates from the public page (and proves the address with the
code e-mailed to it); a person recovers a password (alone, then with a France Services
mediator); blocking a professional asks first (and, with JavaScript, asks in place)."""

import datetime as dt

from tests.browser.conftest import PASSWORD, axe, sign_in
from tests.browser.pages_access import AMINA, latest_link, make_person, new_nir
from tests.browser.pages_privacy import emailed_code

NEW = "une toute nouvelle phrase secrète"


def _tab_to(page, selector, text="", limit=80):
    """Press Tab until the focused element matches the selector (and holds the text)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("([s, t]) => document.activeElement.matches(s) && "
                         "document.activeElement.textContent.includes(t)", [selector, text]):
            return
    raise AssertionError(f"cannot reach {selector} {text!r} with Tab")


def _press_and_wait(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def _type_in(page, selector, text):
    _tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _letter(app_context):
    """A newcomer in the insurer's file: their space is created, their letter printed."""
    from webapp.accounts import insured, letters

    with app_context:
        nir = new_nir(dt.date(1992, 4, 9))
        insured.import_rows([dict(
            matricule_ins=nir, nom_naissance="Garnier", prenoms_naissance="Inès Claire",
            date_naissance="1992-04-09", sexe="F", adresse_ligne1="12 rue des Lilas",
            code_postal="75020", commune="Paris")])
        mine = [letter for letter in letters.printable() if letter.space.nir == nir]
        _batch, [(_letter, code)] = letters.issue(mine)
    return nir, code


def test_a_newcomer_with_a_letter_activates_from_the_public_page(page_nojs, app_context):
    page = page_nojs
    nir, code = _letter(app_context)
    page.goto("/")
    assert page.locator("h1").inner_text() == "Bienvenue sur Mon espace santé"
    _tab_to(page, "main a[href='/activation']")
    _press_and_wait(page)
    assert page.locator("h1").inner_text() == "Activer mon espace santé"
    _type_in(page, "#nir", nir)
    _type_in(page, "#birth_date", "09/04/1992")
    _type_in(page, "#code", code.replace("-", "").lower())  # as typed from the letter
    _press_and_wait(page)
    assert page.url.endswith("/activation/compte")
    email = f"ines.{nir}@example.org"
    _type_in(page, "#email", email)
    _type_in(page, "#password", NEW)
    _type_in(page, "#confirm", NEW)
    _press_and_wait(page)
    assert page.url.endswith("/activation/verification")  # the address is proven first
    assert email in page.locator("main").inner_text()
    with app_context:
        code = emailed_code(email)
    _type_in(page, "#code", code)
    _press_and_wait(page)
    assert "Votre espace santé est activé" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Accueil"


def test_a_person_recovers_a_password(page_nojs, app_context):
    page = page_nojs
    with app_context:
        email, _nir, birth = make_person("oubli")
    page.goto("/connexion")
    _tab_to(page, "main a[href='/mot-de-passe-oublie']")
    _press_and_wait(page)
    _type_in(page, "#email", email)
    _press_and_wait(page)
    assert page.locator("h1").inner_text() == "Consultez votre messagerie"
    with app_context:
        link = latest_link(email)
    page.goto(link)  # from the e-mail
    assert page.url.endswith("/mot-de-passe-oublie/nouveau")  # the token left the address bar
    _type_in(page, "#birth_date", "01/01/1990")
    _type_in(page, "#password", NEW)
    _type_in(page, "#confirm", NEW)
    _press_and_wait(page)
    assert page.title().startswith("Erreur")
    assert "n'est pas celle du titulaire" in page.locator(".error-summary").inner_text()
    assert page.input_value("#birth_date") == "01/01/1990"  # what was typed is kept
    _type_in(page, "#birth_date", birth)
    _type_in(page, "#password", NEW)
    _type_in(page, "#confirm", NEW)
    _press_and_wait(page)
    assert "Votre nouveau mot de passe est enregistré" in page.locator("main").inner_text()
    _tab_to(page, "button", "Se déconnecter")
    _press_and_wait(page)
    page.goto(link)  # single use
    assert page.locator("h1").inner_text() == "Ce lien ne fonctionne plus"
    sign_in(page, email, password=NEW, reuse=False)


def test_a_mediator_helps_a_person_without_an_address(page_nojs, new_page, app_context):
    page = page_nojs
    with app_context:
        email, nir, birth = make_person("guichet")
    sign_in(page, AMINA)
    page.goto("/")
    _tab_to(page, "main a[href='/assistance/recuperation']")
    _press_and_wait(page)
    _type_in(page, "#nir", nir)
    _type_in(page, "#birth_date", birth)
    _tab_to(page, "#document_kind-0")
    page.keyboard.press("Space")
    _type_in(page, "#document_end", "4x2b")
    _tab_to(page, "#present")
    page.keyboard.press("Space")
    _tab_to(page, "main button[type=submit]")
    _press_and_wait(page)
    assert page.url.endswith("/assistance/recuperation/attestation")
    text = page.locator("main").inner_text()
    assert "Léa MOREAU" in text and "se terminant par 4X2B" in text
    code = page.locator("dt:has-text('Code') + dd").inner_text().strip()
    pdf = page.request.get("/assistance/recuperation/attestation.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    # at home, the person chooses a new password with the code
    person = new_page(java_script_enabled=False)
    person.goto("/mot-de-passe-oublie")
    _tab_to(person, "main a[href='/mot-de-passe-oublie/code']")
    _press_and_wait(person)
    for selector, value in (("#nir", nir), ("#birth_date", birth), ("#code", code),
                            ("#password", NEW), ("#confirm", NEW)):
        _type_in(person, selector, value)
    _press_and_wait(person)
    assert "Votre nouveau mot de passe est enregistré" in person.locator("main").inner_text()
    person.goto("/historique")  # the mediator's help is in the person's history
    assert "Code remis en France Services" in person.locator("main").inner_text()
    assert email.startswith("guichet-")


def _patient_and_doctor(app_context):
    """A person of their own and a doctor who follows them: (email, list page, doctor id)."""
    from tests.helpers import make_user, space_path
    from webapp.models.spaces import CareRelation, Space

    with app_context:
        email, nir, _birth = make_person("bloque")
        doctor = make_user("professional", first_name="Hugo", last_name="Lambert")
        space = Space.get(Space.nir == nir)
        CareRelation.create(professional=doctor, space=space)
        return email, space_path(space, "/confidentialite/professionnels"), doctor.id


def test_blocking_asks_first_without_javascript(page_nojs, app_context):
    page = page_nojs
    email, url, _doctor = _patient_and_doctor(app_context)
    sign_in(page, email, password=PASSWORD)
    page.goto(url)
    _tab_to(page, "main button", "Bloquer Hugo LAMBERT")
    _press_and_wait(page)
    assert page.locator("h1").inner_text() == "Bloquer Hugo LAMBERT ?"
    assert "accès en urgence" in page.locator("main").inner_text()
    _tab_to(page, "main button", "Oui, bloquer Hugo LAMBERT")
    _press_and_wait(page)
    assert "est bloqué" in page.locator(".notice").inner_text()
    assert page.locator("main button:has-text('Débloquer Hugo LAMBERT')").count() == 1


def test_blocking_asks_in_place_with_javascript(page, app_context):
    email, url, doctor = _patient_and_doctor(app_context)
    sign_in(page, email, password=PASSWORD)
    page.goto(url)
    _tab_to(page, "main button", "Bloquer Hugo LAMBERT")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.tagName === 'H2' && "
                           "document.activeElement.textContent.includes('Bloquer Hugo')")
    assert page.url.endswith(url)  # in place: the address did not change
    assert not axe(page)
    _tab_to(page, f"#pro-{doctor} a", "Annuler")  # first, change one's mind
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.tagName === 'H2' && "
                           "document.activeElement.textContent.trim() === 'Hugo LAMBERT'")
    _tab_to(page, "main button", "Bloquer Hugo LAMBERT")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.textContent.includes('Bloquer Hugo')")
    _tab_to(page, "main button", "Oui, bloquer Hugo LAMBERT")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('live').textContent.includes('bloqué')")
    page.wait_for_function("document.activeElement.tagName === 'H2'"
                           " && document.activeElement.textContent.includes('Hugo LAMBERT')")
