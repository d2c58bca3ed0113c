"""The health check, the page shown while the database is away, and the pool of
PostgreSQL connections that recovers by itself when the server restarts."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile

import psycopg2
import pytest

from tests.conftest import ON_POSTGRES, PG_URL
from tests.helpers import make_space, make_user, space_path
from webapp import create_app
from webapp.db import database
from webapp.migrations import create_schema


def test_healthz_says_the_database_and_storage_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert "postgres" not in response.text and "sqlite" not in response.text


def _unreachable_app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SESSION_COOKIE_SECURE": False,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/nothing",
                       "STORAGE_PATH": str(tmp_path / "s")})


@pytest.mark.fresh_app
def test_without_database_pages_answer_503_with_a_clear_page(tmp_path):
    app = _unreachable_app(tmp_path)
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"
    response = client.post("/connexion", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    text = response.get_data(as_text=True)
    assert "momentanément indisponible" in text and "<h1>" in text
    database.initialize(None)


def _pooled_app(tmp_path, url=PG_URL):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "AUDIT_KEY": "k",
                      "SESSION_COOKIE_SECURE": False, "SESSION_COOKIE_NAME": "session",
                      "WTF_CSRF_ENABLED": False, "ARGON2_PROFILE": "cheapest",
                      "RATELIMIT_ENABLED": False, "DATABASE_URL": url,
                      "DATABASE_POOL_SIZE": 4, "STORAGE_PATH": str(tmp_path / "s"),
                      "MAIL_TRANSPORT": "memory"})
    from tests.helpers import PageClient

    app.test_client_class = PageClient
    return app


def _kill_the_app_connections():
    """What a server restart does to open connections: they all die."""
    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    conn.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="the pool is PostgreSQL's")
@pytest.mark.fresh_app
def test_pooled_connections_are_reused_and_replaced_when_they_die(app, db, tmp_path):
    user = make_user()
    space = make_space(user)
    database.close()
    pooled = _pooled_app(tmp_path)
    client = pooled.test_client()
    client.post("/connexion", data={"email": user.email, "password": "demo-Espace-2026"})
    for _ in range(5):
        assert client.get(space_path(space, "/documents")).status_code == 200
    assert len(database.obj._connections) == 1  # one connection, reused
    _kill_the_app_connections()
    statuses = [client.get(space_path(space, "/documents")).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # a dead connection is replaced at check-out


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_postgres():
    """A PostgreSQL cluster for this test alone: restarting the suite's server would break
    the tests the other workers run at that moment. Yields (url, stop, start)."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0)
    if not bins:
        pytest.skip("PostgreSQL's binaries are not installed")
    pgbin, as_pg = bins[-1], ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = tempfile.mkdtemp(prefix="pg-restart-")
    if as_pg:
        shutil.chown(folder, "postgres")
    port = _free_port()
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(as_pg + [f"{pgbin}/initdb", "-D", f"{folder}/data", "-A", "trust",
                            "-U", "postgres"], check=True, **quiet)
    ctl = as_pg + [f"{pgbin}/pg_ctl", "-D", f"{folder}/data", "-l", f"{folder}/log", "-w"]
    start = ctl + ["-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                   "start"]
    stop = ctl + ["-m", "fast", "stop"]
    subprocess.run(start, check=True, **quiet)
    try:
        subprocess.run([f"{pgbin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U",
                        "postgres", "restart_test"], check=True, **quiet)
        yield f"postgresql://postgres@127.0.0.1:{port}/restart_test", stop, start
    finally:
        subprocess.run(stop, **quiet)
        shutil.rmtree(folder, ignore_errors=True)
        database.initialize(None)


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL server restarts")
def test_the_app_recovers_by_itself_when_postgresql_restarts(own_postgres, tmp_path):
    url, stop, start = own_postgres
    pooled = _pooled_app(tmp_path, url)
    with pooled.app_context():
        with database.connection_context():
            create_schema()
            user = make_user()
            space = make_space(user)
    client = pooled.test_client()
    client.post("/connexion", data={"email": user.email, "password": "demo-Espace-2026"})
    assert client.get(space_path(space, "/documents")).status_code == 200
    subprocess.run(stop, check=True, stdout=subprocess.DEVNULL)
    try:
        during = client.get(space_path(space, "/documents"))
        assert during.status_code == 503
        assert "momentanément indisponible" in during.get_data(as_text=True)
        assert client.get("/healthz").status_code == 503
    finally:
        subprocess.run(start, check=True, stdout=subprocess.DEVNULL)
    assert client.get(space_path(space, "/documents")).status_code == 200
    assert client.get("/healthz").status_code == 200
