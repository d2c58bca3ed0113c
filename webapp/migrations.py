"""The schema: every model's table, and the migrations that bring an older database up.

A new database gets every table in its latest shape and records every migration as
applied; an existing one gets its missing tables, then the migrations it lacks, once.
Append to MIGRATIONS (version, name, function(migrator, migrate)); never edit a released
one.
"""

import peewee
from peewee import BigIntegerField, CharField, IntegerField, TextField, sort_models
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from webapp.db import BaseModel, SchemaVersion, database, is_sqlite
from webapp.models import (  # noqa: F401 (every module, so that every model is known)
    accounts,
    agenda,
    assistance,
    audit,
    catalogue,
    documents,
    mandates,
    measurements,
    messages,
    notifications,
    privacy,
    profile,
    spaces,
)
from webapp.models.documents import Document, fold
from webapp.pro.professions import Profession, Specialty


def all_models():
    """Every model, in an order that respects foreign keys."""
    found, stack = [], list(BaseModel.__subclasses__())
    while stack:
        cls = stack.pop(0)
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return sort_models(found)


def _title_folded(migrator, run):
    """1: the accent- and case-free copy of each title, filled for old rows."""
    run(migrator.add_column("document", "title_folded", TextField(default="")))
    for row in Document.select(Document.id, Document.title).iterator():
        Document.update(title_folded=fold(row.title)).where(Document.id == row.id).execute()


def _space_ref(migrator, run):
    """2: each space is named in URLs by an opaque reference."""
    run(migrator.add_column("space", "ref", CharField(max_length=16, null=True)))
    ids = [row[0] for row in database.execute_sql("SELECT id FROM space").fetchall()]
    for space_id in ids:
        database.execute_sql(f"UPDATE space SET ref = {database.param} WHERE id = "
                             f"{database.param}", (spaces.new_ref(), space_id))
    run(migrator.add_index("space", ("ref",), True))


def _structured_log(migrator, run):
    """3: log targets in columns (kind, id, detail), keyed chain format, chain heads."""
    run(migrator.add_column("access_log", "target_kind", CharField(default="")),
        migrator.add_column("access_log", "target_id", BigIntegerField(null=True)),
        migrator.add_column("access_log", "detail", CharField(default="")),
        migrator.add_column("access_log", "format", IntegerField(default=1)))
    log = audit.AccessLog
    for row in log.select(log.id, log.target).where(log.target != "").iterator():
        kind, ident, detail = split_old_target(row.target)
        log.update(target_kind=kind, target_id=ident, detail=detail).where(
            log.id == row.id).execute()
    for space_id, sequence in (log.select(log.space, peewee.fn.MAX(log.sequence))
                               .group_by(log.space).tuples()):
        last = log.get((log.space == space_id) & (log.sequence == sequence))
        audit.LogHead.insert(space=space_id, sequence=sequence,
                             last_hash=last.entry_hash).execute()


def split_old_target(target):
    """(kind, id or None, detail) of a format-1 target such as "document:12:download"."""
    parts = target.split(":")
    if len(parts) >= 2 and parts[1].isdigit() and len(parts[1]) < 18:
        return parts[0], int(parts[1]), ":".join(parts[2:])[:250]
    if len(parts) >= 2:
        return parts[0], None, ":".join(parts[1:])[:250]
    return "", None, target[:250]


def _professions(migrator, run):
    """4: professions as codes, with a specialty (they were free text)."""
    run(migrator.add_column("user", "specialty", CharField(default="")))
    user = accounts.User
    for row in user.select().where(user.role == "professional"):
        text = (row.profession or "").lower()
        code, specialty = Profession.MEDECIN, Specialty.MEDECINE_GENERALE
        if "urgen" in text or "samu" in text:
            specialty = Specialty.MEDECINE_URGENCE
        for candidate, words in ((Profession.PHARMACIEN, "pharmac"),
                                 (Profession.INFIRMIER, "infirm"),
                                 (Profession.SAGE_FEMME, "sage"),
                                 (Profession.BIOLOGISTE, "biolog"),
                                 (Profession.CHIRURGIEN_DENTISTE, "dentist"),
                                 (Profession.MASSEUR_KINESITHERAPEUTE, "kin")):
            if words in text:
                code, specialty = candidate, Specialty.NONE
        user.update(profession=code, specialty=specialty).where(user.id == row.id).execute()


MIGRATIONS = [
    (1, "document.title_folded", _title_folded),
    (2, "space.ref", _space_ref),
    (3, "access_log.structured", _structured_log),
    (4, "user.profession_codes", _professions),
]


def create_schema():
    """Create missing tables and apply pending migrations; safe to run again."""
    db = database.obj
    with db.atomic():
        existing = set(db.get_tables())
        fresh = not existing
        models = all_models()
        db.create_tables([m for m in models if m._meta.table_name not in existing],
                         safe=True)
        done = {row.version for row in SchemaVersion.select()}
        migrator = SqliteMigrator(db) if is_sqlite() else PostgresqlMigrator(db)
        for version, name, func in sorted(MIGRATIONS, key=lambda m: m[0]):
            if version in done:
                continue
            if not fresh:
                func(migrator, migrate)
            SchemaVersion.create(version=version, name=name)
