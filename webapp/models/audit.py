"""The append-only access log: every decision on a citizen's space, chained per space.

Rows are written by webapp.audit only. Each row carries a MAC over its fields and the
previous row's MAC (format 2: HMAC-SHA256 with a key from the configuration; format 1,
rows written before the keyed chain: plain SHA-256). LogHead keeps, per space, the last
sequence number and MAC, so that appending locks one row and never reads the log.
"""

import json

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class AccessLog(BaseModel):
    """One access decision. Rows are only ever inserted; names are copied, not joined."""

    created_at = DateTimeField(default=utcnow, index=True)
    space = ForeignKeyField(Space, backref="access_log", on_delete="CASCADE")
    actor = ForeignKeyField(User, null=True, backref="actions", on_delete="SET NULL")
    actor_name = CharField(default="")
    capacity = CharField()  # a webapp.scopes.Capacity, or the actor's role when refused
    office_name = CharField(default="")
    action = CharField()  # a webapp.audit.Action
    target = CharField(default="")  # format 1 only: the target as one string
    target_kind = CharField(default="")  # document, conversation, mandate, app, user…
    target_id = BigIntegerField(null=True)
    detail = CharField(default="")  # e.g. "download", a mandate reference, a setting
    allowed = BooleanField()
    emergency = BooleanField(default=False)
    mandate_ref = CharField(default="")
    app_name = CharField(default="")
    sequence = IntegerField(default=0)
    format = IntegerField(default=1)
    prev_hash = CharField(default="")
    entry_hash = CharField(default="")

    class Meta:
        indexes = ((("space", "sequence"), True),)

    def payload(self):
        """The fields the MAC covers, in a stable text form."""
        fields = [
            self.sequence, self.created_at.isoformat(timespec="microseconds"),
            self.space_id, self.actor_id, self.actor_name, self.capacity, self.office_name,
            self.action, self.target, bool(self.allowed), bool(self.emergency),
            self.mandate_ref, self.app_name, self.prev_hash]
        if self.format >= 2:
            fields += [self.format, self.target_kind, self.target_id, self.detail]
        return json.dumps(fields, ensure_ascii=False)


class LogHead(BaseModel):
    """The end of one space's chain: its last sequence number and MAC, sealed together
    (a MAC of both), so that rewinding the head to hide removed entries shows."""

    space = ForeignKeyField(Space, primary_key=True, backref="log_head", on_delete="CASCADE")
    sequence = IntegerField(default=0)
    last_hash = CharField(default="")
    seal = CharField(default="")
