"""A professional between two consultations, with the keyboard only: find Camille by her
health identity, declare the care relation, deposit a PDF, propose an appointment, write
with an attachment; then the same without JavaScript (another professional); then, as
Camille, see all of it and answer. Each task is timed and its page loads counted: the
numbers of the closing note come from here (printed with -s)."""

import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import axe, horizontal_overflow, set_language, sign_in

CAMILLE = "camille.martin@example.org"
CAMILLE_NIR = "284057505612387"
# professional, their name, how many times ArrowDown picks the document type, its title,
# the day proposed (day, month, year), the message's subject
GARNIER = ("dr.garnier@example.org", "Hélène GARNIER", 3, "Ionogramme sanguin",
           ("15", "12", "2031"), "Votre ionogramme")
LAMBERT = ("thomas.lambert@example.org", "Thomas LAMBERT", 1, "Bilan de kinésithérapie",
           ("16", "12", "2031"), "Votre bilan de kinésithérapie")
DAYS = {"15": "15 décembre 2031", "16": "16 décembre 2031"}


class Task:
    """Times one task and counts the pages it loads (each navigation is a step)."""

    def __init__(self, page, name):
        self.page, self.name, self.steps = page, name, 0

    def __enter__(self):
        self.keys, keyboard = 0, self.page.keyboard
        press, typed = keyboard.press, keyboard.type

        def counted_press(key, **options):
            self.keys += 1
            return press(key, **options)

        def counted_type(text, **options):
            self.keys += len(text)
            return typed(text, **options)

        self.restore = (press, typed)
        keyboard.press, keyboard.type = counted_press, counted_type
        self.start = time.monotonic()
        return self

    def go(self, key="Enter"):
        """Press a key that loads a page (a link or a form), and wait for it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.steps += 1
        assert self.page.locator("h1").count() == 1

    def __exit__(self, *exc):
        self.seconds = round(time.monotonic() - self.start, 1)
        self.page.keyboard.press, self.page.keyboard.type = self.restore


def _tab_to(page, predicate_js, limit=80):
    """Press Tab until the focused element matches; fail otherwise."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; "
                         f"return {predicate_js}; }})()"):
            return
    raise AssertionError(f"never focused: {predicate_js}")


def _tab_to_text(page, text, tag="", limit=80):
    tag_test = f"el.tagName === '{tag}' && " if tag else ""
    _tab_to(page, f"{tag_test}el.textContent.trim() === {text!r}", limit)


def _type_date(page, selector, day, month, year):
    """Type a date in the focused date field, whatever order the browser's language uses."""
    page.keyboard.type(day + month + year)
    if page.input_value(selector) != f"{year}-{month}-{day}":
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(month + day + year)
    assert page.input_value(selector) == f"{year}-{month}-{day}"


def _choose_file(page, path, tries=3):
    """The focused file field opens its chooser with the keyboard (Space). On a loaded
    machine Chromium sometimes drops the first key press on a just-loaded page: try
    again, still with the keyboard, on the same focused field."""
    for _ in range(tries):
        assert page.evaluate("document.activeElement.type") == "file"
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeout:
            continue
        chooser.value.set_files(str(path))
        return
    raise AssertionError("the file field never opened its chooser from the keyboard")


