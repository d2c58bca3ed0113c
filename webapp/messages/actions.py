"""Messages' changes: a professional starts a conversation, either side writes, the
professional closes it, the holder saves an attachment into the record. Each is one
transaction with its log entry; the other side is told after commit."""

from webapp import signals, storage
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.messages import Attachment, Conversation, Message
from webapp.record.documents import create_document


def store_files(uploads):
    """Store each uploaded file before the rows that will point to them; returns
    [(name, sha256, size, mime)]. Raises storage.FileRefused (with .name) on a bad file."""
    stored = []
    for upload in uploads:
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:150] or "piece-jointe"
        try:
            digest, size, mime = storage.store(upload.stream)
        except storage.FileRefused as refused:
            refused.name = name
            raise
        stored.append((storage.safe_filename(name, mime, "piece-jointe"), digest, size, mime))
    return stored


def _write(conversation, author, capacity, body, stored):
    now = utcnow()
    message = Message.create(conversation=conversation, author=author,
                             author_capacity=str(capacity), body=body.strip(), created_at=now)
    for name, digest, size, mime in stored:
        Attachment.create(message=message, filename=name, sha256=digest, size=size, mime=mime)
    conversation.last_message_at = now
    conversation.save(only=[Conversation.last_message_at])
    return message


def start_conversation(access, professional, subject, body, stored=()):
    """A new conversation of the space with a professional, and its first message."""
    with transaction():
        conversation = Conversation.create(space=access.space, professional=professional,
                                           subject=subject.strip())
        message = _write(conversation, access.actor, access.capacity, body, stored)
        access.log(Action.MESSAGES_REPLY, conversation, "start")
        after_commit(lambda: signals.conversation_started.send(
            conversation, message=message))
    return conversation, message


def post_message(access, conversation, body, stored=()):
    """A message in an open conversation, by whoever the access says."""
    with transaction():
        message = _write(conversation, access.actor, access.capacity, body, stored)
        access.log(Action.MESSAGES_REPLY, message)
        after_commit(lambda: signals.message_posted.send(message, conversation=conversation))
    return message


def close_conversation(access, conversation, reason):
    """The professional closes the exchange; the holder reads why."""
    with transaction():
        conversation.closed_at, conversation.close_reason = utcnow(), reason.strip()
        conversation.save(only=[Conversation.closed_at, Conversation.close_reason])
        access.log(Action.MESSAGES_REPLY, conversation, "close")


def save_attachment(access, attachment):
    """Save an attachment into the record as a document, once."""
    if attachment.saved_document_id is not None:
        return None
    message = attachment.message
    if message.from_professional:
        author = dict(author=message.author, author_kind="professional",
                      author_name=message.author.display_name)
    else:
        author = dict(author_kind="citizen")
    with transaction():
        access.note(detail=f"attachment:{attachment.id}")  # kept by the document's entry
        document = create_document(
            access, title=attachment.filename.rsplit(".", 1)[0] or attachment.filename,
            category="AUTR_DOC", document_date=message.created_at.date(),
            sha256=attachment.sha256, size=attachment.size, mime=attachment.mime,
            filename=attachment.filename, source="message", **author)
        attachment.saved_document_id = document.id
        attachment.save(only=[Attachment.saved_document_id])
    return document
