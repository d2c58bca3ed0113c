"""Health professionals' side: the places where they practise, their look-ups of patients,
and the set-up links of the accounts an admin creates."""

import hashlib
import secrets

from peewee import CharField, DateTimeField, ForeignKeyField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space

LOOKUP_OUTCOMES = ("found", "not_found", "refused", "ambiguous", "limited")


class Structure(BaseModel):
    """A place of practice: a practice, a pharmacy, a laboratory, a hospital department;
    named by its FINESS number, or its SIRET when it has none."""

    name = CharField()
    address = CharField(default="")
    finess = CharField(max_length=9, default="")
    siret = CharField(max_length=14, default="")
    created_at = DateTimeField(default=utcnow)

    @property
    def identifier(self):
        """('FINESS' or 'SIRET', number) of the structure."""
        return ("FINESS", self.finess) if self.finess else ("SIRET", self.siret)


class Practice(BaseModel):
    """Where a professional practises (one place each)."""

    professional = ForeignKeyField(User, backref="practices", unique=True, on_delete="CASCADE")
    structure = ForeignKeyField(Structure, backref="practitioners", on_delete="CASCADE")


class PatientLookup(BaseModel):
    """One look-up of a patient by a professional, whatever came of it (no identity kept:
    a look-up that found nobody names nobody)."""

    professional = ForeignKeyField(User, backref="lookups", on_delete="CASCADE")
    method = CharField()  # "ins" (matricule and birth date) or "traits"
    outcome = CharField(choices=[(o, o) for o in LOOKUP_OUTCOMES])
    space = ForeignKeyField(Space, null=True, backref="lookups", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow, index=True)


class ProInvitation(BaseModel):
    """The link an admin's new professional follows to choose a password; token hashed."""

    user = ForeignKeyField(User, backref="pro_invitations", on_delete="CASCADE")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)

    @staticmethod
    def hash_token(token):
        """SHA-256 of the token: a leaked table opens no account."""
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token():
        """A fresh secret for the link."""
        return secrets.token_urlsafe(32)
