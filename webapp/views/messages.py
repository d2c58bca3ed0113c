"""Secure messages, the holder's side: inbox, conversation, reply with attachments,
download an attachment or save it into the record."""

from flask import Blueprint, abort, flash, g, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from webapp import storage
from webapp.access import MAX_ID
from webapp.forms import Form
from webapp.guards import SPACE, on_space
from webapp.messages import actions, queries
from webapp.messages.forms import MAX_FILES, REFUSALS, NewForm, ReplyForm
from webapp.models.accounts import User
from webapp.models.messages import Attachment, Conversation
from webapp.rendering import is_fragment_request, render
from webapp.scopes import HOLDER_AND_HELPERS, Scope

bp = Blueprint("messages", __name__)


def stored_files(form):
    """Store the attached files; return [(name, sha, size, mime)] or None (error on field)."""
    uploads = [f for f in (form.files.data or []) if f and f.filename]
    if len(uploads) > MAX_FILES:
        form.files.errors.append(_("Joignez %(n)s fichiers au plus.", n=MAX_FILES))
        return None
    try:
        return actions.store_files(uploads)
    except storage.FileRefused as refused:
        form.files.errors.append(str(REFUSALS[refused.reason]) % {"name": refused.name})
        return None


def on_holder_side(access):
    """True for the holders and the people acting for them under a mandate (a
    professional has their own pages, webapp.views.pro.messages)."""
    return access.capacity in HOLDER_AND_HELPERS


def conversation_of(access, conversation_id):
    """A conversation of the space the holder's side may read, noted in the log; else 404."""
    if not isinstance(conversation_id, int) or not 0 < conversation_id <= MAX_ID:
        abort(404)
    conversation = (access.query(Conversation, Conversation, User).switch(Conversation)
                    .join(User, on=(Conversation.professional == User.id))  # shown: one query
                    .where(Conversation.id == conversation_id).first())
    if conversation is None:
        abort(404)
    conversation.space = access.space  # the same row, already loaded
    access.note(target=conversation)
    return conversation


@bp.route(SPACE + "/messages")
@on_space(Scope.MESSAGES_READ, HOLDER_AND_HELPERS)
def index():
    """Conversations, most recent first, with their unread counts."""
    access = g.access
    query = (access.query(Conversation, Conversation, User).switch(Conversation)
             .join(User, on=(Conversation.professional == User.id))
             .order_by(Conversation.last_message_at.desc()))
    conversations = list(query)
    unread = queries.unread_counts(query, professional_side=False)
    queries.unread_for_holder.prime(sum(unread.values()), access)  # the menu's badge
    return render("messages/index.html", title=_("Messages"), conversations=conversations,
                  can_write=access.allows(Scope.MESSAGES_REPLY)
                  and bool(queries.writable_professionals(access, conversations)),
                  unread=unread)


def _show(conversation, form, status=200, new_message=None):
    messages = queries.thread(g.access, conversation)
    unread = queries.unread_of(messages, professional_side=False)
    queries.mark_read(unread)
    return render("messages/show.html", partial="messages/_conversation.html", status=status,
                  title=conversation.subject, conversation=conversation, messages=messages,
                  unread=unread, form=form, new_message=new_message,
                  can_reply=g.access.allows(Scope.MESSAGES_REPLY),
                  can_save=g.access.allows(Scope.DOCUMENTS_ADD))


@bp.route(SPACE + "/messages/nouveau", methods=["GET", "POST"])
@on_space(Scope.MESSAGES_REPLY, HOLDER_AND_HELPERS)
def new():
    """Write a new message to a professional who has written and not closed the exchange."""
    people = queries.writable_professionals(g.access)
    form = NewForm()
    form.professional.choices = [SelectChoice(0, _("Choisissez un professionnel"))] + [
        SelectChoice(p.id, p.display_name + (f", {p.profession_label}"
                                             if p.profession_label else ""))
        for p in people]
    if form.validate_on_submit():
        pro = next((p for p in people if p.id == form.professional.data), None)
        if pro is None:
            form.professional.errors.append(_("Choisissez un professionnel dans la liste."))
        else:
            stored = stored_files(form)
            if stored is not None:
                conversation, _message = actions.start_conversation(
                    g.access, pro, form.subject.data, form.body.data, stored)
                flash(_("Votre message est envoyé."), "success")
                return redirect(url_for("messages.show", conversation_id=conversation.id), 303)
    return render("messages/new.html", title=_("Écrire à un professionnel de santé"),
                  form=form, has_people=bool(people))


