"""Database proxy, per-request connection hooks, schema creation and migrations."""

import datetime as dt
import importlib
import pkgutil

import click
from peewee import CharField, DatabaseProxy, DateTimeField, IntegerField, Model
from playhouse.db_url import connect
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

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
    """One row per applied migration."""

    version = IntegerField(primary_key=True)
    name = CharField()
    applied_at = DateTimeField(default=utcnow)


# Migrations alter tables that already exist; new tables are created by create_tables.
# Append (version, name, function(migrator, db)) and never edit a released one.
MIGRATIONS = []


def open_database(url):
    """Return a peewee database for a DATABASE_URL (SQLite gets WAL and foreign keys)."""
    if url.startswith("sqlite"):
        return connect(url, pragmas={"journal_mode": "wal", "foreign_keys": 1,
                                     "busy_timeout": 5000, "synchronous": "normal"})
    return connect(url)


def all_models():
    """Every model of webapp.models, in an order that respects foreign keys."""
    from webapp import models

    for info in pkgutil.iter_modules(models.__path__):
        importlib.import_module(f"webapp.models.{info.name}")
    found, stack = [], list(BaseModel.__subclasses__())
    while stack:
        cls = stack.pop(0)
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    from peewee import sort_models

    return sort_models(found)


def create_schema():
    """Create missing tables and apply pending migrations; safe to run again.

    A new database gets every table in its latest shape, so all migrations count as
    applied; an existing one gets the new tables and then the migrations it lacks.
    """
    db = database.obj
    with db.atomic():
        fresh = not db.table_exists(SchemaVersion._meta.table_name) and not db.get_tables()
        db.create_tables(all_models(), safe=True)
        done = {row.version for row in SchemaVersion.select()}
        migrator = SqliteMigrator(db) if db.__class__.__name__.startswith("Sqlite") \
            else PostgresqlMigrator(db)
        for version, name, func in sorted(MIGRATIONS, key=lambda m: m[0]):
            if version in done:
                continue
            if not fresh:
                func(migrator, migrate)
            SchemaVersion.create(version=version, name=name)


def init_app(app):
    """Bind the proxy and open one connection per request."""
    database.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()

    @app.cli.command("init-db")
    def init_db_command():
        """Create or upgrade the database schema."""
        create_schema()
        click.echo("Database ready.")
