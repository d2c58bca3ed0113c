"""Secure messages, the professional's minimal side: start a conversation with a patient
they know, read replies, write again, close a conversation with a reason."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from webapp import navigation, policy
from webapp.db import utcnow
from webapp.forms import Form, max_length, required
from webapp.guards import roles
from webapp.models.messages import (
    BODY_MAX,
    REASON_MAX,
    SUBJECT_MAX,
    Conversation,
    mark_read,
    unread_by_conversation,
)
from webapp.models.spaces import Block, CareRelation, Space
from webapp.notify import notify
from webapp.policy import Scope
from webapp.rendering import render
from webapp.views.messages import ReplyForm, add_message, attachment_of, send_attachment

bp = Blueprint("pro_messages", __name__, url_prefix="/pro/messages")


class StartForm(Form):
    patient = SelectField(_l("Patient"), coerce=int, validate_choice=False)
    subject = StringField(_l("Objet"), validators=[
        required(_l("Saisissez l'objet du message.")),
        max_length(SUBJECT_MAX, _l("L'objet doit faire 120 caractères au plus."))])
    body = TextAreaField(_l("Message"), validators=[
        required(_l("Écrivez votre message.")),
        max_length(BODY_MAX, _l("Le message doit faire 5 000 caractères au plus."))])


class CloseForm(Form):
    reason = TextAreaField(_l("Motif de la clôture"), validators=[
        required(_l("Indiquez pourquoi vous closez la conversation : le patient le lira.")),
        max_length(REASON_MAX, _l("Le motif doit faire 500 caractères au plus."))])


def _me():
    return current_user._get_current_object()


def patients_of(user):
    """Spaces of the professional's patients who have not blocked them."""
    blocked = Block.select(Block.space).where(Block.professional == user)
    return list(Space.select().join(CareRelation)
                .where((CareRelation.professional == user) & Space.id.not_in(blocked)
                       & Space.state.in_(("created", "active")))
                .order_by(Space.last_name, Space.first_name))


def _notify_holders(conversation):
    """Tell the holders a message arrived; the owner gets a link to the conversation."""
    for holder in policy.holders_of(conversation.space):
        link = url_for("messages.show", conversation_id=conversation.id) \
            if holder.id == conversation.space.owner_id else url_for("messages.index")
        notify(holder, "new_message", link=link)


@bp.route("")
@roles("professional")
def index():
    """The professional's conversations, with unread replies."""
    conversations = list(Conversation.select().where(Conversation.professional == _me())
                         .order_by(Conversation.last_message_at.desc()))
    return render("pro/messages.html", title=_("Messagerie"), conversations=conversations,
                  unread=unread_by_conversation(conversations, professional_side=True))


@bp.route("/nouveau", methods=["GET", "POST"])
@roles("professional")
def start():
    """Write to a patient: only those in one's care who have not blocked you."""
    user = _me()
    patients = patients_of(user)
    form = StartForm(patient=request.args.get("patient", type=int))
    form.patient.choices = [SelectChoice(0, _("Choisissez un patient"))] + [
        SelectChoice(p.id, f"{p.display_name} ({p.birth_date.strftime('%d/%m/%Y')})")
        for p in patients]
    if form.validate_on_submit():
        space = next((p for p in patients if p.id == form.patient.data), None)
        if space is None:
            form.patient.errors.append(_("Choisissez un patient dans la liste."))
        else:
            grant = policy.authorize(user, space, Scope.MESSAGES_REPLY, target="conversation")
            conversation = Conversation.create(space=space, professional=user,
                                               subject=form.subject.data.strip())
            add_message(conversation, user, grant.capacity, form.body.data)
            _notify_holders(conversation)
            flash(_("Votre message est envoyé à %(name)s.", name=space.display_name), "success")
            return redirect(url_for("pro_messages.show", conversation_id=conversation.id), 303)
    return render("pro/start.html", title=_("Écrire à un patient"), form=form,
                  has_patients=bool(patients))


def _conversation(conversation_id, scope):
    """One's own conversation, if the policy still allows it (logged), else 404."""
    conversation = Conversation.get_or_none((Conversation.id == conversation_id)
                                            & (Conversation.professional == _me()))
    if conversation is None:
        abort(404)
    policy.authorize(_me(), conversation.space, scope, target=f"conversation:{conversation.id}")
    return conversation


def _show(conversation, form=None, close_form=None):
    messages = list(conversation.messages())
    unread = {m.id for m in messages if not m.from_professional and m.read_at is None}
    mark_read(conversation, professional_side=True)
    return render("pro/conversation.html", title=conversation.subject,
                  conversation=conversation, messages=messages, unread=unread,
                  form=form or ReplyForm(formdata=None),
                  close_form=close_form or CloseForm(formdata=None), new_message=None)


@bp.route("/<int:conversation_id>")
@roles("professional")
def show(conversation_id):
    """A conversation and its replies."""
    return _show(_conversation(conversation_id, Scope.MESSAGES_READ))


@bp.route("/<int:conversation_id>/repondre", methods=["POST"])
@roles("professional")
def reply(conversation_id):
    """Write again in an open conversation."""
    conversation = _conversation(conversation_id, Scope.MESSAGES_REPLY)
    form = ReplyForm()
    if conversation.is_closed:
        abort(404)
    if not form.validate_on_submit():
        return _show(conversation, form=form)
    message = add_message(conversation, _me(), "professional", form.body.data)
    _notify_holders(conversation)
    flash(_("Votre message est envoyé."), "success")
    return redirect(url_for("pro_messages.show", conversation_id=conversation.id)
                    + f"#message-{message.id}", 303)


@bp.route("/<int:conversation_id>/clore", methods=["POST"])
@roles("professional")
def close(conversation_id):
    """Close the conversation; the patient sees the reason and can no longer reply."""
    conversation = _conversation(conversation_id, Scope.MESSAGES_REPLY)
    form = CloseForm()
    if conversation.is_closed:
        abort(404)
    if not form.validate_on_submit():
        return _show(conversation, close_form=form)
    conversation.closed_at = utcnow()
    conversation.close_reason = form.reason.data.strip()
    conversation.save(only=[Conversation.closed_at, Conversation.close_reason])
    flash(_("La conversation est close."), "success")
    return redirect(url_for("pro_messages.show", conversation_id=conversation.id), 303)


@bp.route("/<int:conversation_id>/pieces/<int:attachment_id>")
@roles("professional")
def attachment(conversation_id, attachment_id):
    """Download a patient's attachment."""
    conversation = _conversation(conversation_id, Scope.MESSAGES_READ)
    return send_attachment(attachment_of(conversation, attachment_id))


def init_app(app):
    """The professional's menu entry."""
    navigation.add(110, "pro_messages.index", _l("Messagerie"), roles=("professional",))
