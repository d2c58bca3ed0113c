"""Invitations behind assisted access: a citizen invites a caregiver, an office manager
invites a mediator. Their state comes from dates, never stored twice."""

import hashlib

from peewee import CharField, DateTimeField, ForeignKeyField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import Office, User
from webapp.models.mandates import Mandate
from webapp.models.spaces import Space


class CaregiverInvitation(BaseModel):
    """A citizen asks a relative, by e-mail address, to help them; the account that proved
    that address answers (it becomes `invitee`), and accepting creates a mandate."""

    space = ForeignKeyField(Space, backref="caregiver_invitations", on_delete="CASCADE")
    invited_by = ForeignKeyField(User, backref="caregiver_invitations_sent", on_delete="CASCADE")
    email = CharField(default="")
    invitee = ForeignKeyField(User, null=True, backref="caregiver_invitations",
                              on_delete="CASCADE")
    scopes = CharField()
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    answered_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    mandate = ForeignKeyField(Mandate, null=True, backref="invitation", on_delete="SET NULL")

    @property
    def scope_set(self):
        """The scopes offered, as a frozenset of codes."""
        return frozenset(self.scopes.split())

    def state(self, now=None):
        """'accepted', 'refused', 'cancelled', 'expired' or 'pending'."""
        now = now or utcnow()
        if self.answered_at:
            return "accepted" if self.mandate_id else "refused"
        if self.cancelled_at:
            return "cancelled"
        return "expired" if self.expires_at <= now else "pending"

    @classmethod
    def is_pending(cls, now=None):
        """The condition of an invitation still waiting for an answer."""
        return cls.answered_at.is_null() & cls.cancelled_at.is_null() & (
            cls.expires_at > (now or utcnow()))

    @classmethod
    def pending(cls, now=None):
        """Invitations still waiting for an answer."""
        return cls.select().where(cls.is_pending(now))


class MediatorInvitation(BaseModel):
    """An office manager invites a mediator: the account exists, the person sets a password
    through the link sent to them (it works once), then, on the next page only, sees the
    new authenticator secret and confirms it with a code."""

    user = ForeignKeyField(User, backref="mediator_invitations", on_delete="CASCADE")
    office = ForeignKeyField(Office, backref="invitations", on_delete="CASCADE")
    invited_by = ForeignKeyField(User, backref="mediator_invitations_sent", on_delete="CASCADE")
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    accepted_at = DateTimeField(null=True)
    password_set_at = DateTimeField(null=True)

    @staticmethod
    def hash_token(token):
        """Tokens are kept hashed, like session tokens."""
        return hashlib.sha256(token.encode()).hexdigest()

    def state(self, now=None):
        """'accepted', 'expired', 'password_set' (the link has served: the person adds the
        application on the next page) or 'pending'."""
        now = now or utcnow()
        if self.accepted_at:
            return "accepted"
        if self.expires_at <= now:
            return "expired"
        return "password_set" if self.password_set_at else "pending"
