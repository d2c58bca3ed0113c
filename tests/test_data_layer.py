"""The schema, its upgrade in place, SQLite settings, and the idempotent demo seed."""

import datetime as dt
import hashlib

from peewee import CharField

from tests.helpers import make_document, make_space, make_user
from webapp import audit
from webapp import migrations as dbmod
from webapp.db import SchemaVersion, database
from webapp.migrations import create_schema
from webapp.models.accounts import User
from webapp.models.audit import AccessLog, LogHead
from webapp.models.documents import Document
from webapp.models.spaces import Space
from webapp.scopes import Capacity


def test_sqlite_runs_in_wal_with_foreign_keys(app, db):
    if not database.obj.__class__.__name__.startswith("Sqlite"):
        return
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_init_db_is_idempotent(app, db):
    create_schema()
    create_schema()
    assert User.select().count() == 0


def test_migration_upgrades_in_place(app, db, monkeypatch):
    User.create(email="x@example.org", password_hash="h", role="citizen", first_name="X",
                last_name="Y")

    def add_nickname(migrator, migrate):
        migrate(migrator.add_column("user", "nickname_test", CharField(default="")))

    version = max([v for v, _, _ in dbmod.MIGRATIONS] + [0]) + 1
    monkeypatch.setattr(dbmod, "MIGRATIONS", dbmod.MIGRATIONS + [(version, "nick", add_nickname)])
    try:
        create_schema()
        create_schema()  # a second run applies nothing twice
        columns = [c.name for c in database.get_columns("user")]
        assert "nickname_test" in columns
        assert User.select().count() == 1
        assert SchemaVersion.select().where(SchemaVersion.version == version).count() == 1
    finally:  # PostgreSQL keeps its schema between tests: put it back
        if "nickname_test" in [c.name for c in database.get_columns("user")]:
            database.execute_sql('ALTER TABLE "user" DROP COLUMN nickname_test')


def test_documents_of_an_older_schema_get_their_searchable_title(app, db, monkeypatch):
    """Migration 1 on a database created before document.title_folded existed."""
    space = make_space(make_user())
    doc = make_document(space, title="Échographie", category="RADIO_SC")
    database.execute_sql("ALTER TABLE document DROP COLUMN title_folded")
    SchemaVersion.delete().where(SchemaVersion.version == 1).execute()
    try:
        create_schema()
    finally:  # whatever happens, leave the table as the other tests expect it
        if "title_folded" not in [c.name for c in database.get_columns("document")]:
            database.execute_sql("ALTER TABLE document ADD COLUMN title_folded TEXT "
                                 "NOT NULL DEFAULT ''")
    assert Document.get_by_id(doc.id).title_folded == "echographie"
    assert SchemaVersion.get_by_id(1).name == "document.title_folded"


def _drop_unique_index(table, column):
    for index in database.get_indexes(table):
        if index.columns == [column]:
            database.execute_sql(f'DROP INDEX "{index.name}"')


def test_spaces_of_an_older_schema_get_an_opaque_reference(app, db):
    """Migration 2: each space gets its own reference for its address."""
    spaces = [make_space(make_user()) for _ in range(3)]
    _drop_unique_index("space", "ref")
    database.execute_sql("ALTER TABLE space DROP COLUMN ref")
    SchemaVersion.delete().where(SchemaVersion.version == 2).execute()
    create_schema()
    refs = [Space.get_by_id(s.id).ref for s in spaces]
    assert all(len(r) == 12 for r in refs) and len(set(refs)) == 3
    assert not any(r == str(s.id) or s.nir in r or r.isdigit()
                   for s, r in zip(spaces, refs, strict=True))


def test_log_of_an_older_schema_keeps_its_chain_and_gets_its_head(app, db):
    """Migration 3: entries written with the unkeyed chain (format 1) still verify, their
    targets are split into columns, and the space gets its chain head."""
    space = make_space(make_user())
    previous = ""
    for sequence, target in enumerate(("document:12:download", "history.index"), start=1):
        entry = AccessLog(space=space, capacity="owner", action="documents.read", target=target,
                          allowed=True, sequence=sequence, prev_hash=previous, format=1,
                          created_at=dt.datetime(2026, 1, sequence))
        entry.entry_hash = hashlib.sha256(entry.payload().encode()).hexdigest()
        entry.save(force_insert=True)
        previous = entry.entry_hash
    for column in ("target_kind", "target_id", "detail", "format"):
        database.execute_sql(f"ALTER TABLE access_log DROP COLUMN {column}")
    LogHead.delete().execute()
    SchemaVersion.delete().where(SchemaVersion.version == 3).execute()
    create_schema()
    rows = list(AccessLog.select().order_by(AccessLog.sequence))
    assert [(r.target_kind, r.target_id, r.detail) for r in rows] == [
        ("document", 12, "download"), ("", None, "history.index")]
    assert audit.first_broken(space) is None
    assert LogHead.get(LogHead.space == space).sequence == 2
    # the keyed chain goes on
    audit.write(space, action=audit.Action.SPACE_VIEW, capacity=Capacity.OWNER)
    assert audit.first_broken(space) is None


def test_seed_demo_is_idempotent(app, db):
    from webapp import seed

    seed.run()
    counts = (User.select().count(), Space.select().count())
    seed.run()
    assert (User.select().count(), Space.select().count()) == counts
    emails = {u.email for u in User.select()}
    assert emails >= {"camille.martin@example.org", "jean.dupont@example.org",
                      "amina.diallo@example.org", "dr.bernard@example.org", "admin@example.org"}
    assert {s.nir for s in Space.select()} >= {"284057505612387", "118127511400221",
                                                "175016912345679", "295031305501270"}


def test_cli_init_db_and_seed(app):
    runner = app.test_cli_runner()
    assert "Database ready" in runner.invoke(args=["init-db"]).output
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "demo-Espace-2026" in result.output


def test_migrations_on_sqlite_lose_no_row_of_the_tables_that_point_to_them(app, db):
    """Adding a NOT NULL column must not rebuild the table: dropping the old one would
    delete, through ON DELETE CASCADE, every session, mandate or log entry pointing to it."""
    from webapp.db import is_sqlite
    from webapp.models.accounts import UserSession

    if not is_sqlite():
        return
    owner = make_user()
    space = make_space(owner)
    UserSession.start(owner)
    audit.write(space, action=audit.Action.SPACE_VIEW, capacity=Capacity.OWNER, actor=owner)
    counts = (UserSession.select().count(), AccessLog.select().count(), Space.select().count())
    for table, column in (("user", "specialty"), ("consent_code", "terms"),
                          ("log_head", "seal"), ("document", "title_folded")):
        database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    SchemaVersion.delete().where(SchemaVersion.version.in_([1, 4, 7, 8])).execute()
    create_schema()
    assert (UserSession.select().count(), AccessLog.select().count(),
            Space.select().count()) == counts
    assert audit.first_broken(space) is None
