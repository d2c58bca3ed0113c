"""The request's access object writes one log entry per request, refined with what was
read or changed; parallel requests on one space append to its chain without failing."""

import threading

from tests.helpers import logged, make_document, make_space, make_user, space_path
from webapp import audit
from webapp.models.audit import AccessLog, LogHead


def _rows(space):
    return AccessLog.select().where(AccessLog.space == space).count()


def test_every_page_of_a_space_writes_one_entry(app, client, demo):
    space = demo.spaces["camille"]
    client.sign_in("camille.martin@example.org")
    pages = [rule.rule.replace("<ref>", space.ref) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/espaces/<ref>") and rule.arguments == {"ref"}
             and "GET" in rule.methods and not rule.rule.endswith(("export.ics", ".pdf"))]
    assert len(pages) > 15
    for url in pages:
        before = _rows(space)
        response = client.get(url)
        assert response.status_code in (200, 302, 303, 404), url  # pro pages: 404
        assert _rows(space) - before == 1, url


def test_a_download_writes_one_entry_that_names_the_document(client, db):
    user = make_user()
    space = make_space(user)
    doc = make_document(space)
    client.sign_in(user.email)
    before = _rows(space)
    assert client.get(space_path(space, f"/documents/{doc.id}/telecharger")).status_code == 200
    assert _rows(space) - before == 1
    entry = logged(doc, "download").get()
    assert (entry.action, entry.capacity, entry.allowed) == ("documents.read", "owner", True)


def test_a_change_writes_one_entry_in_its_transaction(client, db):
    user = make_user()
    space = make_space(user)
    doc = make_document(space)
    client.sign_in(user.email)
    before = _rows(space)
    assert client.submit(space_path(space, f"/documents/{doc.id}/masquer")).status_code == 303
    assert _rows(space) - before == 1
    assert logged(doc, "hide", action="documents.manage").exists()


def test_a_refused_request_writes_one_refusal(client, db):
    space = make_space(make_user())
    stranger = make_user()
    client.sign_in(stranger.email)
    assert client.get(space_path(space, "/documents")).status_code == 404
    entry = AccessLog.get(AccessLog.space == space)
    assert (entry.actor_id, entry.allowed, entry.action) == (stranger.id, False,
                                                             "documents.read")


def test_parallel_requests_on_one_space_never_fail_and_keep_the_chain(app, db):
    """A citizen in two tabs and her mediator at once: each request appends after the
    last entry, serialised on the space's chain head, none fails."""
    user = make_user()
    space = make_space(user)
    clients = []
    for _ in range(6):
        client = app.test_client()
        client.sign_in(user.email)
        clients.append(client)
    statuses, lock = [], threading.Lock()

    def browse(client):
        for path in ("/documents", "/agenda", "/profil", "/historique", "/"):
            status = client.get(space_path(space, path)).status_code
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=browse, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses and set(statuses) == {200}, statuses
    assert _rows(space) == 30
    assert audit.first_broken(space) is None
    assert LogHead.get(LogHead.space == space).sequence == 30
