"""Fixtures: an app on a fresh database per test (SQLite file, or PostgreSQL when
DATABASE_URL points to one), a test client with CSRF and page-structure helpers,
factories for accounts and spaces, and the demo data.

One app is built per test worker and reused: each test gets its own database (a copy
of an empty, migrated SQLite file, or truncated PostgreSQL tables), its own storage
folder, the configuration as it was, and empty attempt counters. A test marked
`fresh_app` (one that registers routes, say) gets an app of its own.
"""

import datetime as dt
import os
import shutil

import psycopg2
import pytest
from psycopg2 import sql

from tests.helpers import PageClient, make_space, make_user  # noqa: F401 (re-exported)
from webapp import create_app
from webapp.db import SchemaVersion, database, open_database
from webapp.migrations import all_models, create_schema
from webapp.ratelimit import limiter

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith("postgres")


def _worker_database(url):
    """A PostgreSQL database of this test worker's own (workers run in parallel)."""
    base, name = url.rsplit("/", 1)
    own = f"{name.split('?')[0]}_{WORKER}"
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(own)))
    conn.close()
    return f"{base}/{own}"


PG_URL = _worker_database(BASE_URL) if ON_POSTGRES else ""


def _test_config(tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "AUDIT_KEY": "test-audit-key",
        "DATABASE_URL": PG_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "STORAGE_PATH": str(tmp_path / "storage"),
        "ARGON2_PROFILE": "cheapest",
        "RATELIMIT_ENABLED": False,
        "SECURE_COOKIES": False,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "session",
        "WTF_CSRF_SSL_STRICT": False,
        "MAIL_TRANSPORT": "memory",
        "SERVER_NAME": None,
    }


_pg_schema_ready = False


def _fresh_postgres():
    global _pg_schema_ready
    with database.connection_context():
        if not _pg_schema_ready:
            database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            _pg_schema_ready = True
            create_schema()
            return
        # the schema versions stay: the tables keep the shape their migrations gave
        names = ", ".join(f'"{m._meta.table_name}"' for m in all_models()
                          if m is not SchemaVersion)
        database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        create_schema()


@pytest.fixture(scope="session")
def _template_database(tmp_path_factory):
    """An empty, migrated SQLite file that each test copies (faster than migrating)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    if not ON_POSTGRES:
        database.initialize(open_database(f"sqlite:///{path}"))
        with database.connection_context():
            create_schema()
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(scope="session")
def _shared_app(tmp_path_factory):
    """The app of this worker, with its configuration as built."""
    tmp = tmp_path_factory.mktemp("shared")
    os.environ.setdefault("WEBAPP_INSTANCE_PATH", str(tmp / "instance"))
    application = create_app(_test_config(tmp))
    application.test_client_class = PageClient
    return application, dict(application.config)


def _bind(application, config, tmp_path, template):
    """Give the app this test's database, storage and pristine configuration."""
    application.config.clear()
    application.config.update(config)
    application.config.update(_test_config(tmp_path))
    application.extensions.pop("attempt_counters", None)
    application.extensions.pop("mail_sent", None)
    application.extensions.pop("smart_id_token_key", None)  # loaded again from this config
    # the limiter is one object for every app of the process: a test's fresh app with
    # limits on would otherwise leave them on for the tests after it in this worker
    limiter.enabled = application.config["RATELIMIT_ENABLED"]
    if getattr(limiter, "_storage", None) is not None:  # only when rate limits are on
        with application.app_context():
            limiter.reset()
    if ON_POSTGRES:
        database.initialize(open_database(PG_URL))
        with application.app_context():
            _fresh_postgres()
    else:
        shutil.copyfile(template, tmp_path / "test.sqlite3")
        database.initialize(open_database(application.config["DATABASE_URL"]))


@pytest.fixture
def app(request, tmp_path, monkeypatch, _shared_app, _template_database):
    """An app on an empty, migrated database (the worker's app, unless marked fresh_app)."""
    monkeypatch.setenv("WEBAPP_INSTANCE_PATH", str(tmp_path / "instance"))
    if request.node.get_closest_marker("fresh_app"):
        application = create_app(_test_config(tmp_path))
        application.test_client_class = PageClient
        config = dict(application.config)
    else:
        application, config = _shared_app
    _bind(application, config, tmp_path, _template_database)
    yield application
    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    """A browser-like client: client.page(url) checks structure, client.submit posts with CSRF."""
    return app.test_client()


@pytest.fixture
def db(app):
    """An open connection for tests that create rows directly."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        yield database
        if not database.is_closed():
            database.close()


@pytest.fixture
def demo(app, db):
    """The demo data of seed-demo (accounts, spaces and each area's data)."""
    from webapp import seed

    return seed.run()


@pytest.fixture
def today():
    """Today's date, for tests that compute ages."""
    return dt.date.today()
