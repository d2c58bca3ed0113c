"""Health spaces, who holds them, and who else is linked to them."""

import datetime as dt
import secrets

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User

SPACE_STATES = ("created", "active", "objected", "closed")
# Space references avoid letters and digits that read alike (0/o, 1/l/i).
REF_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_ref():
    """An opaque, non-sequential reference naming a space in URLs (never the NIR or id)."""
    return "".join(secrets.choice(REF_ALPHABET) for _ in range(12))


class Space(BaseModel):
    """A citizen's personal health space, created for every insured person."""

    ref = CharField(max_length=16, unique=True, default=new_ref)
    first_name = CharField()
    last_name = CharField()
    birth_date = DateField()
    nir = CharField(max_length=15, unique=True)  # the INS matricule: NIR, or NIA (ins_oid)
    sex = CharField(max_length=1, default="")
    # The rest of the INS (webapp.pro.ins): the OID naming the matricule's kind, and the
    # reference traits as on the civil record, with the identity's status.
    ins_oid = CharField(default="1.2.250.1.213.1.4.8")
    birth_name = CharField(default="")
    birth_first_names = CharField(default="")  # every given name, in order
    birth_first_name = CharField(default="")  # the first one, apart
    birth_place = CharField(max_length=5, default="")  # INSEE code, 99xxx abroad
    identity_status = CharField(default="provisional")
    state = CharField(default="created", choices=[(s, s) for s in SPACE_STATES])
    owner = ForeignKeyField(User, null=True, backref="owned_spaces", unique=True)
    notified_at = DateTimeField(default=utcnow)
    activation_code_hash = CharField(null=True)
    activation_expires_at = DateTimeField(null=True)
    activation_attempts = IntegerField(default=0)
    activated_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    hide_new_documents = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    @property
    def display_name(self):
        """First name then family name in capitals."""
        return f"{self.first_name} {self.last_name.upper()}"

    def age_on(self, day):
        """Age in whole years on a given day."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def is_minor(self, today=None):
        """True before the 18th birthday."""
        return self.age_on(today or dt.date.today()) < 18

    def adult_on(self):
        """The 18th birthday (1 March when born on 29 February, as age_on counts)."""
        try:
            return self.birth_date.replace(year=self.birth_date.year + 18)
        except ValueError:
            return dt.date(self.birth_date.year + 18, 3, 1)


class Guardianship(BaseModel):
    """A legal representative managing a minor's space."""

    guardian = ForeignKeyField(User, backref="guardianships", on_delete="CASCADE")
    child = ForeignKeyField(Space, backref="guardians", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("guardian", "child"), True),)

    @classmethod
    def active_for(cls, user, today=None):
        """Children's spaces this user still represents (ends on the 18th birthday)."""
        today = today or dt.date.today()
        eighteen_years_ago = today.replace(year=today.year - 18) if not (
            today.month == 2 and today.day == 29) else today.replace(year=today.year - 18, day=28)
        return (Space.select().join(cls).where(
            (cls.guardian == user) & cls.ended_at.is_null()
            & (Space.birth_date > eighteen_years_ago) & (Space.state != "closed")))


class CareRelation(BaseModel):
    """A professional who takes care of the holder of a space (their patient)."""

    professional = ForeignKeyField(User, backref="patients", on_delete="CASCADE")
    space = ForeignKeyField(Space, backref="care_team", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("professional", "space"), True),)


class Block(BaseModel):
    """A professional the holder has blocked from their space."""

    space = ForeignKeyField(Space, backref="blocks", on_delete="CASCADE")
    professional = ForeignKeyField(User, backref="blocked_by", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "professional"), True),)
