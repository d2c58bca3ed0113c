"""Fixtures: an app on a fresh database per test (SQLite file, or PostgreSQL when
DATABASE_URL points to one), a test client with CSRF and page-structure helpers,
factories for accounts and spaces, and the demo data."""

import datetime as dt
import os

import pytest

from tests.helpers import PageClient, make_space, make_user  # noqa: F401 (re-exported)
from webapp import create_app
from webapp.db import SchemaVersion, database
from webapp.migrations import all_models, create_schema

PG_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgres")
_pg_schema_ready = False


def _test_config(tmp_path):
    url = PG_URL if ON_POSTGRES else f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": url,
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


def _fresh_schema():
    global _pg_schema_ready
    if not ON_POSTGRES:
        with database.connection_context():
            create_schema()
        return
    with database.connection_context():
        if not _pg_schema_ready:
            database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            _pg_schema_ready = True
            create_schema()
        else:
            # the schema versions stay: the tables keep the shape their migrations gave
            names = ", ".join(f'"{m._meta.table_name}"' for m in all_models()
                              if m is not SchemaVersion)
            database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            create_schema()


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A new app on an empty, migrated database."""
    monkeypatch.setenv("WEBAPP_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(_test_config(tmp_path))
    application.test_client_class = PageClient
    with application.app_context():
        _fresh_schema()
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
