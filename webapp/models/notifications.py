"""The outbox: every notification to send, with its delivery attempts."""

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from webapp import crypto
from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class Outbox(BaseModel):
    """One notification for one recipient on one channel; the sender delivers it later."""

    recipient = ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    channel = CharField(default="email")
    template = CharField()  # event code, e.g. "new_document"; see webapp.notify.EVENTS
    link = CharField(default="")
    # JSON of non-medical values for the text (a code, a name), sealed by the master key
    # (webapp.crypto) and emptied once the e-mail is sent: see `params`
    params_sealed = TextField(default="{}", column_name="params")
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    last_error = TextField(default="")

    class Meta:
        indexes = ((("channel", "sent_at", "next_attempt_at"), False),)  # the sender's query

    @property
    def params(self):
        """The values of the text, as JSON."""
        return crypto.unseal(self.params_sealed) or "{}"

    @params.setter
    def params(self, value):
        self.params_sealed = crypto.seal(value)


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


ACCESS_NOTICES = "access_notices"  # the LogReader of webapp.notify.handlers


class LogReader(BaseModel):
    """How far a reader of the access log has read (by entry id): the access notices
    are written from the log by send-outbox (webapp.notify.handlers), not by the pages."""

    name = CharField(primary_key=True)
    position = BigIntegerField(default=0)
