"""Connections: PostgreSQL's are pooled (sized from the configuration), a request opens
one only when it first runs a query, and parallel requests on one space never fail."""

import threading

from playhouse.pool import PooledPostgresqlDatabase

from tests.helpers import make_space, make_user, space_path
from webapp import audit
from webapp.db import database, open_database
from webapp.models.audit import AccessLog, LogHead


class Connections:
    """Counts the connections the app opens while active."""

    def __init__(self):
        self.obj, self.opened = database.obj, 0

    def __enter__(self):
        original = self.obj._connect

        def counting(*args, **kwargs):
            self.opened += 1
            return original(*args, **kwargs)

        self.obj._connect = counting
        return self

    def __exit__(self, *exc):
        del self.obj._connect


def test_postgresql_connections_are_pooled_as_configured():
    pooled = open_database("postgresql://app@127.0.0.1:5432/app", pool_size=7, pool_wait=3,
                           pool_recycle=120)
    assert isinstance(pooled, PooledPostgresqlDatabase)
    assert (pooled._max_connections, pooled._stale_timeout, pooled._wait_timeout) == (7, 120, 3)
    single = open_database("postgresql://app@127.0.0.1:5432/app", pool_size=0)
    assert not isinstance(single, PooledPostgresqlDatabase)


def test_a_static_file_opens_no_connection_even_signed_in(app, client, db):
    user = make_user()
    make_space(user)
    client.sign_in(user.email)
    database.close()
    with Connections() as connections, client.get("/static/css/app.css") as response:
        assert response.status_code == 200
    assert connections.opened == 0


def test_public_pages_that_need_no_data_open_no_connection(app, client, db):
    database.close()
    for url in ("/", "/connexion", "/plan-du-site"):
        with Connections() as connections, client.get(url) as response:
            assert response.status_code == 200, url
        assert connections.opened == 0, url


def test_a_page_of_a_space_opens_one_connection(app, client, db):
    user = make_user()
    space = make_space(user)
    client.sign_in(user.email)
    database.close()
    with Connections() as connections:
        assert client.get(space_path(space, "/documents")).status_code == 200
    assert connections.opened == 1
    assert database.is_closed()  # given back at the end of the request


def test_25_people_browsing_one_space_at_once_never_fail_and_keep_the_chain(app, db):
    """A citizen's tabs, her mediator, her caregiver: 25 at once, 4 pages each. Each
    append moves the chain head with a compare-and-set, or locks it when another came
    first: no request fails, no sequence is lost or doubled."""
    user = make_user()
    space = make_space(user)
    clients = []
    for _ in range(25):
        client = app.test_client()
        client.sign_in(user.email)
        clients.append(client)
    before = AccessLog.select().where(AccessLog.space == space).count()
    statuses, lock, start = [], threading.Lock(), threading.Barrier(25)

    def browse(client):
        start.wait()
        for path in ("/documents", "/agenda", "/historique", "/"):
            status = client.get(space_path(space, path)).status_code
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=browse, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 100 and set(statuses) == {200}, sorted(set(statuses))
    assert AccessLog.select().where(AccessLog.space == space).count() == before + 100
    assert audit.first_broken(space) is None
    assert LogHead.get(LogHead.space == space).sequence == before + 100
