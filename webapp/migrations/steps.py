"""The migration steps of webapp.migrations, oldest first: each brings a database made
by an older version one change closer to the models."""

import peewee
from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from webapp import crypto
from webapp.audit import keys as logkeys
from webapp.audit.old_format import split_old_target
from webapp.db import database, is_sqlite
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
    pro,
    profile,
    smart,
    spaces,
    uploads,
)
from webapp.models.documents import NEW_DOCUMENTS, WITHHELD_DOCUMENTS, Document, fold
from webapp.models.notifications import ACCESS_NOTICES
from webapp.pro.professions import Profession, Specialty


def add_column(migrator, run, table, name, sqlite_definition, field):
    """Add a column in place. peewee's SQLite migrator rebuilds a table to add a NOT NULL
    column, and dropping the old table deletes, through ON DELETE CASCADE, every row that
    points to it (all of a user's sessions, mandates…): SQLite gets a plain ALTER TABLE."""
    if name in {c.name for c in database.get_columns(table)}:
        return
    if is_sqlite():
        database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {sqlite_definition}')
    else:
        run(migrator.add_column(table, name, field))


def _title_folded(migrator, run):
    """1: the accent- and case-free copy of each title, filled for old rows."""
    add_column(migrator, run, "document", "title_folded", "TEXT NOT NULL DEFAULT ''",
               TextField(default=""))
    for row in Document.select(Document.id, Document.title).iterator():
        Document.update(title_folded=fold(row.title)).where(Document.id == row.id).execute()


def _space_ref(migrator, run):
    """2: each space is named in URLs by an opaque reference."""
    add_column(migrator, run, "space", "ref", "VARCHAR(16)", CharField(max_length=16, null=True))
    ids = [row[0] for row in database.execute_sql("SELECT id FROM space").fetchall()]
    for space_id in ids:
        database.execute_sql(f"UPDATE space SET ref = {database.param} WHERE id = "
                             f"{database.param}", (spaces.new_ref(), space_id))
    run(migrator.add_index("space", ("ref",), True))


def _access_log_structured(migrator, run):
    """3: log targets in columns (kind, id, detail), keyed chain format, chain heads."""
    for name, definition, field in (
            ("target_kind", "VARCHAR(255) NOT NULL DEFAULT ''", CharField(default="")),
            ("target_id", "BIGINT", BigIntegerField(null=True)),
            ("detail", "VARCHAR(255) NOT NULL DEFAULT ''", CharField(default="")),
            ("format", "INTEGER NOT NULL DEFAULT 1", IntegerField(default=1))):
        add_column(migrator, run, "access_log", name, definition, field)
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
    if _has_column("log_head", "seal"):
        _seal_heads()


def _professions(migrator, run):
    """4: professions as codes, with a specialty (they were free text)."""
    add_column(migrator, run, "user", "specialty", "VARCHAR(255) NOT NULL DEFAULT ''",
               CharField(default=""))
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


# 5: (table, column, SQLite's column definition, the field for other databases)
PROFESSIONALS_FEED = [
    *(("space", name, f"VARCHAR({size}) NOT NULL DEFAULT '{default}'",
       CharField(max_length=size, default=default)) for name, size, default in (
        ("ins_oid", 255, "1.2.250.1.213.1.4.8"), ("birth_name", 255, ""),
        ("birth_first_names", 255, ""), ("birth_first_name", 255, ""),
        ("birth_place", 5, ""), ("identity_status", 255, "provisional"))),
    ("document", "loinc", "VARCHAR(16) NOT NULL DEFAULT ''",
     CharField(max_length=16, default="")),
    ("document", "withheld", "INTEGER NOT NULL DEFAULT 0", BooleanField(default=False)),
    ("document", "release_at", "DATETIME", DateTimeField(null=True)),
    ("document", "replaces_id", 'INTEGER REFERENCES "document" ("id") ON DELETE SET NULL',
     ForeignKeyField(Document, field=Document.id, null=True, on_delete="SET NULL")),
    ("document", "superseded_at", "DATETIME", DateTimeField(null=True)),
    ("appointment", "status", "VARCHAR(255) NOT NULL DEFAULT ''", CharField(default="")),
    ("appointment", "answered_at", "DATETIME", DateTimeField(null=True)),
]


def _professionals_feed(migrator, run):
    """5: the INS of each space; documents' type, withholding and versions; proposals.
    Adds the columns a table lacks. On SQLite each is added in place: the migrator would
    rebuild a table for a NOT NULL column, and dropping the old space table would delete,
    through ON DELETE CASCADE, every row that belongs to a space."""
    for table, name, sqlite_definition, field in PROFESSIONALS_FEED:
        add_column(migrator, run, table, name, sqlite_definition, field)


