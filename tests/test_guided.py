"""Guided mode: one step per page, progress, back link, and links only to pages that
exist and that the person can open now."""

import pytest

from tests.helpers import make_user
from tests.test_mandate_support import citizen_with_space, mandate_for
from webapp.views.guided import TASKS


def test_index_lists_the_six_tasks(client, db):
    _r, doc = client.page("/guide")
    links = {a.get("href") for a in doc.find("main").find_all("a")}
    for code in ("activer", "document", "message", "rendez-vous", "bloquer", "mandat"):
        assert f"/guide/{code}/1" in links


@pytest.mark.parametrize("task", list(TASKS))
def test_every_step_has_progress_back_and_next(client, db, task):
    total = len(TASKS[task][2])
    for n in range(1, total + 1):
        _r, doc = client.page(f"/guide/{task}/{n}")
        assert f"Étape {n} sur {total}" in doc.find("p", class_="steps").text
        back = doc.find("a", class_="back-link").get("href")
        assert back == (f"/guide/{task}/{n - 1}" if n > 1 else "/guide")
        hrefs = {a.get("href") for a in doc.find("main").find_all("a")}
        assert (f"/guide/{task}/{n + 1}" in hrefs) if n < total else ("/guide" in hrefs)
    client.page(f"/guide/{task}/{total + 1}", status=404)
    client.page(f"/guide/{task}/0", status=404)


def test_links_follow_what_the_person_may_open(app, client, db):
    if "documents.index" not in app.view_functions:
        pytest.skip("documents area not here yet")
    _r, doc = client.page("/guide/document/1")
    assert doc.find("a", href="/documents") is None  # anonymous: no link, an explanation
    citizen, _space = citizen_with_space()
    client.sign_in(citizen.email)
    _r, doc = client.page("/guide/document/1")
    assert doc.find("a", href="/documents") is not None
    client.submit("/deconnexion")
    mediator = make_user("mediator")
    _c, space = citizen_with_space()
    mandate = mandate_for(mediator, space, ["agenda.read"])
    client.sign_in(mediator.email)
    client.submit(f"/assistance/{mandate.reference}/ouvrir")
    _r, doc = client.page("/guide/document/1")
    assert doc.find("a", href="/documents") is None  # not in this mandate
    _r, doc = client.page("/guide/bloquer/1")
    assert not any("/confidentialite" in (a.get("href") or "")
                   for a in doc.find("main").find_all("a"))
