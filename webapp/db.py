"""Database proxy, per-request connections, and transactions with after-commit work."""

import datetime as dt
from contextlib import contextmanager

from peewee import CharField, DatabaseProxy, DateTimeField, IntegerField, Model
from playhouse.db_url import connect

database = DatabaseProxy()


def utcnow():
    """Naive UTC now: every timestamp in the database is UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(Model):
    """Base of every model: bound to the proxy."""

    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row per applied migration (webapp.migrations)."""

    version = IntegerField(primary_key=True)
    name = CharField()
    applied_at = DateTimeField(default=utcnow)


def open_database(url):
    """Return a peewee database for a DATABASE_URL (SQLite gets WAL and foreign keys)."""
    if url.startswith("sqlite"):
        return connect(url, pragmas={"journal_mode": "wal", "foreign_keys": 1,
                                     "busy_timeout": 5000, "synchronous": "normal"})
    return connect(url)


def is_sqlite():
    """True on the embedded database."""
    return database.obj.__class__.__name__.startswith("Sqlite")


@contextmanager
def transaction():
    """One transaction (a savepoint when nested). On SQLite it takes the write lock at
    once, so two writers wait for each other instead of failing on the lock upgrade."""
    options = {"lock_type": "IMMEDIATE"} if is_sqlite() and not database.in_transaction() \
        else {}
    with database.atomic(**options):
        yield


def after_commit(fn):
    """Run fn once the outermost transaction commits (now when none is open); nothing
    runs when it rolls back."""
    database.after_commit(fn)
    return fn


def init_app(app):
    """Bind the proxy; a request connects on its first query and closes at the end."""
    database.initialize(open_database(app.config["DATABASE_URL"]))

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            if database.in_transaction():
                database.rollback()
            database.close()
