"""Database proxy, per-request connections, and transactions with after-commit work."""

import datetime as dt
import os
from contextlib import contextmanager
from urllib.parse import urlparse

from peewee import (
    CharField,
    DatabaseProxy,
    DateTimeField,
    IntegerField,
    InterfaceError,
    Model,
    OperationalError,
)
from playhouse.db_url import connect

database = DatabaseProxy()
DATABASE_ERRORS = (OperationalError, InterfaceError)  # the server is unreachable or restarted


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


def open_database(url, pool_size=0, pool_wait=10, pool_recycle=300):
    """Return a peewee database for a DATABASE_URL (SQLite gets WAL and foreign keys).

    With pool_size, PostgreSQL connections are pooled: a request takes one when it first
    needs it and gives it back at its end; a connection is checked on each check-out (a
    dead one, after a server restart, is replaced), recycled after pool_recycle seconds,
    and a request waits up to pool_wait seconds when all pool_size are in use.
    """
    if url.startswith("sqlite"):
        _private_file(urlparse(url).path[1:])  # as playhouse.db_url reads it
        return connect(url, pragmas={"journal_mode": "wal", "foreign_keys": 1,
                                     "busy_timeout": 5000, "synchronous": "normal"})
    if pool_size and url.startswith("postgres") and "+pool" not in url.split("://")[0]:
        scheme, rest = url.split("://", 1)
        return connect(f"{scheme}+pool://{rest}", max_connections=pool_size,
                       stale_timeout=pool_recycle, timeout=pool_wait)
    return connect(url)


def _private_file(path):
    """Create the SQLite file readable by the service's user only (its journal files
    follow its mode)."""
    if not path or path == ":memory:":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
    except OSError:  # a read-only place: SQLite itself will say what is wrong
        pass


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
    database.initialize(open_database(
        app.config["DATABASE_URL"], pool_size=app.config.get("DATABASE_POOL_SIZE", 0),
        pool_wait=app.config.get("DATABASE_POOL_WAIT", 10),
        pool_recycle=app.config.get("DATABASE_POOL_RECYCLE", 300)))

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            try:
                if database.in_transaction():
                    database.rollback()
                database.close()
            except DATABASE_ERRORS:  # the connection died (server restart): drop it
                getattr(database.obj, "manual_close", database.obj.close)()
