"""Privacy and life-cycle records: access reports, emergency switches and accesses, e-mail
change codes, export jobs, guardian invitations, objections and closures."""

import datetime as dt
import secrets

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.audit import AccessLog
from webapp.models.spaces import Space


class AccessReport(BaseModel):
    """A holder's report of an access they did not consent to, for the admins."""

    space = ForeignKeyField(Space, backref="access_reports", on_delete="CASCADE")
    reporter = ForeignKeyField(User, null=True, on_delete="SET NULL")
    entry = ForeignKeyField(AccessLog, null=True, on_delete="SET NULL")
    entry_summary = CharField(default="")  # copied: the report survives the log
    message = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    handled_at = DateTimeField(null=True)


class EmergencySettings(BaseModel):
    """The three emergency switches of a space (defaults of the national service)."""

    space = ForeignKeyField(Space, backref="emergency_settings", unique=True,
                            on_delete="CASCADE")
    ems_allowed = BooleanField(default=True)
    break_glass_allowed = BooleanField(default=True)
    hidden_readable = BooleanField(default=False)
    updated_at = DateTimeField(default=utcnow)

    @classmethod
    def for_space(cls, space):
        """The space's settings, or unsaved defaults."""
        return cls.get_or_none(cls.space == space) or cls(space=space)

    def allows(self, kind):
        """True when this kind of emergency access ('ems' or 'break_glass') is on."""
        return self.ems_allowed if kind == "ems" else self.break_glass_allowed


class EmergencyAccess(BaseModel):
    """A professional's emergency access to a space, with its stated reason; time-limited."""

    space = ForeignKeyField(Space, backref="emergency_accesses", on_delete="CASCADE")
    professional = ForeignKeyField(User, backref="emergency_accesses", on_delete="CASCADE")
    kind = CharField()  # ems or break_glass
    reason = TextField()
    started_at = DateTimeField(default=utcnow)
    ends_at = DateTimeField()

    @classmethod
    def in_force(cls, professional, space, now=None):
        """The latest emergency access of this professional still running, or None."""
        now = now or utcnow()
        return (cls.select().where((cls.professional == professional) & (cls.space == space)
                                   & (cls.started_at <= now) & (cls.ends_at > now))
                .order_by(cls.ends_at.desc()).first())


class EmailChange(BaseModel):
    """A pending change of e-mail address, confirmed by a code sent to the new address."""

    user = ForeignKeyField(User, backref="email_changes", on_delete="CASCADE")
    new_email = CharField()
    code_hash = CharField()
    expires_at = DateTimeField()
    attempts = IntegerField(default=0)
    used_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def pending_for(cls, user, now=None):
        """The user's latest unused, unexpired request, or None."""
        now = now or utcnow()
        return (cls.select().where((cls.user == user) & cls.used_at.is_null()
                                   & (cls.expires_at > now))
                .order_by(cls.id.desc()).first())


class ExportJob(BaseModel):
    """An export of a space as a ZIP file: pending, running, ready (until expiry) or failed."""

    space = ForeignKeyField(Space, backref="export_jobs", on_delete="CASCADE")
    requested_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    state = CharField(default="pending")
    file_path = CharField(default="")
    size = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    expires_at = DateTimeField(null=True)


class GuardianInvitation(BaseModel):
    """A legal representative inviting a second one to manage a minor's space."""

    child = ForeignKeyField(Space, backref="guardian_invitations", on_delete="CASCADE")
    invited_by = ForeignKeyField(User, on_delete="CASCADE")
    email = CharField()
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(default=lambda: utcnow() + dt.timedelta(days=30))
    accepted_at = DateTimeField(null=True)
    refused_at = DateTimeField(null=True)

    @classmethod
    def open_for(cls, email, now=None):
        """Invitations to this address not yet answered nor expired."""
        now = now or utcnow()
        return cls.select().where((cls.email == (email or "").strip().lower())
                                  & cls.accepted_at.is_null() & cls.refused_at.is_null()
                                  & (cls.expires_at > now))


class Objection(BaseModel):
    """Proof that a person objected to their space: kept after the data are deleted."""

    space = ForeignKeyField(Space, backref="objection", unique=True, on_delete="CASCADE")
    reference = CharField(unique=True, default=lambda: "OPP-" + secrets.token_hex(5).upper())
    holder_name = CharField()
    objected_at = DateTimeField(default=utcnow)


class Closure(BaseModel):
    """A closed space: archived until purge_after, then deleted by purge-expired."""

    space = ForeignKeyField(Space, backref="closures", on_delete="CASCADE")
    closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    closed_at = DateTimeField(default=utcnow)
    purge_after = DateTimeField()
    deletion_requested = BooleanField(default=False)
    reopened_at = DateTimeField(null=True)

    @classmethod
    def current(cls, space):
        """The closure in force for a space (not reopened), or None."""
        return (cls.select().where((cls.space == space) & cls.reopened_at.is_null())
                .order_by(cls.id.desc()).first())
