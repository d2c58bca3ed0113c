"""Secure messages, the professional's side: the inbox of conversations with patients they
may still reach; in a patient's space, start a conversation, write again, close it."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from webapp import policy
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.messages import actions, queries
from webapp.messages.forms import CloseForm, ReplyForm, StartForm
from webapp.rendering import render
from webapp.scopes import PROFESSIONALS, Scope
from webapp.views.messages import attachment_of, conversation_of, send_attachment, stored_files

bp = Blueprint("pro_messages", __name__)


@bp.route("/pro/messages")
@roles("professional")
def index():
    """The professional's conversations with patients they may still reach."""
    query = policy.conversations_of(signed_in_user())
    return render("pro/messages.html", title=_("Messagerie"), conversations=list(query),
                  unread=queries.unread_counts(query, professional_side=True))


@bp.route("/pro/messages/nouveau")
@roles("professional")
def choose():
    """Choose the patient to write to, then write in their space."""
    patients = {p.ref: p for p in policy.patients_of(signed_in_user())}
    chosen = request.args.get("patient", "")
    if chosen in patients:
        return redirect(url_for("pro_messages.start", ref=chosen), 303)
    return render("pro/choose.html", title=_("Écrire à un patient"), patients=patients.values(),
                  error=_("Choisissez un patient dans la liste.") if chosen else "")


@bp.route(SPACE + "/pro/messages/nouveau", methods=["GET", "POST"])
@on_space(Scope.MESSAGES_REPLY, PROFESSIONALS)
def start():
    """Write to this patient: a new conversation."""
    access = g.access
    form = StartForm()
    stored = stored_files(form) if form.validate_on_submit() else None
    if stored is not None:
        conversation, _message = actions.start_conversation(
            access, access.actor, form.subject.data, form.body.data, stored)
        flash(_("Votre message est envoyé à %(name)s.", name=access.space.display_name),
              "success")
        return redirect(url_for("pro_messages.show", conversation_id=conversation.id), 303)
    return render("pro/start.html", title=_("Écrire à %(name)s",
                                            name=access.space.display_name), form=form)


def _show(conversation, form=None, close_form=None):
    messages = queries.thread(g.access, conversation)
    unread = queries.unread_of(messages, professional_side=True)
    queries.mark_read(unread)
    return render("pro/conversation.html", title=conversation.subject,
                  conversation=conversation, messages=messages, unread=unread,
                  form=form or ReplyForm(formdata=None),
                  close_form=close_form or CloseForm(formdata=None), new_message=None)


def _conversation(conversation_id):
    return conversation_of(g.access, conversation_id)


@bp.route(SPACE + "/pro/messages/<int:conversation_id>")
@on_space(Scope.MESSAGES_READ, PROFESSIONALS)
def show(conversation_id):
    """A conversation and its replies."""
    return _show(_conversation(conversation_id))


@bp.route(SPACE + "/pro/messages/<int:conversation_id>/repondre", methods=["POST"])
@on_space(Scope.MESSAGES_REPLY, PROFESSIONALS)
def reply(conversation_id):
    """Write again in an open conversation."""
    conversation = _conversation(conversation_id)
    form = ReplyForm()
    if conversation.is_closed:
        abort(404)
    stored = stored_files(form) if form.validate_on_submit() else None
    if stored is None:
        return _show(conversation, form=form)
    message = actions.post_message(g.access, conversation, form.body.data, stored)
    flash(_("Votre message est envoyé."), "success")
    return redirect(url_for("pro_messages.show", conversation_id=conversation.id)
                    + f"#message-{message.id}", 303)


@bp.route(SPACE + "/pro/messages/<int:conversation_id>/clore", methods=["POST"])
@on_space(Scope.MESSAGES_REPLY, PROFESSIONALS)
def close(conversation_id):
    """Close the conversation; the patient sees the reason and can no longer reply."""
    conversation = _conversation(conversation_id)
    form = CloseForm()
    if conversation.is_closed:
        abort(404)
    if not form.validate_on_submit():
        return _show(conversation, close_form=form)
    actions.close_conversation(g.access, conversation, form.reason.data)
    flash(_("La conversation est close."), "success")
    return redirect(url_for("pro_messages.show", conversation_id=conversation.id), 303)


@bp.route(SPACE + "/pro/messages/<int:conversation_id>/pieces/<int:attachment_id>")
@on_space(Scope.MESSAGES_READ, PROFESSIONALS)
def attachment(conversation_id, attachment_id):
    """Download a patient's attachment."""
    conversation = _conversation(conversation_id)
    found = attachment_of(g.access, conversation, attachment_id)
    g.access.note(target=found, detail="download")
    return send_attachment(found)
