"""The schema: every model's table, and the migrations that bring an older database up.

A new database gets every table in its latest shape and records every migration as
applied; an existing one gets its missing tables, then the migrations it lacks, once.
Append to MIGRATIONS (version, name, function(migrator, migrate)); never edit a released
one. The steps themselves are in webapp.migrations.steps.
"""

from peewee import sort_models
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from webapp.db import BaseModel, SchemaVersion, database, is_sqlite
from webapp.migrations.steps import (
    _access_log_structured,
    _consent_terms,
    _head_seal,
    _measured_at,
    _mediator_setup,
    _new_documents_index,
    _notices_from_the_log,
    _professionals_feed,
    _professions,
    _proven_addresses,
    _seal_secrets,
    _session_method,
    _smart_code_nonce,
    _space_ref,
    _title_folded,
    _withheld_documents_index,
    add_column,  # noqa: F401 (for later steps and tests)
)


def all_models():
    """Every model, in an order that respects foreign keys."""
    found, stack = [], list(BaseModel.__subclasses__())
    while stack:
        cls = stack.pop(0)
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return sort_models(found)


MIGRATIONS = [
    (1, "document.title_folded", _title_folded),
    (2, "space.ref", _space_ref),
    (3, "access_log.structured", _access_log_structured),
    (4, "user.profession_codes", _professions),
    (5, "professionals_feed_the_record", _professionals_feed),
    (6, "sealed_secrets", _seal_secrets),
    (7, "consent_code.terms", _consent_terms),
    (8, "log_head.seal", _head_seal),
    (9, "mediator_invitation.password_set_at", _mediator_setup),
    (10, "smart_code.nonce", _smart_code_nonce),
    (11, "proven_addresses", _proven_addresses),
    (12, "user_session.method", _session_method),
    (14, "measurement.measured_at", _measured_at),
    (15, "document.new_index", _new_documents_index),
    (16, "log_reader.access_notices", _notices_from_the_log),
    (17, "document.withheld_index", _withheld_documents_index),
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