@bp.route(SPACE + "/messages/<int:conversation_id>")
@on_space(Scope.MESSAGES_READ, HOLDER_AND_HELPERS)
def show(conversation_id):
    """A conversation; opening it marks the professional's messages as read."""
    return _show(conversation_of(g.access, conversation_id), ReplyForm())


@bp.route(SPACE + "/messages/<int:conversation_id>/repondre", methods=["POST"])
@on_space(Scope.MESSAGES_REPLY, HOLDER_AND_HELPERS)
def reply(conversation_id):
    """Reply (with htmx: the message is appended in place and announced)."""
    conversation = conversation_of(g.access, conversation_id)
    form = ReplyForm()
    if conversation.is_closed:
        form.validate()
        form.body.errors = [_("Cette conversation est close : vous ne pouvez plus y répondre.")]
        return _show(conversation, form)
    stored = stored_files(form) if form.validate_on_submit() else None
    if stored is None:
        return _show(conversation, form)
    message = actions.post_message(g.access, conversation, form.body.data, stored)
    if is_fragment_request():
        return _show(conversation, ReplyForm(formdata=None), new_message=message)
    flash(_("Votre message est envoyé."), "success")
    return redirect(url_for("messages.show", conversation_id=conversation.id)
                    + f"#message-{message.id}", 303)


def attachment_of(access, conversation, attachment_id):
    """An attachment of this conversation, visible through the access and stored, else 404."""
    attachment = access.get(Attachment, attachment_id)
    if attachment.message.conversation_id != conversation.id \
            or not storage.exists(attachment.sha256):
        abort(404)
    return attachment


def send_attachment(attachment):
    """The file, always as a download."""
    return send_file(storage.open_blob(attachment.sha256), mimetype=attachment.mime,
                     as_attachment=True,
                     download_name=storage.safe_filename(attachment.filename, attachment.mime,
                                                         "piece-jointe"))


@bp.route(SPACE + "/messages/<int:conversation_id>/pieces/<int:attachment_id>")
@on_space(Scope.MESSAGES_READ, HOLDER_AND_HELPERS)
def attachment(conversation_id, attachment_id):
    """Download an attachment."""
    conversation = conversation_of(g.access, conversation_id)
    found = attachment_of(g.access, conversation, attachment_id)
    g.access.note(target=found, detail="download")
    return send_attachment(found)


@bp.route(SPACE + "/messages/<int:conversation_id>/pieces/<int:attachment_id>/enregistrer",
          methods=["POST"])
@on_space(Scope.MESSAGES_READ, HOLDER_AND_HELPERS)
def save_attachment(conversation_id, attachment_id):
    """Save an attachment into the record as a document (needs documents.add too)."""
    conversation = conversation_of(g.access, conversation_id)
    found = attachment_of(g.access, conversation, attachment_id)
    g.access.require(Scope.DOCUMENTS_ADD)
    if not Form().validate_on_submit():
        abort(404)
    if actions.save_attachment(g.access, found) is not None:
        flash(_("« %(name)s » est enregistré dans vos documents.", name=found.filename),
              "success")
    return redirect(url_for("messages.show", conversation_id=conversation.id)
                    + f"#attachment-{found.id}", 303)


def unread_badge(access):
    """Menu badge: the professionals' messages not read yet."""
    if not (on_holder_side(access) and access.allows(Scope.MESSAGES_READ)):
        return 0
    return queries.unread_for_holder(access)


def home_panel(access):
    """Home card: unread messages (the holder's side's pages only)."""
    if not (on_holder_side(access) and access.allows(Scope.MESSAGES_READ)):
        return None
    n = queries.unread_for_holder(access)
    text = ngettext("%(num)d message non lu.", "%(num)d messages non lus.", n) if n \
        else _("Aucun message non lu.")
    return dict(title=_("Messages"), href=url_for("messages.index"), text=text)
