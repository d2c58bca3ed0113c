"""The outbox: every notification to send, with its delivery attempts."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User


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
