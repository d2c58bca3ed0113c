"""The agenda: appointments and reminders of a space, prevention statuses, calendar feeds."""

import hashlib
import secrets

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space

KINDS = ("appointment", "reminder")
# Who owns an entry: the citizen's side may change only its own ("citizen").
OWNERS = ("citizen", "professional", "app")
NOTE_MAX = 1000
# "": an entry, not a proposal; "withdrawn": cancelled by the professional who proposed it
STATUSES = ("", "proposed", "accepted", "declined", "withdrawn")


class Appointment(BaseModel):
    """An appointment or a reminder (vaccination, screening invitation) of a space."""

    space = ForeignKeyField(Space, backref="appointments", on_delete="CASCADE")
    kind = CharField(default="appointment", choices=[(k, k) for k in KINDS])
    title = CharField()
    with_whom = CharField(default="")  # professional or place
    address = CharField(default="")
    starts_at = DateTimeField(index=True)  # naive UTC
    ends_at = DateTimeField(null=True)
    note = TextField(default="")
    owner_kind = CharField(default="citizen", choices=[(o, o) for o in OWNERS])
    owner_name = CharField(default="")  # the professional's or the app's name, for display
    created_by = ForeignKeyField(User, null=True, backref="appointments_created",
                                 on_delete="SET NULL")
    reminder_queued_at = DateTimeField(null=True)  # set once by send-reminders
    # A professional's proposal: "proposed" until the holder's side accepts or declines
    # (or the professional withdraws it).
    status = CharField(default="", choices=[(s, s) for s in STATUSES])
    answered_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    @property
    def citizen_owned(self):
        """True when the holder's side created it and may change it."""
        return self.owner_kind == "citizen"

    @classmethod
    def of(cls, space):
        """Entries of a space, oldest first."""
        return cls.select().where(cls.space == space).order_by(cls.starts_at, cls.id)


PREVENTION_STATUSES = ("todo", "done", "not_done")


class PreventionStatus(BaseModel):
    """The holder's status for one item of the prevention calendar (webapp.prevention)."""

    space = ForeignKeyField(Space, backref="prevention", on_delete="CASCADE")
    item = CharField()  # code of webapp.prevention.ITEMS
    status = CharField(default="todo", choices=[(s, s) for s in PREVENTION_STATUSES])
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "item"), True),)


class CalendarFeed(BaseModel):
    """A private calendar subscription URL of one user for one space; token stored hashed."""

    user = ForeignKeyField(User, backref="calendar_feeds", on_delete="CASCADE")
    space = ForeignKeyField(Space, backref="calendar_feeds", on_delete="CASCADE")
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)
    last_used_at = DateTimeField(null=True)

    @staticmethod
    def hash_token(token):
        """SHA-256 of the token: a leaked table opens no feed."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def start(cls, user, space):
        """Revoke any live feed and create a new one; returns (feed, token shown once)."""
        now = utcnow()
        cls.update(revoked_at=now).where((cls.user == user) & (cls.space == space)
                                         & cls.revoked_at.is_null()).execute()
        token = secrets.token_urlsafe(32)
        return cls.create(user=user, space=space, token_hash=cls.hash_token(token)), token
