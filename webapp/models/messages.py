"""Secure messages: conversations between a space's holder side and a professional."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space
from webapp.scopes import Capacity

BODY_MAX = 5000
SUBJECT_MAX = 120
REASON_MAX = 500


class Conversation(BaseModel):
    """A conversation a professional started with the holder of a space."""

    space = ForeignKeyField(Space, backref="conversations", on_delete="CASCADE")
    professional = ForeignKeyField(User, backref="conversations", on_delete="CASCADE")
    subject = CharField(max_length=SUBJECT_MAX)
    created_at = DateTimeField(default=utcnow)
    last_message_at = DateTimeField(default=utcnow, index=True)
    closed_at = DateTimeField(null=True)
    close_reason = TextField(default="")

    @property
    def is_closed(self):
        """True once the professional has closed the exchange."""
        return self.closed_at is not None


class Message(BaseModel):
    """One message. The author is the person who typed it; capacity says for whom."""

    conversation = ForeignKeyField(Conversation, backref="message_rows", on_delete="CASCADE")
    author = ForeignKeyField(User, backref="messages_written")
    # professional, owner, guardian, caregiver or mediator (the last two write for the holder)
    author_capacity = CharField()
    body = TextField()
    created_at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)  # read by the other side

    @property
    def from_professional(self):
        """True for the professional's messages."""
        return self.author_capacity == Capacity.PROFESSIONAL

    @property
    def written_for_holder(self):
        """True when a caregiver or a mediator wrote it for the holder."""
        return self.author_capacity in (Capacity.CAREGIVER, Capacity.MEDIATOR)


class Attachment(BaseModel):
    """A file sent with a message, stored by webapp.storage."""

    message = ForeignKeyField(Message, backref="attachments", on_delete="CASCADE")
    filename = CharField()
    sha256 = CharField(max_length=64)
    size = IntegerField()
    mime = CharField()
    saved_document_id = IntegerField(null=True)  # the record document it was saved as


def unread_from_professionals(space):
    """A scalar query: the professionals' messages of a space (a row or a column) not
    read yet by its holder side (the menu's badge)."""
    return (Message.select(fn.COUNT(Message.id)).join(Conversation)
            .where((Conversation.space == space)
                   & (Message.author_capacity == Capacity.PROFESSIONAL)
                   & Message.read_at.is_null()))
