"""The receivers of webapp.signals that queue notifications; connected by create_app.

Each runs after the commit of the change it announces. Links are paths inside the app,
built from the URL map (no request is needed: commands send signals too). The notices
of accesses are read from the access log by send-outbox (webapp.notify.access_notices).
"""

from flask import current_app

from webapp import signals
from webapp.models.accounts import User
from webapp.notify.events import ACCESS_EVENTS
from webapp.notify.queue import first_notice_today, notify
from webapp.policy import holders_of, office_mandates_on


def path(endpoint, **values):
    """The path of an endpoint, with or without a request."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def on_document_added(document):
    """Tell the holders that a document arrived (not what), unless they added it; a
    minor's confidential care is never announced to the parents."""
    if document.source == "seed" or document.withheld:  # told when it is shown to them
        return
    space = document.space
    for holder in holders_of(space):
        if document.confidential and holder.id != space.owner_id:
            continue
        if holder.id != document.author_id:
            notify(holder, "new_document",
                   link=path("documents.detail", ref=space.ref, doc_id=document.id))


def on_care_declared(relation):
    """The holders learn at once that a professional follows them (and can block them)."""
    space = relation.space
    for holder in holders_of(space):
        notify(holder, "care_relation", link=path("privacy.professionals", ref=space.ref))


def on_appointment_proposed(appointment):
    """The holders are asked to accept or decline a professional's proposal."""
    space = appointment.space
    for holder in holders_of(space):
        notify(holder, "appointment_proposed",
               link=path("agenda.show", ref=space.ref, entry_id=appointment.id))


def on_appointment_answered(appointment):
    """The professional who proposed it learns the answer (on the patient's page)."""
    notify(appointment.created_by, "appointment_answer",
           link=path("pro_record.patient", ref=appointment.space.ref))


def on_appointment_withdrawn(appointment):
    """The holders learn that the professional cancelled the appointment they proposed."""
    space = appointment.space
    for holder in holders_of(space):
        notify(holder, "appointment_withdrawn",
               link=path("agenda.show", ref=space.ref, entry_id=appointment.id))


def on_professional_invited(user, token):
    """The new professional receives the link to choose a password."""
    notify(user, "pro_invitation", link=path("pro_admin.setup", token=token))


def _tell_other_side(conversation, author):
    space = conversation.space
    if author.id == conversation.professional_id:
        for holder in holders_of(space):
            notify(holder, "new_message", link=path(
                "messages.show", ref=space.ref, conversation_id=conversation.id))
    else:
        notify(conversation.professional, "new_message", link=path(
            "pro_messages.show", ref=space.ref, conversation_id=conversation.id))


def on_conversation_started(conversation, message):
    """The other side of a new conversation is told a message arrived."""
    _tell_other_side(conversation, message.author)


def on_message_posted(message, conversation):
    """The other side is told a message arrived."""
    _tell_other_side(conversation, message.author)


def on_mandate_created(mandate):
    """The holders learn that someone may now act for them."""
    office = mandate.office.name if mandate.office_id else ""
    for person in holders_of(mandate.space):
        notify(person, "mandate_created", office=office, mediator=mandate.holder.display_name,
               until=mandate.ends_at.isoformat())


def on_mandate_ended(mandate, by):
    """Whoever did not end the mandate is told: its holder, the space's holders, or both
    when someone else ended it (a colleague's new mandate, the office manager)."""
    holders = holders_of(mandate.space)
    by_id = by.id if by is not None else None
    if by_id != mandate.holder_id:
        notify(mandate.holder, "mandate_ended", name=mandate.space.display_name)
    if any(person.id == by_id for person in holders):
        return
    office = mandate.office.name if mandate.office_id else ""
    for person in holders:
        notify(person, "mandate_ended", office=office, name=mandate.holder.display_name)


def on_assisted_session(mandate):
    """One notice per assisted session (and not also the daily access notice)."""
    first_notice_today(mandate.space, mandate.holder, ACCESS_EVENTS[mandate.kind])
    office = mandate.office.name if mandate.office_id else ""
    for person in holders_of(mandate.space):
        notify(person, "assisted_session", name=mandate.holder.display_name, office=office,
               capacity=mandate.kind)


def on_emergency_opened(space, professional):
    """Every emergency access is notified, whatever the holder's preferences."""
    for holder in holders_of(space):
        notify(holder, "emergency_access", link=path("history.index", ref=space.ref))


