"""The schema, its upgrade in place, SQLite settings, and the idempotent demo seed."""

from peewee import CharField

from webapp import db as dbmod
from webapp.db import SchemaVersion, create_schema, database
from webapp.models.accounts import User
from webapp.models.spaces import Space


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
    from tests.helpers import make_space, make_user
    from webapp.models.documents import Document, add_document

    space = make_space(make_user())
    doc = add_document(space, title="Échographie", category="RADIO_SC", sha256="0" * 64,
                       size=1, mime="application/pdf", filename="e.pdf", source="seed",
                       document_date=__import__("datetime").date(2026, 1, 1))
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
