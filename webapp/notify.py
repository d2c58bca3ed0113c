"""Queue notifications. They say what kind of event happened, never any medical content.

Call `notify(user, "event_code", link="/path")` from any area; the outbox sender
(webapp.mail, run by `flask send-outbox`) delivers later, so a request never waits for
mail. People choose per event and channel in their settings; the events of MANDATORY
(accesses to their space by someone else) cannot be switched off.
"""

import json
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from webapp.db import database, utcnow
from webapp.models.notifications import AccessNotice, NotificationPreference, Outbox

# Events whose notification the citizen cannot switch off.
MANDATORY = {"professional_access", "mediator_access", "emergency_access", "mandate_created",
             "assisted_session"}

CHANNELS = {"email": _l("Par courriel"), "app": _l("Dans mon espace santé")}


@dataclass(frozen=True)
class Event:
    """What a preference is called, and the subject and text of its notification."""

    label: object
    subject: object
    text: object


EVENTS = {
    "new_document": Event(
        _l("Un nouveau document est ajouté"), _l("Nouveau document dans votre espace santé"),
        _l("Un nouveau document a été ajouté à votre espace santé.")),
    "new_message": Event(
        _l("Un professionnel de santé vous écrit"), _l("Nouveau message dans votre espace santé"),
        _l("Vous avez reçu un nouveau message dans votre messagerie sécurisée.")),
    "appointment_reminder": Event(
        _l("Rappel la veille d'un rendez-vous"), _l("Rappel : vous avez un rendez-vous demain"),
        _l("Vous avez un rendez-vous demain. Les détails sont dans l'agenda de votre espace "
           "santé.")),
    "professional_access": Event(
        _l("Un professionnel de santé accède à l'espace"),
        _l("Accès d'un professionnel à votre espace santé"),
        _l("Un professionnel de santé a accédé à votre espace santé. L'historique des accès "
           "indique qui et quand.")),
    "mediator_access": Event(
        _l("Un aidant ou un médiateur agit dans l'espace"),
        _l("Accès d'un aidant ou d'un médiateur à votre espace santé"),
        _l("Une personne à qui vous avez donné un mandat a agi dans votre espace santé. "
           "L'historique des accès indique qui et quand.")),
    "emergency_access": Event(
        _l("Un accès en urgence (bris de glace)"), _l("Accès en urgence à votre espace santé"),
        _l("Votre espace santé a été consulté en urgence par un professionnel de santé "
           "(bris de glace). L'historique des accès indique qui et quand.")),
    "mandate_created": Event(
        _l("Un mandat est créé"), _l("Nouveau mandat sur votre espace santé"),
        _l("Un mandat a été créé pour agir dans votre espace santé (%(office)s). Vous pouvez "
           "le retirer à tout moment dans les paramètres.")),
    "mandate_ended": Event(
        _l("Un mandat prend fin"), _l("Fin d'un mandat sur votre espace santé"),
        _l("Un mandat sur votre espace santé a pris fin (%(office)s).")),
    "mandate_consent_code": Event(
        _l("Code d'accord pour un mandat"), _l("Votre code pour accepter un mandat"),
        _l("Un médiateur de %(office)s vous demande votre accord pour vous aider dans votre "
           "espace santé. Si vous êtes d'accord, donnez-lui ce code. Sinon, ignorez ce "
           "message.")),
    "mandate_consent_code_child": Event(
        _l("Code d'accord pour un mandat (enfant)"), _l("Votre code pour accepter un mandat"),
        _l("Un médiateur de %(office)s vous demande votre accord, en tant que représentant "
           "légal de %(name)s, pour l'aider dans son espace santé. Si vous êtes d'accord, "
           "donnez-lui ce code. Sinon, ignorez ce message.")),
    "assisted_session": Event(
        _l("Une session accompagnée est ouverte"),
        _l("Session accompagnée dans votre espace santé"),
        _l("%(name)s a commencé à agir pour vous dans votre espace santé (%(office)s).")),
    "caregiver_invitation": Event(
        _l("Invitation à devenir aidant"), _l("Invitation à aider un proche"),
        _l("%(name)s vous invite à l'aider dans son espace santé. Connectez-vous pour "
           "répondre.")),
    "email_change_code": Event(
        _l("Code de changement d'adresse"), _l("Confirmez votre nouvelle adresse e-mail"),
        _l("Pour confirmer cette adresse pour votre espace santé, saisissez ce code sur la "
           "page de changement d'adresse. Si vous n'avez rien demandé, ignorez ce message.")),
    "email_changed": Event(
        _l("Adresse e-mail changée"), _l("L'adresse e-mail de votre compte a changé"),
        _l("L'adresse e-mail de votre compte a été changée. Si ce n'est pas vous, "
           "contactez l'assistance sans attendre.")),
    "password_changed": Event(
        _l("Mot de passe changé"), _l("Le mot de passe de votre compte a changé"),
        _l("Le mot de passe de votre compte a été changé. Si ce n'est pas vous, "
           "contactez l'assistance sans attendre.")),
    "export_ready": Event(
        _l("Export de vos données prêt"), _l("L'export de vos données est prêt"),
        _l("L'export de vos données que vous avez demandé est prêt à être téléchargé.")),
    "guardian_invitation": Event(
        _l("Invitation à devenir représentant légal"),
        _l("Invitation à gérer l'espace santé d'un enfant"),
        _l("Vous êtes invité à devenir représentant légal d'un enfant dans Mon espace santé. "
           "Connectez-vous pour accepter ou refuser.")),
    "guardian_accepted": Event(
        _l("Invitation de représentant légal acceptée"), _l("Votre invitation est acceptée"),
        _l("La personne que vous avez invitée est maintenant représentant légal de l'enfant.")),
    "mediator_invitation": Event(
        _l("Invitation à rejoindre une structure"),
        _l("Votre compte de médiateur France Services"),
        _l("Vous êtes invité à rejoindre %(office)s comme médiateur ou médiatrice. Suivez le "
           "lien pour créer votre mot de passe et configurer la double authentification.")),
    "caregiver_answer": Event(
        _l("Réponse à une invitation d'aidant"), _l("Réponse à votre invitation"),
        _l("%(name)s a répondu à votre invitation à vous aider dans votre espace santé.")),
}
GENERIC = Event(_l("Autre information"), _l("Du nouveau dans votre espace santé"),
                _l("Il y a du nouveau dans votre espace santé."))