def _journey(page, tmp_path, who, javascript=True):
    """The four tasks (axe checks the pages between them when JavaScript runs)."""
    email, name, type_downs, title, day, subject = who
    tasks = []
    pdf = tmp_path / "compte-rendu.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    sign_in(page, email)
    set_language(page, "fr")

    with Task(page, "find and declare") as task:
        tasks.append(task)
        _tab_to_text(page, "Rechercher un patient", "A")
        task.go()
        _tab_to(page, "el.id === 'ins-matricule'")
        page.keyboard.type(CAMILLE_NIR)
        page.keyboard.press("Tab")
        _type_date(page, "#ins-birth_date", "14", "05", "1984")
        _tab_to_text(page, "Rechercher", "BUTTON", limit=6)
        task.go()
        assert "Patient trouvé : Camille MARTIN" in page.locator("main").inner_text()
        assert "Identité qualifiée" in page.locator("main").inner_text()
        assert horizontal_overflow(page) == 0 and not (javascript and axe(page))
        _tab_to(page, "el.id === 'informed'")
        page.keyboard.press("Space")
        _tab_to_text(page, "Déclarer la relation de soin", "BUTTON", limit=4)
        task.go()
        assert page.locator("h1").inner_text() == "Camille MARTIN"

    with Task(page, "deposit a PDF") as task:
        tasks.append(task)
        _tab_to_text(page, "Déposer un document", "A")
        task.go()
        _tab_to(page, "el.id === 'file'")
        _choose_file(page, pdf)
        _tab_to(page, "el.id === 'title'", limit=4)
        page.keyboard.type(title)
        _tab_to(page, "el.id === 'loinc'", limit=4)
        for _ in range(type_downs):
            page.keyboard.press("ArrowDown")
        _tab_to_text(page, "Déposer le document", "BUTTON", limit=12)
        task.go()
        assert f"Le document « {title} » est déposé" in page.locator("main").inner_text()

    with Task(page, "propose an appointment") as task:
        tasks.append(task)
        _tab_to_text(page, "Proposer un rendez-vous", "A")
        task.go()
        _tab_to(page, "el.id === 'day'")
        _type_date(page, "#day", *day)
        _tab_to(page, "el.id === 'time'", limit=4)
        page.keyboard.type("1030")
        if not page.input_value("#time"):  # a 12-hour clock: choose AM
            page.keyboard.type("A")
        _tab_to_text(page, "Proposer le rendez-vous", "BUTTON", limit=12)
        task.go()
        assert "En attente de réponse" in page.locator("#propositions ~ ul").first.inner_text()

    with Task(page, "write with an attachment") as task:
        tasks.append(task)
        _tab_to_text(page, "Écrire au patient", "A")
        task.go()
        _tab_to(page, "el.id === 'subject'")
        page.keyboard.type(subject)
        _tab_to(page, "el.id === 'body'", limit=3)
        page.keyboard.type(f"Bonjour, voici le compte rendu. {name}")
        _tab_to(page, "el.id === 'files'", limit=3)
        _choose_file(page, pdf)
        _tab_to_text(page, "Envoyer", "BUTTON", limit=4)
        task.go()
        assert "compte-rendu.pdf" in page.locator("main").inner_text()
    assert not (javascript and axe(page))
    return tasks


def _camille_sees_all_of_it(new_page, who):
    """As Camille: the professional in her professionals and history, the document, the
    message with its attachment, the proposal she accepts; the professional sees it."""
    email, name, _downs, title, day, subject = who
    page = new_page(java_script_enabled=False)
    sign_in(page, CAMILLE)
    set_language(page, "fr")
    page.click("nav[aria-label='Menu principal'] >> text=Paramètres")
    page.click("a:has-text('Accès des professionnels de santé')")
    assert name in page.locator("main").inner_text()
    page.go_back()
    page.click("a:has-text('Historique des accès')")
    assert name in page.locator("main").inner_text()
    page.click("nav[aria-label='Menu principal'] >> text=Documents")
    assert title in page.locator("main").inner_text()
    page.click("nav[aria-label='Menu principal'] >> text=Messages")
    with page.expect_navigation():
        page.click(f"a:has-text({subject!r})")
    assert "compte-rendu.pdf" in page.locator("main").inner_text()
    page.click("nav[aria-label='Menu principal'] >> text=Agenda")
    section = page.locator("section.agenda-day", has_text=DAYS[day[0]])
    assert f"Proposé par {name}" in section.inner_text()
    with page.expect_navigation():
        section.locator("a").first.click()
    with page.expect_navigation():
        page.click("button:has-text('Accepter')")
    assert "Vous avez accepté ce rendez-vous." in page.locator("main").inner_text()
    pro = new_page()
    sign_in(pro, email)
    with pro.expect_navigation():
        pro.click("main a:has-text('Camille MARTIN')")
    assert "Accepté par le patient" in pro.locator("#propositions ~ ul").first.inner_text()


def _report(mode, tasks):
    """The closing note's numbers (shown with -s); every task under a minute."""
    for task in tasks:
        print(f"[{mode}] {task.name}: {task.seconds} s, {task.steps} page loads, "
              f"{task.keys} keys pressed")
        assert task.seconds < 60, task.name


@pytest.mark.parametrize("javascript,who", [(True, GARNIER), (False, LAMBERT)],
                         ids=["pro:keyboard-only", "pro:keyboard-only-without-javascript"])
def test_a_professional_feeds_the_record_then_camille_sees_it(new_page, tmp_path, javascript,
                                                              who):
    page = new_page(java_script_enabled=javascript)
    mode = "keyboard, JavaScript" if javascript else "keyboard, no JavaScript"
    _report(mode, _journey(page, tmp_path, who, javascript=javascript))
    _camille_sees_all_of_it(new_page, who)
