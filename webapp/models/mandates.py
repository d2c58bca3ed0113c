"""Mandates: a limited, consented, revocable right to act for a citizen."""

import datetime as dt
import secrets

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

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
    def in_force(cls, now=None):
        """The condition of a mandate in force now: started, not ended, not revoked, holder
        still active (in a query that joins the holder as User)."""
        now = now or utcnow()
        return ((cls.starts_at <= now) & (cls.ends_at > now) & cls.revoked_at.is_null()
                & (User.active == True))  # noqa: E712

    @classmethod
    def active(cls, now=None):
        """Mandates in force now, with their holders."""
        return cls.select(cls, User).join(User, on=(cls.holder == User.id)).where(
            cls.in_force(now))

    def state(self, now=None):
        """'revoked', 'expired', 'pending' or 'active', computed, never stored."""
        now = now or utcnow()
        if self.revoked_at:
            return "revoked"
        if self.ends_at <= now:
            return "expired"
        return "pending" if self.starts_at > now else "active"

    @property
    def is_open_ended(self):
        """Caregiver mandates last until one side ends them."""
        return self.duration == "open"


# Verification codes avoid letters and digits that read alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_verification_code():
    """A code such as 'K7QM-2XPA-9RTE' printed on the attestation."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


class Attestation(BaseModel):
    """What was agreed when a mediator's mandate started, copied so it never changes."""

    mandate = ForeignKeyField(Mandate, backref="attestations", unique=True, on_delete="CASCADE")
    code = CharField(unique=True, default=new_verification_code)
    consent_method = CharField()  # "code" (one-time code to the citizen) or "login"
    citizen_name = CharField()
    holder_name = CharField()
    office_name = CharField(default="")
    office_address = CharField(default="")
    office_siret = CharField(default="")
    office_label = CharField(default="")
    created_at = DateTimeField(default=utcnow)

    @staticmethod
    def normalise_code(code):
        """A verification code as printed ('K7QM-2XPA-9RTE'), from what was typed (spaces,
        dashes and case ignored), or None when it cannot be one."""
        clean = "".join(ch for ch in (code or "")[:40].upper() if ch.isalnum())
        if len(clean) != 12:
            return None
        return "-".join(clean[i:i + 4] for i in range(0, 12, 4))


class ConsentCode(BaseModel):
    """A citizen's consent to a mandate: a one-time code sent to them, or their own sign-in.

    Only a hash of the code is kept. A consent is good once, for 10 minutes, for exactly
    what the person was shown: this mediator of this office, acting in this space, for
    these scopes and this duration (`terms`, a digest of them all).
    """

    space = ForeignKeyField(Space, backref="consent_codes", on_delete="CASCADE")
    requested_by = ForeignKeyField(User, backref="consent_requests", on_delete="CASCADE")
    office = ForeignKeyField(Office, null=True, backref="consents", on_delete="SET NULL")
    scopes = CharField(default="")  # space-separated scope codes, as shown
    duration = CharField(default="")
    terms = CharField(default="")  # digest of mediator, office, space, scopes and duration
    method = CharField(default="code")
    code_hash = CharField(default="")
    attempts = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    confirmed_at = DateTimeField(null=True)
    mandate = ForeignKeyField(Mandate, null=True, backref="consents", on_delete="SET NULL")


DRAFT_TTL = dt.timedelta(hours=1)


def new_draft_ref():
    """An opaque reference naming a draft in the wizard's addresses."""
    return secrets.token_urlsafe(12)


class MandateDraft(BaseModel):
    """A mandate being created with the citizen present, step by step; each step's address
    names it, so that two tabs helping two people never mix. Good for one hour."""

    reference = CharField(unique=True, default=new_draft_ref)
    mediator = ForeignKeyField(User, backref="mandate_drafts", on_delete="CASCADE")
    space = ForeignKeyField(Space, backref="mandate_drafts", on_delete="CASCADE")
    scopes = CharField(default="")  # space-separated scope codes
    duration = CharField(default="")
    terms_read = BooleanField(default=False)
    pending = ForeignKeyField(ConsentCode, null=True, backref="+", on_delete="SET NULL")
    consent = ForeignKeyField(ConsentCode, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(default=lambda: utcnow() + DRAFT_TTL)

    @property
    def scope_list(self):
        """The scopes chosen, as a list of codes."""
        return self.scopes.split()

    def expired(self, now=None):
        """True one hour after the draft was started."""
        return self.expires_at <= (now or utcnow())
