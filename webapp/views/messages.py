"""Secure messages, the holder's side: inbox, conversation, reply with attachments,
download an attachment or save it into the record."""

from flask import Blueprint, abort, flash, g, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from webapp import navigation, policy, storage
from webapp.db import database, utcnow
from webapp.forms import Form, max_length, required
from webapp.guards import on_space
from webapp.models.messages import (
    BODY_MAX,
    SUBJECT_MAX,
    Attachment,
    Conversation,
    Message,
    mark_read,
    unread_by_conversation,
    unread_for_space,
)
from webapp.notify import notify
from webapp.policy import Scope
from webapp.rendering import is_fragment_request, render
from webapp.views import home

bp = Blueprint("messages", __name__)
MAX_FILES = 3
REFUSALS = {
    "empty": _l("Le fichier « %(name)s » est vide."),
    "too_large": _l("Le fichier « %(name)s » dépasse 5 Mo."),
    "type": _l("Le fichier « %(name)s » n'est pas d'un type accepté : PDF, JPEG, PNG, TIFF, "
               "RTF ou texte."),
}


class ReplyForm(Form):
    body = TextAreaField(_l("Votre message"), validators=[
        required(_l("Écrivez votre message.")),
        max_length(BODY_MAX, _l("Le message doit faire 5 000 caractères au plus."))])
    files = MultipleFileField(_l("Pièces jointes"))


class NewForm(Form):
    professional = SelectField(_l("Professionnel de santé"), coerce=int, validate_choice=False)
    subject = StringField(_l("Objet"), validators=[
        required(_l("Saisissez l'objet du message.")),
        max_length(SUBJECT_MAX, _l("L'objet doit faire 120 caractères au plus."))])
    body = ReplyForm.body
    files = ReplyForm.files


def writable_professionals(space):
    """Professionals the holder may write to: they wrote first, their latest exchange is
    open, and they still have access to the space."""
    latest = {}
    for c in Conversation.select().where(Conversation.space == space).order_by(
            Conversation.created_at):
        latest[c.professional_id] = c
    return [c.professional for c in latest.values()
            if not c.is_closed and policy.grant_for(c.professional, space) is not None]


def store_files(form):
    """Store the attached files; return [(name, sha, size, mime)] or None (error on field)."""
    files = [f for f in (form.files.data or []) if f and f.filename]
    if len(files) > MAX_FILES:
        form.files.errors.append(_("Joignez %(n)s fichiers au plus.", n=MAX_FILES))
        return None
    stored = []
    for f in files:
        name = f.filename.replace("\\", "/").rsplit("/", 1)[-1][:150] or "piece-jointe"
        try:
            stored.append((name, *storage.store(f.stream)))
        except storage.FileRefused as refused:
            form.files.errors.append(str(REFUSALS[refused.reason]) % {"name": name})
            return None
    return stored


def add_message(conversation, author, capacity, body, stored=()):
    """Write a message and its attachments (files already stored)."""
    now = utcnow()
    with database.atomic():
        message = Message.create(conversation=conversation, author=author,
                                 author_capacity=capacity, body=body.strip(), created_at=now)
        for name, digest, size, mime in stored:
            Attachment.create(message=message, filename=name, sha256=digest, size=size,
                              mime=mime)
        conversation.last_message_at = now
        conversation.save(only=[Conversation.last_message_at])
    return message


def _conversation(conversation_id):
    conversation = Conversation.get_or_none((Conversation.id == conversation_id)
                                            & (Conversation.space == g.space))
    if conversation is None:
        abort(404)
    return conversation


@bp.route("/messages")
@on_space(Scope.MESSAGES_READ)
def index():
    """Conversations, most recent first, with their unread counts."""
    conversations = list(Conversation.select().where(Conversation.space == g.space)
                         .order_by(Conversation.last_message_at.desc()))
    return render("messages/index.html", title=_("Messages"), conversations=conversations,
                  can_write=g.grant.allows(Scope.MESSAGES_REPLY)
                  and bool(writable_professionals(g.space)),
                  unread=unread_by_conversation(conversations, professional_side=False))


def _show(conversation, form, status=200, new_message=None):
    messages = list(conversation.messages())
    unread = {m.id for m in messages if m.from_professional and m.read_at is None}
    mark_read(conversation, professional_side=False)
    return render("messages/show.html", partial="messages/_conversation.html", status=status,
                  title=conversation.subject, conversation=conversation, messages=messages,
                  unread=unread, form=form, new_message=new_message,
                  can_reply=g.grant.allows(Scope.MESSAGES_REPLY),
                  can_save=g.grant.allows(Scope.DOCUMENTS_ADD))


