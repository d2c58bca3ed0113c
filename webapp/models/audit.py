"""The append-only access log: every decision on a citizen's space, hash-chained per space."""

import hashlib
import json

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class AccessLog(BaseModel):
    """One access decision. Rows are only ever inserted; names are copied, not joined."""

    created_at = DateTimeField(default=utcnow, index=True)
    space = ForeignKeyField(Space, backref="access_log", on_delete="CASCADE")
    actor = ForeignKeyField(User, null=True, backref="actions", on_delete="SET NULL")
    actor_name = CharField(default="")
    capacity = CharField()  # owner, guardian, mediator, caregiver, professional, ...
    office_name = CharField(default="")
    action = CharField()
    target = CharField(default="")
    allowed = BooleanField()
    emergency = BooleanField(default=False)
    mandate_ref = CharField(default="")
    app_name = CharField(default="")
    sequence = IntegerField(default=0)
    prev_hash = CharField(default="")
    entry_hash = CharField(default="")

    class Meta:
        indexes = ((("space", "sequence"), True),)

    def payload(self):
        """The fields the hash covers, in a stable text form."""
        return json.dumps([
            self.sequence, self.created_at.isoformat(timespec="microseconds"),
            self.space_id, self.actor_id, self.actor_name, self.capacity, self.office_name,
            self.action, self.target, bool(self.allowed), bool(self.emergency),
            self.mandate_ref, self.app_name, self.prev_hash], ensure_ascii=False)

    def compute_hash(self):
        """SHA-256 of the payload, which includes the previous entry's hash."""
        return hashlib.sha256(self.payload().encode()).hexdigest()

    @classmethod
    def append(cls, **fields):
        """Insert an entry chained to the previous one of the same space."""
        db = cls._meta.database
        with db.atomic():
            last = (cls.select(cls.sequence, cls.entry_hash)
                    .where(cls.space == fields["space"])
                    .order_by(cls.sequence.desc()).first())
            entry = cls(**fields)
            entry.created_at = entry.created_at or utcnow()
            entry.sequence = (last.sequence + 1) if last else 1
            entry.prev_hash = last.entry_hash if last else ""
            entry.entry_hash = entry.compute_hash()
            entry.save(force_insert=True)
        return entry

    @classmethod
    def first_broken(cls, space):
        """The first entry of a space whose hash or link does not match, or None."""
        prev = ""
        for entry in cls.select().where(cls.space == space).order_by(cls.sequence):
            if entry.prev_hash != prev or entry.compute_hash() != entry.entry_hash:
                return entry
            prev = entry.entry_hash
        return None