# The events a person may switch off; every other event is always sent.
OPTIONAL = ["new_document", "new_message", "appointment_reminder"]
ACCESS_EVENTS = {"professional": "professional_access", "mediator": "mediator_access",
                 "caregiver": "mediator_access"}


def wants(user, event, channel):
    """True when this person receives this event on this channel (mandatory ones always)."""
    if event not in OPTIONAL:
        return True
    pref = NotificationPreference.get_or_none(
        (NotificationPreference.user == user) & (NotificationPreference.event == event)
        & (NotificationPreference.channel == channel))
    return pref is None or pref.enabled


def set_preference(user, event, channel, enabled):
    """Record a choice; mandatory events stay on whatever is asked."""
    if event not in OPTIONAL or channel not in CHANNELS:
        return
    pref, _ = NotificationPreference.get_or_create(user=user, event=event, channel=channel)
    if pref.enabled != enabled:
        pref.enabled = enabled
        pref.save()


def notify(recipient, event, link="", channel=None, **params):
    """Queue a notification on one channel, or on every channel the person wants.

    Returns the outbox row (the e-mail one when several), or None when the person opted
    out. params are plain values the text may show (a one-time code), never medical content.
    """
    if recipient is None:
        return None
    rows = []
    channels = [channel] if channel else [
        c for c in CHANNELS if c == "email" or recipient.role == "citizen"]  # app: citizens
    for ch in channels:
        if wants(recipient, event, ch):
            now = utcnow()
            values = dict(params)
            if ch == "email":  # the address of now: a later change must not redirect it
                values.setdefault("to", recipient.email)
            rows.append(Outbox.create(
                recipient=recipient, template=event, link=link, channel=ch,
                params=json.dumps(values, default=str), created_at=now,
                sent_at=now if ch == "app" else None))  # shown in the space: delivered
    return next((r for r in rows if r.channel == "email"), rows[0] if rows else None)


def new_document(document):
    """Tell the holders that a document was added, unless one of them added it."""
    from webapp.policy import holders_of

    for holder in holders_of(document.space):
        if document.confidential and holder.id != document.space.owner_id:
            continue  # a minor's confidential care is not announced to the parents
        if holder.id != document.author_id:
            own = holder.id == document.space.owner_id  # a guardian sees their own space first
            notify(holder, "new_document",
                   link=f"/documents/{document.id}" if own else "/documents")


def texts(row):
    """(subject, text) of an outbox row, in the current locale."""
    event = EVENTS.get(row.template, GENERIC)
    params = json.loads(row.params or "{}")
    text = (str(event.text) % _Blank(params)).replace(" ()", "")
    if params.get("code"):
        text += "\n\n" + _("Code : %(code)s", code=params["code"])
    return str(event.subject), text


class _Blank(dict):
    """Parameters for a text; a missing one reads as empty rather than failing."""

    def __missing__(self, key):
        return ""


def mark_notified_today(space, actor, event):
    """Record that the holders were already told of this actor's access today (e.g. by
    the notice of an assisted session), so the access hook does not tell them twice."""
    try:
        with database.atomic():
            AccessNotice.create(space=space, actor=actor, event=event, day=utcnow().date())
    except IntegrityError:
        pass


def on_access(grant, scope):
    """Access hook: tell the holders of a space that someone else opened it.

    One notification per actor, space and kind of access per day. An emergency access
    is notified once, when it opens (policy.emergency_grant), whatever is read during
    it, and whatever the holder's preferences: it is not repeated here.
    """
    if grant is None or grant.emergency:
        return
    event = ACCESS_EVENTS.get(grant.capacity)
    if event is None:
        return
    from webapp.policy import holders_of

    try:
        with database.atomic():
            AccessNotice.create(space=grant.space, actor=grant.actor, event=event,
                                day=utcnow().date())
    except IntegrityError:
        return
    for holder in holders_of(grant.space):
        if holder.id != grant.actor.id:
            notify(holder, event, link="/historique")
