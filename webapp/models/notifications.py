"""The outbox: every notification to send, with its delivery attempts."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class Outbox(BaseModel):
    """One notification for one recipient on one channel; the sender delivers it later."""

    recipient = ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    channel = CharField(default="email")
    template = CharField()  # event code, e.g. "new_document"; see webapp.notify.EVENTS
    link = CharField(default="")
    params = TextField(default="{}")  # JSON of non-medical values for the text (a code, a name)
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    last_error = TextField(default="")

    class Meta:
        indexes = ((("channel", "sent_at", "next_attempt_at"), False),)  # the sender's query


class NotificationPreference(BaseModel):
    """A person's choice for one event on one channel; no row means the default (on)."""

    user = ForeignKeyField(User, backref="notification_preferences", on_delete="CASCADE")
    event = CharField()
    channel = CharField()
    enabled = BooleanField(default=True)

    class Meta:
        indexes = ((("user", "event", "channel"), True),)


class AccessNotice(BaseModel):
    """One access notification per actor, space, kind and day: the throttle's memory."""

    space = ForeignKeyField(Space, backref="access_notices", on_delete="CASCADE")
    actor = ForeignKeyField(User, backref="access_notices", on_delete="CASCADE")
    event = CharField()
    day = DateField()

    class Meta:
        indexes = ((("space", "actor", "event", "day"), True),)
