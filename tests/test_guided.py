"""Guided mode: one step per page, progress, back link, and links only to pages that
exist and that the person can open now."""

import pytest

from tests.helpers import make_user, space_path
from tests.test_mandate_support import banner, citizen_with_space, mandate_for
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
    _r, doc = client.page("/guide/document/1")
    assert not _links_into_a_space(doc)  # anonymous: no link, an explanation
    assert "pas accessible pour le moment" in doc.text
    citizen, own = citizen_with_space()
    client.sign_in(citizen.email)
    _r, doc = client.page("/guide/document/1")
    assert doc.find("a", href=space_path(own, "/documents")) is not None  # one's own space
    client.submit("/deconnexion")
    mediator = make_user("mediator")
    _c, space = citizen_with_space()
    mandate = mandate_for(mediator, space, ["agenda.read", "agenda.write"])
    client.sign_in(mediator.email)
    _r, doc = client.page("/guide/rendez-vous/1")  # the mediator's own pages: nobody's space
    assert not _links_into_a_space(doc)
    client.submit(f"/assistance/{mandate.reference}/ouvrir")
    _r, doc = client.page(space_path(space, "/"))  # the space's home offers its guide
    assert doc.find("a", href=space_path(space, "/guide")) is not None
    _r, doc = client.page(space_path(space, "/guide"))
    assert doc.find("a", href=space_path(space, "/guide/rendez-vous/1")) is not None
    assert banner(doc) is not None  # still acting for the person
    _r, doc = client.page(space_path(space, "/guide/document/1"))
    assert not _links_into_a_space(doc)  # not in this mandate
    _r, doc = client.page(space_path(space, "/guide/rendez-vous/2"))
    assert doc.find("a", href=space_path(space, "/agenda/nouveau")) is not None
    assert doc.find("a", class_="back-link").get("href") == space_path(space,
                                                                       "/guide/rendez-vous/1")
    _r, doc = client.page(space_path(space, "/guide/bloquer/1"))
    assert not any("/confidentialite" in (a.get("href") or "")
                   for a in doc.find("main").find_all("a"))
    client.page(space_path(space, "/guide/bloquer/9"), status=404)


def test_the_guide_of_a_space_is_for_those_who_may_open_it(client, db):
    _c, space = citizen_with_space()
    client.page(space_path(space, "/guide"), status=302)  # anonymous: sign in first
    stranger, _own = citizen_with_space()
    client.sign_in(stranger.email)
    client.page(space_path(space, "/guide"), status=404)
    client.page(space_path(space, "/guide/document/1"), status=404)


def _links_into_a_space(doc):
    """Links of the page's main part to a space's pages (the guide's own pages aside)."""
    return [a.get("href") for a in doc.find("main").find_all("a")
            if (a.get("href") or "").startswith("/espaces/") and "/guide" not in a.get("href")]
