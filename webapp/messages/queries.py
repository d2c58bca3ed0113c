"""What the message pages read: a thread with its attachments, unread counts, the
professionals a holder may write to."""

from flask import g, has_request_context
from peewee import JOIN, fn

from webapp import policy
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.messages import Attachment, Conversation, Message
from webapp.per_request import forget, once_per_request
from webapp.scopes import Capacity


def thread(access, conversation):
    """The messages of a conversation, oldest first, with their authors and attachments:
    one query whatever the length of the thread (a message appears once per attachment)."""
    rows = (access.query(Message, Message, User, Attachment).switch(Message)
            .join(User, on=(Message.author == User.id)).switch(Message)
            .join(Attachment, JOIN.LEFT_OUTER, on=(Attachment.message == Message.id),
                  attr="joined_attachment")
            .where(Message.conversation == conversation)
            .order_by(Message.created_at, Message.id, Attachment.id))
    messages = []
    for row in rows:
        if not messages or messages[-1].id != row.id:
            row.attachments = []  # the backref, filled here as prefetch would
            messages.append(row)
        attachment = row.joined_attachment
        if attachment is not None and attachment.id is not None:
            attachment.message = messages[-1]
            messages[-1].attachments.append(attachment)
    return messages


def unread_counts(conversations_query, professional_side):
    """{conversation id: unread count} for the given side, from a query of conversations."""
    ids = conversations_query.select(Conversation.id)
    side = (Message.author_capacity != Capacity.PROFESSIONAL) if professional_side \
        else (Message.author_capacity == Capacity.PROFESSIONAL)
    rows = (Message.select(Message.conversation, fn.COUNT(Message.id).alias("n"))
            .where(Message.conversation.in_(ids) & side & Message.read_at.is_null())
            .group_by(Message.conversation))
    return {r.conversation_id: r.n for r in policy.mark(rows)}


@once_per_request(lambda access: (access.space.id, access.capacity))  # badge and card
def unread_for_holder(access):
    """Professionals' messages of the space not read yet by its holder side (counted with
    the space when the request's access loaded it, and no message was marked read since)."""
    loaded = vars(access.space).get("unread_from_professionals")
    if loaded is not None and not g.get("messages_marked_read"):
        return loaded
    return (access.query(Message).where((Message.author_capacity == Capacity.PROFESSIONAL)
                                        & Message.read_at.is_null()).count())


def unread_of(messages, professional_side):
    """Ids of the other side's messages, among these, that this side has not read yet."""
    return {m.id for m in messages
            if m.from_professional != professional_side and m.read_at is None}


def mark_read(message_ids):
    """Mark these messages (the unread ones a page showed) as read now; no write when none."""
    if message_ids:
        forget()
        if has_request_context():
            g.messages_marked_read = True
        (Message.update(read_at=utcnow())
         .where(Message.id.in_(list(message_ids)) & Message.read_at.is_null()).execute())


def writable_professionals(access, conversations=None):
    """Professionals the holder may write to: they wrote first, their latest exchange is
    open, and they still reach the space (decided for all of them at once). Pass the
    space's conversations, authors joined, when the page has them already."""
    if conversations is None:
        conversations = (access.query(Conversation, Conversation, User).switch(Conversation)
                         .join(User, on=(Conversation.professional == User.id)))
    latest = {}
    for c in sorted(conversations, key=lambda c: (c.created_at, c.id)):
        latest[c.professional_id] = c
    open_ones = [c.professional for c in latest.values() if not c.is_closed]
    reach = {p.id for p in policy.reaching(open_ones, access.space)}
    return [p for p in open_ones if p.id in reach]
