"""What happened, announced after commit. Actions send these; side effects (notifications,
file clean-up, ending "this visit" mandates) subscribe in create_app.

Each signal's sender is the row it is about; keyword arguments carry the rest.
"""

from blinker import Namespace

_signals = Namespace()

document_added = _signals.signal("document-added")  # sender: document
file_released = _signals.signal("file-released")  # sender: sha256 no longer used by a row
conversation_started = _signals.signal("conversation-started")  # sender: conversation
message_posted = _signals.signal("message-posted")  # sender: message; conversation=
mandate_created = _signals.signal("mandate-created")  # sender: mandate
mandate_ended = _signals.signal("mandate-ended")  # sender: mandate; by=
assisted_session_started = _signals.signal("assisted-session-started")  # sender: mandate
emergency_opened = _signals.signal("emergency-opened")  # sender: space; professional=
caregiver_invited = _signals.signal("caregiver-invited")  # sender: invitation; invitee=
caregiver_answered = _signals.signal("caregiver-answered")  # sender: invitation; accepted=
guardian_invited = _signals.signal("guardian-invited")  # sender: invitation; invitee=
guardian_accepted = _signals.signal("guardian-accepted")  # sender: invitation
guardian_refused = _signals.signal("guardian-refused")  # sender: invitation
mediator_invited = _signals.signal("mediator-invited")  # sender: user; office=, link=
email_change_requested = _signals.signal("email-change-requested")  # sender: user; to=, code=
email_changed = _signals.signal("email-changed")  # sender: user; old=
email_address_taken = _signals.signal("email-address-taken")  # sender: user asking; to=
password_changed = _signals.signal("password-changed")  # sender: user
export_ready = _signals.signal("export-ready")  # sender: export job
signed_out = _signals.signal("signed-out")  # sender: user
consent_code_sent = _signals.signal("consent-code-sent")  # sender: consent; code=, people=
professional_invited = _signals.signal("professional-invited")  # sender: user; token=
care_declared = _signals.signal("care-declared")  # sender: care relation
document_released = _signals.signal("document-released")  # sender: document now shown
appointment_proposed = _signals.signal("appointment-proposed")  # sender: appointment
appointment_answered = _signals.signal("appointment-answered")  # sender: appointment
appointment_withdrawn = _signals.signal("appointment-withdrawn")  # sender: appointment
password_reset_requested = _signals.signal("password-reset-requested")  # sender: user; token=
password_reset = _signals.signal("password-reset")  # sender: user; assisted=
recovery_code_issued = _signals.signal("recovery-code-issued")  # sender: assisted recovery
identity_linked = _signals.signal("identity-linked")  # sender: user; provider=
mail_queued = _signals.signal("mail-queued")  # sender: outbox row to send at once
professional_blocked = _signals.signal("professional-blocked")  # sender: block; space=
professional_unblocked = _signals.signal("professional-unblocked")  # sender: space; professional=
space_activated = _signals.signal("space-activated")  # sender: space
space_closed = _signals.signal("space-closed")  # sender: space; by=
space_reopened = _signals.signal("space-reopened")  # sender: space
space_deleted = _signals.signal("space-deleted")  # sender: space id; reason=
document_visibility_changed = _signals.signal("document-visibility-changed")  # sender: document
member_deactivated = _signals.signal("member-deactivated")  # sender: user; office=, by=
member_reactivated = _signals.signal("member-reactivated")  # sender: user; office=, by=
member_set_up = _signals.signal("member-set-up")  # sender: user (password and TOTP chosen)
export_expired = _signals.signal("export-expired")  # sender: export job; path= (archive)