def _seal_secrets(migrator, run):
    """6: TOTP secrets and the outbox's parameters sealed by the master key (at rest, a
    copy of the database reveals neither); what was already sent is emptied."""
    user = accounts.User
    for row in user.select(user.id, user.totp_sealed).where(user.totp_sealed.is_null(False)):
        if not crypto.is_sealed(row.totp_sealed):
            user.update(totp_sealed=crypto.seal(row.totp_sealed)).where(
                user.id == row.id).execute()
    outbox = notifications.Outbox
    for row in outbox.select(outbox.id, outbox.params_sealed, outbox.sent_at,
                             outbox.channel).iterator():
        if crypto.is_sealed(row.params_sealed):
            continue
        kept = "{}" if row.sent_at is not None and row.channel == "email" else row.params_sealed
        outbox.update(params_sealed=crypto.seal(kept or "{}")).where(
            outbox.id == row.id).execute()


def _consent_terms(migrator, run):
    """7: a consent records what the person consented to (office, scopes, duration)."""
    for name, definition, field in (
            ("office_id", "INTEGER", IntegerField(null=True)),
            ("scopes", "VARCHAR(255) NOT NULL DEFAULT ''", CharField(default="")),
            ("duration", "VARCHAR(255) NOT NULL DEFAULT ''", CharField(default="")),
            ("terms", "VARCHAR(255) NOT NULL DEFAULT ''", CharField(default=""))):
        add_column(migrator, run, "consent_code", name, definition, field)


def _has_column(table, column):
    return column in {c.name for c in database.get_columns(table)}


def _seal_heads():
    """Seal every chain head (the keyed MAC of webapp.audit.head_seal)."""
    head = audit.LogHead
    for row in head.select():  # with the current log key (AUDIT_KEY until a rotation)
        seal = logkeys.sign(f"head:{row.space_id}:{row.sequence}:{row.last_hash}")
        head.update(seal=seal).where(head.space == row.space_id).execute()


def _head_seal(migrator, run):
    """8: each chain head is sealed (a MAC of its sequence and last MAC); a head table
    made by this version already has the column."""
    add_column(migrator, run, "log_head", "seal", "VARCHAR(255) NOT NULL DEFAULT ''",
               CharField(default=""))
    _seal_heads()


def _mediator_setup(migrator, run):
    """9: a mediator's set-up link serves once, for the password."""
    add_column(migrator, run, "mediator_invitation", "password_set_at", "DATETIME",
               peewee.DateTimeField(null=True))


def _proven_addresses(migrator, run):
    """11: when each person proved their e-mail address (citizens who changed it with a
    code already did); caregiver invitations go to an address, and the account that
    proves it answers them."""
    add_column(migrator, run, "user", "email_verified_at", "DATETIME",
               DateTimeField(null=True))
    changes = privacy.EmailChange
    user = accounts.User
    for change in changes.select().where(changes.used_at.is_null(False)).order_by(changes.id):
        user.update(email_verified_at=change.used_at).where(
            (user.id == change.user_id) & (user.email == change.new_email)).execute()
    add_column(migrator, run, "caregiver_invitation", "email",
               "VARCHAR(255) NOT NULL DEFAULT ''", CharField(default=""))
    invitation = assistance.CaregiverInvitation
    for row in invitation.select(invitation.id, user.email).join(
            user, on=(invitation.invitee == user.id)).tuples():
        invitation.update(email=row[1]).where(invitation.id == row[0]).execute()
    run(migrator.drop_not_null("caregiver_invitation", "invitee_id"))


def _session_method(migrator, run):
    """12: how each session was opened (password, FranceConnect, Pro Santé Connect)."""
    add_column(migrator, run, "user_session", "method", "VARCHAR(32) NOT NULL DEFAULT 'password'",
               CharField(max_length=32, default="password"))


def _smart_code_nonce(migrator, run):
    """10: the OpenID Connect nonce an authorization code carries into its ID token."""
    add_column(migrator, run, "smart_code", "nonce", "VARCHAR(255) NOT NULL DEFAULT ''",
               CharField(default=""))


def _new_documents_index(migrator, run):
    """15: the partial index of each space's new documents (the home card's count)."""
    database.execute(NEW_DOCUMENTS)  # CREATE INDEX IF NOT EXISTS


def _measured_at(migrator, run):
    """14: the time of a measurement, when given (older ones keep only their day)."""
    add_column(migrator, run, "measurement", "measured_at", "DATETIME",
               DateTimeField(null=True))


def _notices_from_the_log(migrator, run):
    """16: access notices are written from the access log by send-outbox, not by the
    pages; what was logged before was notified then, so the reader starts at the end."""
    last = audit.AccessLog.select(peewee.fn.MAX(audit.AccessLog.id)).scalar() or 0
    notifications.LogReader.insert(name=ACCESS_NOTICES, position=last).on_conflict_ignore(
    ).execute()


def _withheld_documents_index(migrator, run):
    """17: the partial index of the documents waiting for their announcement."""
    database.execute(WITHHELD_DOCUMENTS)  # CREATE INDEX IF NOT EXISTS
