"""Mandates: a limited, consented, revocable right to act for a citizen."""

import secrets

from peewee import CharField, DateTimeField, ForeignKeyField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import Office, User
from webapp.models.spaces import Space

MANDATE_KINDS = ("mediator", "caregiver")


class Mandate(BaseModel):
    """Who may act for whom, on which scopes, until when. State comes from the dates."""

    space = ForeignKeyField(Space, backref="mandates", on_delete="CASCADE")
    holder = ForeignKeyField(User, backref="mandates_held", on_delete="CASCADE")
    office = ForeignKeyField(Office, null=True, backref="mandates")
    kind = CharField(choices=[(k, k) for k in MANDATE_KINDS])
    scopes = CharField()  # space-separated scope codes from webapp.policy.Scope
    duration = CharField(default="")
    reference = CharField(unique=True, default=lambda: secrets.token_hex(5).upper())
    starts_at = DateTimeField(default=utcnow)
    ends_at = DateTimeField()
    revoked_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def scope_set(self):
        """The scopes as a frozenset of codes."""
        return frozenset(self.scopes.split())

    @classmethod
    def active(cls, now=None):
        """Mandates in force now: started, not ended, not revoked, holder still active."""
        now = now or utcnow()
        return (cls.select(cls, User).join(User, on=(cls.holder == User.id)).where(
            (cls.starts_at <= now) & (cls.ends_at > now) & cls.revoked_at.is_null()
            & (User.active == True)))  # noqa: E712

    def state(self, now=None):
        """'revoked', 'expired', 'pending' or 'active', computed, never stored."""
        now = now or utcnow()
        if self.revoked_at:
            return "revoked"
        if self.ends_at <= now:
            return "expired"
        return "pending" if self.starts_at > now else "active"
