"""Communication: the messages of the space's conversations. A professional's software
writes to the patient (a new conversation, its first message, up to three files), and
either side replies (`inResponseTo`), through the messages' actions, so the other side
is told and reads it on its messages page."""

import io

from fhir.resources.R4B.communication import Communication

from webapp import storage
from webapp.fhir.documents import instant
from webapp.fhir.errors import FhirError, forbidden, invalid, not_found
from webapp.messages import actions
from webapp.messages.forms import MAX_FILES
from webapp.models.messages import BODY_MAX, SUBJECT_MAX, Message
from webapp.scopes import Capacity


def to_fhir(message, ref, attachments=()):
    """The Communication of one message (with its attachments, fetched by the caller)."""
    conversation = message.conversation
    patient = {"reference": f"Patient/{ref}"}
    professional = {"display": conversation.professional.display_name}
    from_pro = message.from_professional
    payload = [{"contentString": message.body}] + [
        {"contentAttachment": {"contentType": a.mime, "title": a.filename, "size": a.size}}
        for a in attachments]
    return Communication.model_validate({
        "resourceType": "Communication", "id": f"{ref}-{message.id}", "status": "completed",
        "subject": patient, "topic": {"text": conversation.subject},
        "sent": instant(message.created_at),
        "sender": professional if from_pro else patient,
        "recipient": [patient if from_pro else professional], "payload": payload})


class _Upload:
    def __init__(self, content, filename):
        self.stream, self.filename = io.BytesIO(content), filename


def _replied(access, resource):
    """The conversation of the message `inResponseTo` names (visible to the access)."""
    reference = resource.inResponseTo[0].reference or ""
    _ref, _dash, ident = reference.rpartition("/")[2].rpartition("-")
    message = access.query(Message).where(Message.id == int(ident)).first() \
        if ident.isdigit() and len(ident) < 19 else None
    if message is None:
        raise not_found("inResponseTo: no such Communication")
    if message.conversation.is_closed:
        raise invalid("inResponseTo: the professional closed this conversation")
    return message.conversation


def create(access, resource):
    """A message: a reply in the conversation `inResponseTo` names (either side), or a
    professional's new conversation with the patient; returns the message."""
    conversation = _replied(access, resource) if resource.inResponseTo else None
    if conversation is None and access.capacity != Capacity.PROFESSIONAL:
        raise forbidden("A citizen's app replies to a professional's message "
                        "(inResponseTo); only a professional starts a conversation here")
    subject = ((resource.topic.text if resource.topic else "") or "").strip()
    if conversation is None and (not subject or len(subject) > SUBJECT_MAX):
        raise invalid(f"topic.text: the subject (at most {SUBJECT_MAX} characters)")
    texts = [p.contentString for p in resource.payload or [] if p.contentString]
    files = [p.contentAttachment for p in resource.payload or [] if p.contentAttachment]
    body = "\n\n".join(t.strip() for t in texts).strip()
    if not body or len(body) > BODY_MAX:
        raise invalid(f"payload.contentString: the message (at most {BODY_MAX} characters)")
    if len(files) > MAX_FILES or any(f.data is None for f in files):
        raise invalid(f"payload.contentAttachment: at most {MAX_FILES} files, each inline")
    try:
        stored = actions.store_files([_Upload(f.data, f.title or "piece-jointe")
                                      for f in files])
    except storage.FileRefused as refused:
        if refused.reason == "too_large":
            raise FhirError(413, "too-costly", "An attachment is over 5 MB") from None
        raise invalid(f"payload.contentAttachment: {refused.reason}") from None
    if conversation is not None:
        return actions.post_message(access, conversation, body, stored)
    _conversation, message = actions.start_conversation(access, access.actor, subject, body,
                                                        stored)
    return message


def search(access, args):
    """The messages the caller may see, the latest first."""
    return access.query(Message).order_by(Message.created_at.desc(), Message.id.desc())