@bp.route("/messages/nouveau", methods=["GET", "POST"])
@on_space(Scope.MESSAGES_REPLY)
def new():
    """Write a new message to a professional who has written and not closed the exchange."""
    people = writable_professionals(g.space)
    form = NewForm()
    form.professional.choices = [SelectChoice(0, _("Choisissez un professionnel"))] + [
        SelectChoice(p.id, p.display_name + (f", {p.profession}" if p.profession else ""))
        for p in people]
    if form.validate_on_submit():
        pro = next((p for p in people if p.id == form.professional.data), None)
        if pro is None:
            form.professional.errors.append(_("Choisissez un professionnel dans la liste."))
        else:
            stored = store_files(form)
            if stored is not None:
                conversation = Conversation.create(space=g.space, professional=pro,
                                                   subject=form.subject.data.strip())
                add_message(conversation, g.grant.actor, g.grant.capacity, form.body.data,
                            stored)
                notify(pro, "new_message",
                       link=url_for("pro_messages.show", conversation_id=conversation.id))
                flash(_("Votre message est envoyé."), "success")
                return redirect(url_for("messages.show", conversation_id=conversation.id), 303)
    return render("messages/new.html", title=_("Écrire à un professionnel de santé"),
                  form=form, has_people=bool(people))


@bp.route("/messages/<int:conversation_id>")
@on_space(Scope.MESSAGES_READ)
def show(conversation_id):
    """A conversation; opening it marks the professional's messages as read."""
    return _show(_conversation(conversation_id), ReplyForm())


@bp.route("/messages/<int:conversation_id>/repondre", methods=["POST"])
@on_space(Scope.MESSAGES_REPLY)
def reply(conversation_id):
    """Reply (with htmx: the message is appended in place and announced)."""
    conversation = _conversation(conversation_id)
    form = ReplyForm()
    if conversation.is_closed:
        form.validate()
        form.body.errors = [_("Cette conversation est close : vous ne pouvez plus y répondre.")]
        return _show(conversation, form)
    stored = store_files(form) if form.validate_on_submit() else None
    if stored is None:
        return _show(conversation, form)
    message = add_message(conversation, g.grant.actor, g.grant.capacity, form.body.data, stored)
    notify(conversation.professional, "new_message",
           link=url_for("pro_messages.show", conversation_id=conversation.id))
    if is_fragment_request():
        return _show(conversation, ReplyForm(formdata=None), new_message=message)
    flash(_("Votre message est envoyé."), "success")
    return redirect(url_for("messages.show", conversation_id=conversation.id)
                    + f"#message-{message.id}", 303)


def attachment_of(conversation, attachment_id):
    """An attachment of a conversation, else 404."""
    attachment = (Attachment.select().join(Message)
                  .where((Attachment.id == attachment_id)
                         & (Message.conversation == conversation)).first())
    if attachment is None or not storage.exists(attachment.sha256):
        abort(404)
    return attachment


def send_attachment(attachment):
    """The file, always as a download."""
    return send_file(storage.open_blob(attachment.sha256), mimetype=attachment.mime,
                     as_attachment=True, download_name=attachment.filename)


@bp.route("/messages/<int:conversation_id>/pieces/<int:attachment_id>")
@on_space(Scope.MESSAGES_READ)
def attachment(conversation_id, attachment_id):
    """Download an attachment."""
    found = attachment_of(_conversation(conversation_id), attachment_id)
    policy.record(g.grant, g.space, "messages.attachment", target=str(found.id))
    return send_attachment(found)


@bp.route("/messages/<int:conversation_id>/pieces/<int:attachment_id>/enregistrer",
          methods=["POST"])
@on_space(Scope.MESSAGES_READ)
def save_attachment(conversation_id, attachment_id):
    """Save an attachment into the record as a document (needs documents.add too)."""
    from webapp.models.documents import add_document

    conversation = _conversation(conversation_id)
    found = attachment_of(conversation, attachment_id)
    policy.authorize(g.grant.actor, g.space, Scope.DOCUMENTS_ADD, target=f"attachment:{found.id}")
    if not Form().validate_on_submit():
        abort(404)
    if found.saved_document_id is None:
        with database.atomic():
            doc = add_document(
                g.space, title=found.filename.rsplit(".", 1)[0] or found.filename,
                category="AUTR_DOC", document_date=found.message.created_at.date(),
                sha256=found.sha256, size=found.size, mime=found.mime, filename=found.filename,
                source="message", **_document_author(found.message, g.grant.actor))
            found.saved_document_id = doc.id
            found.save(only=[Attachment.saved_document_id])
        flash(_("« %(name)s » est enregistré dans vos documents.", name=found.filename),
              "success")
    return redirect(url_for("messages.show", conversation_id=conversation.id)
                    + f"#attachment-{found.id}", 303)


def _document_author(message, actor):
    if message.from_professional:
        return dict(author=message.author, author_kind="professional",
                    author_name=message.author.display_name)
    return dict(author=actor, author_kind="citizen")


def _unread_badge(grant):
    return unread_for_space(grant.space) if grant.allows(Scope.MESSAGES_READ) else 0


def _home_panel(grant):
    if not grant.allows(Scope.MESSAGES_READ):
        return None
    n = unread_for_space(grant.space)
    text = ngettext("%(num)d message non lu.", "%(num)d messages non lus.", n) if n \
        else _("Aucun message non lu.")
    return dict(title=_("Messages"), href=url_for("messages.index"), text=text)


def init_app(app):
    """Menu entry with its unread badge, and a home card."""
    navigation.add(50, "messages.index", _l("Messages"), scope=Scope.MESSAGES_READ)
    navigation.BADGES["messages.index"] = _unread_badge
    if _home_panel not in home.HOME_PANELS:
        home.HOME_PANELS.append(_home_panel)
