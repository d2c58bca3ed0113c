"""Uploads from a phone (320 px wide): a 6.4 MB photo with an error elsewhere in the form
is kept and only then added; a file over 5 MB is stopped in the browser, with the reason
shown and announced, before anything is sent."""

import uuid

import pytest

from tests.browser.conftest import axe, horizontal_overflow, set_language, sign_in
from tests.helpers import space_path
from tests.uploads_support import phone_jpeg
from webapp.models.spaces import Space

CAMILLE = "camille.martin@example.org"
PHONE = {"width": 320, "height": 640}


@pytest.fixture
def camille(app_context):
    """The address of Camille's space (/espaces/<ref>)."""
    with app_context:
        return space_path(Space.get(Space.first_name == "Camille"), "")


def test_a_phone_photo_is_kept_across_an_error_then_added(new_page, tmp_path, camille):
    page = new_page(viewport=PHONE)
    sign_in(page, CAMILLE)
    page.goto(camille + "/documents/ajouter")
    set_language(page, "fr")
    photo = tmp_path / "IMG_2041.JPG"
    photo.write_bytes(phone_jpeg())
    page.set_input_files("#file", str(photo))
    notice = page.locator("#file-check")
    assert "elle sera allégée à l'envoi pour tenir dans 5 Mo" in notice.inner_text()
    page.wait_for_function("document.getElementById('live').textContent.includes('allégée')")
    page.select_option("#category", "ORD_SOIN")
    with page.expect_navigation():  # no title: the form comes back with an error
        page.click("main form button[type=submit]")
    assert page.title().startswith("Erreur")
    received = page.locator("[data-received-file]")
    assert "Fichier reçu : IMG_2041.jpg (JPEG" in received.inner_text()
    assert page.is_checked("#file_choice-keep") and not page.is_visible("#file")
    assert horizontal_overflow(page) == 0 and axe(page) == []
    page.focus("#file_choice-keep")
    page.keyboard.press("ArrowDown")  # "Changer de fichier": the new-file field appears
    assert page.is_checked("#file_choice-change") and page.is_visible("#file")
    page.keyboard.press("ArrowUp")
    assert not page.is_visible("#file")
    title = f"Photo d'ordonnance {uuid.uuid4().hex[:6]}"
    page.fill("#title", title)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == title
    assert "JPEG" in page.locator("main").inner_text()


def test_a_file_over_5_mb_is_stopped_before_sending(new_page, tmp_path, camille):
    page = new_page(viewport=PHONE)
    sign_in(page, CAMILLE)
    page.goto(camille + "/documents/ajouter")
    set_language(page, "fr")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    page.set_input_files("#file", str(scan))
    page.fill("#title", "Scanner")
    url = page.url
    page.click("main form button[type=submit]")
    message = "Ce fichier fait 6 Mo : il doit faire 5 Mo au maximum."
    page.wait_for_function(f"document.getElementById('live').textContent.includes({message!r})")
    assert message in page.locator("#file-check").inner_text()
    assert page.url == url and page.evaluate("document.activeElement.id") == "file"
    assert page.get_attribute("#file", "aria-invalid") == "true"
    assert "file-check" in page.get_attribute("#file", "aria-describedby")
