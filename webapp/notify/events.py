"""The events people are notified of: each one's label, subject and text (never any
medical content), which can be switched off, and how a queued row reads."""

import json
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.assist.mandates import SHORT_DURATION_LABELS, scope_labels
from webapp.i18n import elide_here

# Events whose notification the citizen cannot switch off.
MANDATORY = {"professional_access", "mediator_access", "emergency_access", "mandate_created",
             "assisted_session", "care_relation"}

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
        _l("%(mediator)s, de %(office)s, vous demande votre accord pour agir dans votre "
           "espace santé pendant %(duration)s, pour ces rubriques seulement : %(scopes)s. "
           "Si vous êtes d'accord, donnez-lui ce code. Sinon, ignorez ce message.")),
    "mandate_consent_code_child": Event(
        _l("Code d'accord pour un mandat (enfant)"), _l("Votre code pour accepter un mandat"),
        _l("%(mediator)s, de %(office)s, vous demande votre accord, en tant que représentant "
           "légal de %(name)s, pour agir dans son espace santé pendant %(duration)s, pour "
           "ces rubriques seulement : %(scopes)s. Si vous êtes d'accord, donnez-lui ce "
           "code. Sinon, ignorez ce message.")),
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
    "email_verification_code": Event(
        _l("Code de confirmation d'adresse"), _l("Confirmez votre adresse e-mail"),
        _l("Pour confirmer que cette adresse est la vôtre et l'utiliser pour votre espace "
           "santé, saisissez ce code sur la page où vous l'avez demandé. Il est valable "
           "30 minutes. Si vous n'avez rien demandé, ignorez ce message.")),
    "email_address_taken": Event(
        _l("Adresse déjà utilisée"), _l("Cette adresse est déjà celle d'un compte"),
        _l("Quelqu'un a demandé à utiliser cette adresse e-mail pour un compte de Mon espace "
           "santé, mais elle est déjà celle de votre compte : aucun changement n'est fait. "
           "Si c'était vous, connectez-vous avec cette adresse.")),
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
    "guardian_refused": Event(
        _l("Invitation de représentant légal refusée"), _l("Votre invitation est refusée"),
        _l("La personne que vous avez invitée à devenir représentant légal de l'enfant a "
           "refusé. Vous pouvez inviter une autre personne.")),
    "mediator_invitation": Event(
        _l("Invitation à rejoindre une structure"),
        _l("Votre compte de médiateur France Services"),
        _l("Vous êtes invité à rejoindre %(office)s comme médiateur ou médiatrice. Suivez le "
           "lien pour créer votre mot de passe et configurer la double authentification.")),
    "caregiver_answer": Event(
        _l("Réponse à une invitation d'aidant"), _l("Réponse à votre invitation"),
        _l("%(name)s a répondu à votre invitation à vous aider dans votre espace santé.")),
    "care_relation": Event(
        _l("Un professionnel de santé déclare vous suivre"),
        _l("Un professionnel de santé vous suit"),
        _l("Un professionnel de santé a déclaré vous suivre, en votre présence. Vous le "
           "retrouvez dans les paramètres de votre espace santé (Accès des professionnels de "
           "santé), où vous pouvez le bloquer.")),
    "appointment_proposed": Event(
        _l("Un professionnel de santé vous propose un rendez-vous"),
        _l("Proposition de rendez-vous dans votre espace santé"),
        _l("Un professionnel de santé vous propose un rendez-vous. Acceptez-le ou refusez-le "
           "dans l'agenda de votre espace santé.")),
    "appointment_answer": Event(
        _l("Réponse à une proposition de rendez-vous"),
        _l("Réponse à votre proposition de rendez-vous"),
        _l("Un patient a répondu à votre proposition de rendez-vous. Sa réponse est sur sa "
           "page patient.")),
    "appointment_withdrawn": Event(
        _l("Un rendez-vous proposé est annulé"),
        _l("Rendez-vous annulé dans votre espace santé"),
        _l("Le professionnel de santé qui vous avait proposé un rendez-vous l'a annulé. "
           "Vous le retrouvez dans l'agenda de votre espace santé.")),
    "pro_invitation": Event(
        _l("Création de votre compte professionnel"),
        _l("Votre compte professionnel Mon espace santé"),
        _l("Un compte professionnel a été créé pour vous dans Mon espace santé. Suivez le lien "
           "pour choisir votre mot de passe ; il est valable 7 jours.")),
    "password_reset_link": Event(
        _l("Lien pour choisir un nouveau mot de passe"), _l("Choisir un nouveau mot de passe"),
        _l("Vous avez demandé à choisir un nouveau mot de passe pour votre espace santé. "
           "Ouvrez ce lien dans les 30 minutes : %(url)s\n\nIl ne fonctionne qu'une fois, et "
           "votre date de naissance vous sera demandée. Si vous n'avez rien demandé, ignorez "
           "ce message : votre mot de passe ne change pas.")),
    "password_reset": Event(
        _l("Nouveau mot de passe choisi"), _l("Le mot de passe de votre compte a changé"),
        _l("Un nouveau mot de passe a été choisi pour votre compte, et toutes les sessions "
           "ouvertes ont été fermées. Si ce n'est pas vous, appelez l'assistance au 3422 sans "
           "attendre.")),
    "recovery_code_issued": Event(
        _l("Code remis en France Services pour votre compte"),
        _l("Un code pour votre compte a été remis en France Services"),
        _l("%(mediator)s (%(office)s) vous a remis un code pour choisir un nouveau mot de "
           "passe, après avoir vérifié votre pièce d'identité. Si vous n'étiez pas à ce "
           "rendez-vous, appelez l'assistance au 3422 sans attendre.")),
}
EVENTS["franceconnect_linked"] = Event(
    _l("FranceConnect lié à votre compte"), _l("FranceConnect est lié à votre compte"),
    _l("FranceConnect a été lié à votre compte Mon espace santé : vous pouvez maintenant "
       "vous identifier avec FranceConnect. Si ce n'est pas vous, appelez l'assistance au "
       "3422 sans attendre."))
GENERIC = Event(_l("Autre information"), _l("Du nouveau dans votre espace santé"),
                _l("Il y a du nouveau dans votre espace santé."))
# The events a person may switch off; every other event is always sent.
OPTIONAL = ["new_document", "new_message", "appointment_reminder"]
ACCESS_EVENTS = {"professional": "professional_access", "mediator": "mediator_access",
                 "caregiver": "mediator_access"}


def texts(row):
    """(subject, text) of an outbox row, in the current locale."""
    event = EVENTS.get(row.template, GENERIC)
    params = json.loads(row.params or "{}")
    if isinstance(params.get("scopes"), list):  # codes, said in the reader's language
        params["scopes"] = ", ".join(scope_labels(params["scopes"]))
    if params.get("duration") in SHORT_DURATION_LABELS:
        params["duration"] = str(SHORT_DURATION_LABELS[params["duration"]])
    text = (elide_here(str(event.text), params) % _Blank(params)).replace(" ()", "")
    if params.get("replaces"):  # as the wizard's screen says
        text += "\n\n" + _("Ce mandat remplacera celui qui est en cours avec cette structure.")
    if params.get("code"):
        text += "\n\n" + _("Code : %(code)s", code=params["code"])
    return str(event.subject), text


class _Blank(dict):
    """Parameters for a text; a missing one reads as empty rather than failing."""

    def __missing__(self, key):
        return ""
