"""Record journeys: add a document, filter the list and open it, with the keyboard only
(JavaScript on, filters updated in place by htmx) and with JavaScript disabled; the
measurements chart read on a phone with the text size at 200 %."""

import uuid

import pytest

from tests.browser.conftest import horizontal_overflow, set_language, sign_in
from tests.helpers import space_path
from webapp.models.spaces import Space

CAMILLE = "camille.martin@example.org"
TEXT = "Résultat de test : normal.\n"


def _tab_to(page, selector, limit=80):
    """Press Tab until the element matching the CSS selector has focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached {selector} with Tab")


@pytest.fixture
def camille(app_context):
    """The address of Camille's space (/espaces/<ref>)."""
    with app_context:
        return space_path(Space.get(Space.first_name == "Camille"), "")


def _file(tmp_path, title):
    path = tmp_path / "resultat.txt"
    path.write_text(f"{title}\n{TEXT}", encoding="utf-8")
    return path


def test_add_filter_and_open_a_document_with_the_keyboard(page, tmp_path, camille):
    title = f"Analyse clavier {uuid.uuid4().hex[:6]}"
    sign_in(page, CAMILLE)
    page.goto(camille + "/documents")
    set_language(page, "fr")
    _tab_to(page, f"a[href='{camille}/documents/ajouter']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "#file")
    page.set_input_files("#file", str(_file(tmp_path, title)))  # the OS file dialog
    _tab_to(page, "#title")
    page.keyboard.type(title)
    _tab_to(page, "#document_date")
    page.keyboard.type("03022026")
    _tab_to(page, "#category")
    for _ in range(12):
        if page.eval_on_selector("#category", "s => s.value") == "BIOLOGIE":
            break
        page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#category", "s => s.value") == "BIOLOGIE"
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == title
    _tab_to(page, "a.back-link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "#q")
    page.keyboard.type(title)
    with page.expect_response(lambda r: "/documents?" in r.url):
        page.keyboard.press("Enter")  # htmx swaps the list and updates the address
    page.wait_for_function("document.querySelectorAll('.doc-list__item').length === 1")
    assert "q=Analyse" in page.url
    assert page.locator("#live").inner_text().startswith("1 document")
    _tab_to(page, ".doc-list__title a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == title
    _tab_to(page, "a[href$='/ouvrir']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert title in page.locator("body").inner_text()
    page.go_back()
    page.go_back()
    assert "q=Analyse" in page.url  # the back button returns to the filtered list


def test_same_journey_without_javascript(page_nojs, tmp_path, camille):
    page = page_nojs
    title = f"Analyse sans JS {uuid.uuid4().hex[:6]}"
    sign_in(page, CAMILLE)
    page.goto(camille + "/documents/ajouter")
    set_language(page, "fr")
    # A bad file first: the error keeps what was typed.
    bad = tmp_path / "faux.pdf"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    page.set_input_files("#file", str(bad))
    page.fill("#title", title)
    page.fill("#document_date", "2026-02-03")
    page.select_option("#category", "BIOLOGIE")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.title().startswith("Erreur")
    assert page.input_value("#title") == title
    page.set_input_files("#file", str(_file(tmp_path, title)))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == title
    page.goto(camille + "/documents")
    page.fill("#q", title)
    page.select_option("#categorie", "BIOLOGIE")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "q=Analyse" in page.url and "categorie=BIOLOGIE" in page.url
    assert page.locator(".doc-list__item").count() == 1
    with page.expect_navigation():
        page.click(f".doc-list__title a:has-text('{title}')")
    with page.expect_navigation():
        page.click("a[href$='/ouvrir']")
    assert title in page.locator("body").inner_text()


def test_profile_entry_inline_with_htmx(page, camille):
    sign_in(page, CAMILLE)
    page.goto(camille + "/profil")
    set_language(page, "fr")
    page.click("#section-allergies a:has-text('Ajouter')")
    page.wait_for_selector("#section-allergies form")
    page.wait_for_function("document.activeElement.id === 'entry-form-title'",
                           timeout=5000)  # focus moves once htmx has settled
    page.fill("#substance", "Pollen de bouleau")
    page.click("#section-allergies button[type=submit]")
    page.wait_for_function("document.activeElement.id.startsWith('entry-')")
    assert "Pollen de bouleau" in page.evaluate("document.activeElement.textContent")
    assert "ajoutée" in page.locator("#live").inner_text()
    assert page.url.endswith("/profil")  # updated in place


def test_pagination_swaps_the_list_in_place(page, camille):
    sign_in(page, CAMILLE)
    page.goto(camille + "/documents")
    set_language(page, "fr")
    first_title = page.locator(".doc-list__title a").first.inner_text()
    with page.expect_response(lambda r: "apres=" in r.url):
        page.click(".pagination a[rel=next]")
    page.wait_for_function("location.search.includes('apres=')")
    page.wait_for_function("document.activeElement.id === 'document-count'")
    assert page.locator("h1").count() == 1 and page.locator("form.filters").count() == 1
    assert page.locator(".doc-list__title a").first.inner_text() != first_title
    page.go_back()
    page.wait_for_function("!location.search.includes('apres=')")
    assert page.locator(".doc-list__title a").first.inner_text() == first_title


def _boxes(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => {"
                                     " const r = e.getBoundingClientRect();"
                                     " return [r.top, r.bottom, r.left, r.right,"
                                     " parseFloat(getComputedStyle(e).fontSize)]; })")


def test_chart_text_grows_with_the_text_size_on_a_phone(new_page, camille):
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, CAMILLE)
    page.goto(camille + "/mesures/tension")
    set_language(page, "fr")
    assert page.locator(".chart__unit").inner_text() == "mmHg"
    normal = _boxes(page, ".chart__tick")
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # text size 200 %
    large = _boxes(page, ".chart__tick")
    assert [b[4] for b in large] == [2 * b[4] for b in normal]  # every value label doubles
    legend = _boxes(page, ".chart__legend span")
    assert legend and all(b[4] >= 2 * 14 * 0.99 for b in legend)
    for lower, upper in zip(large, large[1:], strict=False):  # bottom to top: no overlap
        assert upper[1] <= lower[0]
    plot = page.locator(".chart__plot").bounding_box()
    assert all(b[3] <= plot["x"] for b in large)  # beside the plot, never over it
    assert horizontal_overflow(page) == 0


def test_adding_a_measurement_is_one_tap_from_the_measurements_page(new_page, camille):
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, CAMILLE)
    page.goto(camille + "/mesures")
    set_language(page, "fr")
    add = page.locator(f"a[href='{camille}/mesures/poids/ajouter']")
    box = add.bounding_box()
    assert box["x"] + box["width"] <= 320  # in sight without scrolling the table
    with page.expect_navigation():
        add.click()
    assert page.input_value("#measured_on") != "" and page.input_value("#value") == ""
    assert page.input_value("#measured_at") != ""  # now, in Paris
    page.fill("#value", "64,2")  # the decimal comma French people type
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "64,2 kg" in page.locator("main").inner_text()
