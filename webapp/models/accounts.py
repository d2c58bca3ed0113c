"""Accounts: people who sign in, the offices mediators belong to, and their sessions."""

import hashlib
import secrets

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from webapp import crypto
from webapp.db import BaseModel, utcnow
from webapp.pro import professions

ROLES = ("citizen", "mediator", "professional", "admin")


class Office(BaseModel):
    """A France Services structure where mediators work."""

    name = CharField()
    address = CharField(default="")
    siret = CharField(max_length=14, default="")
    label_number = CharField(default="")


class User(BaseModel, UserMixin):
    """Someone who signs in: a citizen, a mediator, a professional or an admin."""

    email = CharField(unique=True)
    # when the person proved the address (a code sent to it); citizens get no e-mail, and
    # no invitation to it, before (see webapp.accounts.credentials)
    email_verified_at = DateTimeField(null=True)
    password_hash = CharField()
    role = CharField(choices=[(r, r) for r in ROLES])
    first_name = CharField()
    last_name = CharField()
    language = CharField(max_length=8, null=True)
    totp_sealed = CharField(null=True, column_name="totp_secret")  # see totp_secret
    totp_last_step = IntegerField(default=0)
    office = ForeignKeyField(Office, null=True, backref="members")
    is_office_manager = BooleanField(default=False)
    rpps = CharField(null=True)
    profession = CharField(default="")  # a code of webapp.pro.professions.Profession
    specialty = CharField(default="")  # a code of webapp.pro.professions.Specialty
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def display_name(self):
        """First name then family name in capitals, as French forms write it."""
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def totp_secret(self):
        """The mediator's TOTP secret (stored sealed by the master key, webapp.crypto)."""
        return crypto.unseal(self.totp_sealed) if self.totp_sealed else None

    @totp_secret.setter
    def totp_secret(self, value):
        self.totp_sealed = crypto.seal(value) if value else None

    @property
    def profession_label(self):
        """The profession and specialty as shown, translated."""
        return professions.label(self.profession, self.specialty)

    @property
    def is_active(self):
        """Deactivated accounts cannot sign in (Flask-Login reads this)."""
        return self.active

    def get_id(self):
        """Flask-Login keeps the server session token, never the user id, in the cookie."""
        return getattr(self, "session_token", None)

    @classmethod
    def by_email(cls, email):
        """The account with this e-mail (case-insensitive), or None."""
        return cls.get_or_none(cls.email == (email or "").strip().lower())

    @property
    def email_verified(self):
        """True once the person proved the address the account uses."""
        return self.email_verified_at is not None


class UserSession(BaseModel):
    """A server-side sign-in session: ending it really signs out, whatever the cookie says."""

    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    last_seen = DateTimeField(default=utcnow)
    totp_verified_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    # how the person signed in: "password", or a national provider (webapp.national_signin)
    method = CharField(max_length=32, default="password")

    @staticmethod
    def hash_token(token):
        """Tokens are stored hashed: a leaked table signs nobody in."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def start(cls, user, totp_verified=False):
        """Open a new session and return (session, token for the cookie)."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        row = cls.create(user=user, token_hash=cls.hash_token(token), created_at=now,
                         last_seen=now, totp_verified_at=now if totp_verified else None)
        return row, token

    @classmethod
    def live(cls):
        """Sessions not ended."""
        return cls.select().where(cls.ended_at.is_null())

    def end(self):
        """Sign out now."""
        self.ended_at = utcnow()
        self.save(only=[UserSession.ended_at])
