"""What the message pages read: a thread with its attachments, unread counts, the
professionals a holder may write to."""

from peewee import fn, prefetch

from webapp import policy
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.messages import Attachment, Conversation, Message
from webapp.scopes import Capacity


def thread(access, conversation):
    """The messages of a conversation, oldest first, authors and attachments loaded in
    two more queries whatever the length of the thread."""
    messages = (access.query(Message, Message, User).switch(Message)
                .join(User, on=(Message.author == User.id))
                .where(Message.conversation == conversation)
                .order_by(Message.created_at, Message.id))
    attachments = access.query(Attachment).where(Message.conversation == conversation)
    return prefetch(messages, attachments)


def unread_counts(conversations_query, professional_side):
    """{conversation id: unread count} for the given side, from a query of conversations."""
    ids = conversations_query.select(Conversation.id)
    side = (Message.author_capacity != Capacity.PROFESSIONAL) if professional_side \
        else (Message.author_capacity == Capacity.PROFESSIONAL)
    rows = (Message.select(Message.conversation, fn.COUNT(Message.id).alias("n"))
            .where(Message.conversation.in_(ids) & side & Message.read_at.is_null())
            .group_by(Message.conversation))
    return {r.conversation_id: r.n for r in policy.mark(rows)}


def unread_for_holder(access):
    """Professionals' messages of the space not read yet by its holder side."""
    return (access.query(Message).where((Message.author_capacity == Capacity.PROFESSIONAL)
                                        & Message.read_at.is_null()).count())


def unread_of(messages, professional_side):
    """Ids of the other side's messages, among these, that this side has not read yet."""
    return {m.id for m in messages
            if m.from_professional != professional_side and m.read_at is None}


def mark_read(message_ids):
    """Mark these messages (the unread ones a page showed) as read now; no write when none."""
    if message_ids:
        (Message.update(read_at=utcnow())
         .where(Message.id.in_(list(message_ids)) & Message.read_at.is_null()).execute())


def writable_professionals(access):
    """Professionals the holder may write to: they wrote first, their latest exchange is
    open, and they still reach the space."""
    latest = {}
    for c in (access.query(Conversation, Conversation, User).switch(Conversation)
              .join(User, on=(Conversation.professional == User.id))
              .order_by(Conversation.created_at)):
        latest[c.professional_id] = c
    space = access.space
    return [c.professional for c in latest.values()
            if not c.is_closed and policy.grant_for(c.professional, space) is not None]
