"""Secure messages: conversations between a space's holder side and a professional."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space

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

    def messages(self):
        """The messages, oldest first."""
        return (Message.select(Message, User).join(User, on=(Message.author == User.id))
                .where(Message.conversation == self).order_by(Message.created_at, Message.id))


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
        return self.author_capacity == "professional"

    @property
    def written_for_holder(self):
        """True when a caregiver or a mediator wrote it for the holder."""
        return self.author_capacity in ("caregiver", "mediator")


class Attachment(BaseModel):
    """A file sent with a message, stored by webapp.storage."""

    message = ForeignKeyField(Message, backref="attachments", on_delete="CASCADE")
    filename = CharField()
    sha256 = CharField(max_length=64)
    size = IntegerField()
    mime = CharField()
    saved_document_id = IntegerField(null=True)  # the record document it was saved as


def unread_for_space(space):
    """Professionals' messages of a space not read yet by its holder side."""
    return (Message.select().join(Conversation)
            .where((Conversation.space == space) & (Message.author_capacity == "professional")
                   & Message.read_at.is_null()).count())


def unread_by_conversation(conversations, professional_side):
    """{conversation id: unread count} for the given side (professional or holder)."""
    ids = [c.id for c in conversations]
    if not ids:
        return {}
    side = (Message.author_capacity != "professional") if professional_side \
        else (Message.author_capacity == "professional")
    rows = (Message.select(Message.conversation, fn.COUNT(Message.id).alias("n"))
            .where(Message.conversation.in_(ids) & side & Message.read_at.is_null())
            .group_by(Message.conversation))
    return {r.conversation_id: r.n for r in rows}


def mark_read(conversation, professional_side):
    """Mark the other side's messages of a conversation as read now."""
    side = (Message.author_capacity != "professional") if professional_side \
        else (Message.author_capacity == "professional")
    (Message.update(read_at=utcnow())
     .where((Message.conversation == conversation) & side & Message.read_at.is_null())
     .execute())
