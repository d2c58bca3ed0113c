"""Two tabs on two spaces: each form lands in the space its page names, or is refused
with a page that says why; never in the other space. With and without JavaScript."""

import datetime as dt

import pytest

from tests.browser.conftest import set_language, sign_in

CAMILLE = "camille.martin@example.org"
AMINA = "amina.diallo@example.org"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _space(app_context, first_name):
    from webapp.models.spaces import Space

    with app_context:
        return Space.get(Space.first_name == first_name)


def _titles(app_context, model, space, field="title"):
    with app_context:
        return {getattr(row, field) for row in model.select().where(model.space == space)}


def _upload_form(page, ref, title):
    page.goto(f"/espaces/{ref}/documents/ajouter")
    page.fill("#title", title)
    page.fill("#document_date", "2026-03-02")
    page.select_option("#category", "DEPISTAG")
    page.set_input_files("#file", files=[{"name": "vaccins.pdf", "mimeType": "application/pdf",
                                          "buffer": PDF}])


@pytest.mark.parametrize("javascript", [True, False])
def test_a_parent_with_two_tabs_adds_each_document_to_its_own_space(
        new_page, app_context, javascript):
    from webapp.models.documents import Document

    leo, camille = _space(app_context, "Léo"), _space(app_context, "Camille")
    tab1 = new_page(java_script_enabled=javascript)
    sign_in(tab1, CAMILLE)
    set_language(tab1, "fr")
    tab2 = tab1.context.new_page()
    title = f"Carnet de vaccination de Léo ({'js' if javascript else 'sans js'})"
    _upload_form(tab1, leo.ref, title)
    assert "l'espace santé de Léo MARTIN" in tab1.locator("main").inner_text()
    tab2.goto(f"/espaces/{camille.ref}/")  # the parent switches to her own space elsewhere
    assert "Camille" in tab2.locator("main").inner_text()
    with tab1.expect_navigation():
        tab1.click("main button[type=submit]")
    assert f"/espaces/{leo.ref}/documents/" in tab1.url
    assert title in _titles(app_context, Document, leo)
    assert title not in _titles(app_context, Document, camille)


def _agenda_form(page, ref, title):
    page.goto(f"/espaces/{ref}/agenda/nouveau")
    page.fill("#title", title)
    page.fill("#day", (dt.date.today() + dt.timedelta(days=3)).isoformat())
    page.fill("#time", "10:30")


def _mandate_for_a_new_person(app_context, scopes):
    """A citizen of the test's own, and a mandate of Amina's for them (demo data stays)."""
    from tests.helpers import give_mandate, make_space, make_user
    from webapp.models.accounts import User

    with app_context:
        amina = User.by_email(AMINA)
        person = make_user(first_name="Inès", last_name="Garnier")
        space = make_space(person, first_name="Inès", last_name="Garnier")
        give_mandate(amina, space, scopes, duration="month")
        return space


def test_a_mediator_with_two_tabs_files_each_appointment_in_its_own_agenda(
        new_page, app_context):
    from webapp.models.agenda import Appointment

    camille = _space(app_context, "Camille")
    ines = _mandate_for_a_new_person(app_context, ["agenda.read", "agenda.write"])
    tab1 = new_page()
    sign_in(tab1, AMINA)
    set_language(tab1, "fr")
    tab2 = tab1.context.new_page()
    _agenda_form(tab1, camille.ref, "Rendez-vous dentiste pour Camille")
    _agenda_form(tab2, ines.ref, "Rendez-vous kiné pour Inès")
    assert "Inès GARNIER" in tab2.locator(".context-banner").inner_text()
    with tab2.expect_navigation():
        tab2.click("main button[type=submit]")
    with tab1.expect_navigation():
        tab1.click("main button[type=submit]")
    assert "Rendez-vous kiné pour Inès" in _titles(app_context, Appointment, ines)
    assert "Rendez-vous dentiste pour Camille" in _titles(app_context, Appointment, camille)
    assert "Rendez-vous kiné pour Inès" not in _titles(app_context, Appointment, camille)
    assert "Rendez-vous dentiste pour Camille" not in _titles(app_context, Appointment, ines)


@pytest.mark.parametrize("javascript", [True, False])
def test_a_form_posted_after_the_mandate_ended_is_refused_and_writes_nothing(
        new_page, app_context, javascript):
    from webapp.db import utcnow
    from webapp.models.agenda import Appointment
    from webapp.models.mandates import Mandate

    ines = _mandate_for_a_new_person(app_context, ["agenda.read", "agenda.write"])
    camille = _space(app_context, "Camille")
    tab = new_page(java_script_enabled=javascript)
    sign_in(tab, AMINA)
    set_language(tab, "fr")
    _agenda_form(tab, ines.ref, "Écrit après la fin du mandat")
    with app_context:  # the citizen revokes the mandate while the form is open
        Mandate.update(revoked_at=utcnow()).where(Mandate.space == ines.id).execute()
    with tab.expect_navigation():
        tab.click("main button[type=submit]")
    main = tab.locator("main").inner_text()
    assert "Inès GARNIER" in tab.locator("h1").inner_text()
    assert "retiré" in main and "n'a été enregistré nulle part" in main
    for space in (ines, camille):
        assert "Écrit après la fin du mandat" not in _titles(app_context, Appointment, space)
