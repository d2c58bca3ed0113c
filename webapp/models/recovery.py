"""Getting back into an account: single-use links sent to a person's address, and codes a
France Services mediator hands over on paper to someone who has no usable address."""

import secrets

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class PasswordReset(BaseModel):
    """A link to choose a new password: its token is stored keyed-hashed, never in clear."""

    user = ForeignKeyField(User, backref="password_resets", on_delete="CASCADE")
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    attempts = IntegerField(default=0)  # wrong birth dates typed after following the link

    @classmethod
    def usable(cls, now=None):
        """Links neither used, nor expired, nor burnt by wrong answers."""
        now = now or utcnow()
        return cls.select().where(cls.used_at.is_null() & (cls.expires_at > now))


class AssistedRecovery(BaseModel):
    """A recovery code a mediator printed for a person present at the desk, with the
    identity document they checked (its kind and last characters, never a copy)."""

    reference = CharField(unique=True, default=lambda: "REC-" + secrets.token_hex(5).upper())
    space = ForeignKeyField(Space, backref="assisted_recoveries", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="assisted_recoveries", on_delete="CASCADE")
    mediator = ForeignKeyField(User, null=True, on_delete="SET NULL")
    mediator_name = CharField(default="")  # copied: the attestation outlives the account
    office_name = CharField(default="")
    document_kind = CharField()
    document_end = CharField(max_length=4)
    code_hash = CharField()
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    attempts = IntegerField(default=0)

    @classmethod
    def usable(cls, now=None):
        """Codes neither used, nor expired, nor burnt by wrong answers."""
        now = now or utcnow()
        return cls.select().where(cls.used_at.is_null() & (cls.expires_at > now))