def on_consent_code(consent, code, people):
    """The one-time code of a mandate's consent, to each person who may consent, with
    what it agrees to: the mediator, the office, the rubrics and the duration."""
    mediator, space = consent.requested_by, consent.space
    office = mediator.office.name if mediator.office_id else ""
    terms = dict(office=office, mediator=mediator.display_name,
                 scopes=consent.scopes.split(), duration=consent.duration,
                 replaces=bool(office_mandates_on(mediator, space)))
    for person in people:
        if person.id == space.owner_id:
            notify(person, "mandate_consent_code", channel="email", at_once=True, code=code,
                   **terms)
        else:  # a legal representative: the text names the child
            notify(person, "mandate_consent_code_child", channel="email", at_once=True,
                   code=code, name=space.display_name, **terms)


def on_caregiver_invited(invitation, invitee):
    """The account that proved the invited address is asked."""
    notify(invitee, "caregiver_invitation", name=invitation.invited_by.display_name)


def on_caregiver_answered(invitation, accepted):
    """The inviter learns the answer."""
    notify(invitation.invited_by, "caregiver_answer", name=invitation.invitee.display_name,
           accepted=accepted)


def on_guardian_invited(invitation, invitee):
    """The invited legal representative is asked."""
    notify(invitee, "guardian_invitation", link=path("guardians.invitations"))


def on_guardian_accepted(invitation):
    """The inviter learns that the second representative accepted."""
    notify(invitation.invited_by, "guardian_accepted",
           link=path("guardians.index", ref=invitation.child.ref))


def on_guardian_refused(invitation):
    """The inviter learns that the invitation was refused."""
    notify(invitation.invited_by, "guardian_refused",
           link=path("guardians.index", ref=invitation.child.ref))


def on_mediator_invited(user, office, link):
    """The invited mediator receives the set-up link."""
    notify(user, "mediator_invitation", office=office.name, link=link)


def on_email_change_requested(user, to, code):
    """The code goes to the address to prove (a new one, or the account's first)."""
    event = "email_change_code" if user.active and user.email_verified and to != user.email \
        else "email_verification_code"
    notify(user, event, channel="email", to=to, code=code)


def on_email_address_taken(user, to):
    """The owner of an address someone else asked to use is told (no code)."""
    owner = User.by_email(to)
    if owner is not None:
        notify(owner, "email_address_taken", channel="email")


def on_email_changed(user, old):
    """The old address is told, in case it was not the person."""
    notify(user, "email_changed", to=old)


def on_password_changed(user):
    """The person is told, in case it was not them."""
    notify(user, "password_changed")


def on_export_ready(job):
    """The person who asked for a background export can download it."""
    notify(job.requested_by, "export_ready", link=path("account.export_page", ref=job.space.ref))


def on_password_reset_requested(user, token):
    """The single-use link goes to the account's own address, and by e-mail only."""
    url = current_app.config["BASE_URL"].rstrip("/") + path("recovery.link", token=token)
    notify(user, "password_reset_link", channel="email", url=url)


def on_password_reset(user, assisted):
    """The person is told their password changed, in case it was not them."""
    notify(user, "password_reset")


def on_recovery_code_issued(recovery):
    """The person learns that a mediator handed over a recovery code for their account."""
    notify(recovery.user, "recovery_code_issued", mediator=recovery.mediator_name,
           office=recovery.office_name)


def on_identity_linked(user, provider):
    """The person learns their account now opens with FranceConnect, in case it was not them."""
    notify(user, "franceconnect_linked")


RECEIVERS = (
    (signals.document_added, on_document_added),
    (signals.document_released, on_document_added),
    (signals.care_declared, on_care_declared),
    (signals.appointment_proposed, on_appointment_proposed),
    (signals.appointment_answered, on_appointment_answered),
    (signals.appointment_withdrawn, on_appointment_withdrawn),
    (signals.professional_invited, on_professional_invited),
    (signals.conversation_started, on_conversation_started),
    (signals.message_posted, on_message_posted),
    (signals.mandate_created, on_mandate_created),
    (signals.mandate_ended, on_mandate_ended),
    (signals.assisted_session_started, on_assisted_session),
    (signals.emergency_opened, on_emergency_opened),
    (signals.consent_code_sent, on_consent_code),
    (signals.caregiver_invited, on_caregiver_invited),
    (signals.caregiver_answered, on_caregiver_answered),
    (signals.guardian_invited, on_guardian_invited),
    (signals.guardian_accepted, on_guardian_accepted),
    (signals.guardian_refused, on_guardian_refused),
    (signals.mediator_invited, on_mediator_invited),
    (signals.email_change_requested, on_email_change_requested),
    (signals.email_address_taken, on_email_address_taken),
    (signals.email_changed, on_email_changed),
    (signals.password_changed, on_password_changed),
    (signals.export_ready, on_export_ready),
    (signals.password_reset_requested, on_password_reset_requested),
    (signals.password_reset, on_password_reset),
    (signals.recovery_code_issued, on_recovery_code_issued),
    (signals.identity_linked, on_identity_linked),
)
