"""The access history in plain words: who acted, in which capacity, and what they did."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.audit import Action
from webapp.scopes import Capacity

GROUPS = {
    "tous": _l("Tous"),
    "moi": _l("Moi et mes proches"),
    "professionnels": _l("Professionnels de santé"),
    "aidants": _l("Médiateurs et aidants"),
    "applications": _l("Applications"),
}
PERIODS = {"7": _l("7 derniers jours"), "30": _l("30 derniers jours"),
           "365": _l("12 derniers mois"), "tout": _l("Depuis l'ouverture")}

ACTIONS = {
    Action.SPACE_VIEW: _l("Ouverture de l'espace"),
    Action.DOCUMENTS_READ: _l("Consultation des documents"),
    Action.DOCUMENTS_ADD: _l("Ajout d'un document"),
    Action.DOCUMENTS_MANAGE: _l("Modification ou suppression d'un document"),
    Action.PROFILE_READ: _l("Consultation du profil médical"),
    Action.PROFILE_WRITE: _l("Modification du profil médical"),
    Action.AGENDA_READ: _l("Consultation de l'agenda"),
    Action.AGENDA_WRITE: _l("Modification de l'agenda"),
    Action.MESSAGES_READ: _l("Lecture des messages"),
    Action.MESSAGES_REPLY: _l("Envoi d'un message"),
    Action.SETTINGS_READ: _l("Consultation des paramètres"),
    Action.SETTINGS_WRITE: _l("Modification d'un paramètre"),
    Action.PRIVACY: _l("Consultation des réglages de confidentialité"),
    Action.EMERGENCY_OPEN: _l("Ouverture d'un accès en urgence"),
    Action.BLOCK: _l("Blocage d'un professionnel"),
    Action.UNBLOCK: _l("Déblocage d'un professionnel"),
    Action.EMERGENCY_SETTINGS: _l("Modification des réglages d'accès en urgence"),
    Action.REPORT: _l("Signalement d'un accès"),
    Action.EXPORT: _l("Export des données de l'espace"),
    Action.CLOSE: _l("Fermeture de l'espace"),
    Action.REOPEN: _l("Réouverture de l'espace"),
    Action.GUARDIAN_INVITE: _l("Invitation d'un représentant légal"),
    Action.GUARDIAN_ACCEPT: _l("Acceptation d'un représentant légal"),
    Action.ACTIVATE: _l("Activation de l'espace"),
    Action.EXPORT_DOWNLOAD: _l("Téléchargement de l'export des données"),
    Action.MANDATE_CREATE: _l("Création d'un mandat"),
    Action.MANDATE_END: _l("Fin d'un mandat"),
    Action.MANDATE_REVOKE: _l("Retrait d'un mandat"),
    Action.CAREGIVER_INVITE: _l("Invitation d'un aidant"),
    Action.CAREGIVER_ACCEPT: _l("Acceptation d'une invitation d'aidant"),
    Action.SESSION_START: _l("Début d'une session accompagnée"),
    Action.SESSION_END: _l("Fin d'une session accompagnée"),
    Action.ATTACHMENT_SAVE: _l("Enregistrement d'une pièce jointe dans les documents"),
    Action.FEED_CREATE: _l("Création d'un abonnement au calendrier"),
    Action.FEED_REVOKE: _l("Suppression d'un abonnement au calendrier"),
    Action.APP_CONNECT: _l("Connexion d'une application"),
    Action.APP_DISCONNECT: _l("Déconnexion d'une application"),
    Action.PASSWORD_RESET: _l("Nouveau mot de passe choisi (mot de passe oublié)"),
    Action.CARE_DECLARE: _l("Déclaration d'une relation de soin"),
    Action.CARE_LOOKUP: _l("Recherche du patient par son identité nationale de santé"),
    Action.DOCUMENTS_RELEASE: _l("Document montré au patient après la consultation d'annonce"),
    Action.AGENDA_PROPOSE: _l("Proposition d'un rendez-vous"),
    Action.AGENDA_ANSWER: _l("Réponse à une proposition de rendez-vous"),
    Action.AGENDA_WITHDRAW: _l("Annulation d'un rendez-vous proposé"),
    Action.RECOVERY_CODE: _l("Code remis en France Services pour retrouver le compte"),
    Action.FRANCECONNECT_LINK: _l("FranceConnect lié au compte"),
}
# Finer wording from the entry's target (its kind and detail).
TARGETS = {
    ("document", "download"): _l("Téléchargement d'un document"),
    ("document", "view"): _l("Consultation d'un document"),
    ("document", "detail"): _l("Consultation d'un document"),
    ("document", "hide"): _l("Document masqué aux professionnels"),
    ("document", "show"): _l("Document de nouveau visible par les professionnels"),
    ("document", "edit"): _l("Modification d'un document"),
    ("document", "delete"): _l("Suppression d'un document"),
    ("catalogue_app", "connect"): _l("Connexion d'une application"),
    ("catalogue_app", "disconnect"): _l("Déconnexion d'une application"),
    ("summary", "pdf"): _l("Téléchargement de la synthèse médicale"),
    ("attachment", "download"): _l("Téléchargement d'une pièce jointe"),
    ("conversation", "start"): _l("Nouvelle conversation"),
    ("conversation", "close"): _l("Clôture d'une conversation"),
    ("conversation", ""): _l("Lecture d'une conversation"),
    ("message", ""): _l("Envoi d'un message"),
    ("appointment", "add"): _l("Ajout d'un rendez-vous"),
    ("appointment", "edit"): _l("Modification d'un rendez-vous"),
    ("appointment", "delete"): _l("Suppression d'un rendez-vous"),
    ("guardian_invitation", "refused"): _l("Refus d'une invitation de représentant légal"),
    ("caregiver_invitation", "refused"): _l("Refus d'une invitation d'aidant"),
    ("caregiver_invitation", "cancel"): _l("Annulation d'une invitation d'aidant"),
    ("mandate", "attestation"): _l("Consultation de l'attestation d'un mandat"),
}
# The kinds of targets of the first format, as they were named in its target string.
OLD_KINDS = {"app": "catalogue_app"}
# Wording from the detail alone (entries without a target; those of the first format
# kept their whole target there).
DETAILS = {
    "history": _l("Consultation de l'historique des accès"),
    "hide_new_documents=1": _l("Nouveaux documents masqués par défaut aux professionnels"),
    "hide_new_documents=0": _l("Nouveaux documents visibles par défaut par les "
                               "professionnels"),
    "summary.pdf": _l("Téléchargement de la synthèse médicale"),
    "history.index": _l("Consultation de l'historique des accès"),
    "switch": _l("Affichage de l'espace"),
    "documents.download": _l("Téléchargement d'un document"),
}
CAPACITIES = {
    Capacity.OWNER: _l("Titulaire"), Capacity.GUARDIAN: _l("Représentant légal"),
    Capacity.PROFESSIONAL: _l("Professionnel de santé"),
    Capacity.MEDIATOR: _l("Médiateur France Services"), Capacity.CAREGIVER: _l("Aidant"),
    Capacity.APP: _l("Application"), Capacity.ADMIN: _l("Administrateur"),
    Capacity.CITIZEN: _l("Usager"), Capacity.SYSTEM: _l("Le service lui-même"),
    "anonymous": _l("Personne non connectée"),  # rows written before capacities were checked
}


def describe(entry):
    """What happened, as a short phrase a person understands, from the entry's action,
    target kind and detail (for a row of the first format, from its old target string
    as split into these columns: "app:suivi:disconnect" names the app in its detail)."""
    kind, detail = entry.target_kind or "", entry.detail or ""
    if (entry.format or 1) < 2 and kind:
        kind, detail = OLD_KINDS.get(kind, kind), detail.rsplit(":", 1)[-1]
    words = (TARGETS.get((kind, detail)) if kind else None) or DETAILS.get(detail)
    if words:
        return str(words)
    return str(ACTIONS.get(entry.action, _("Action sur l'espace (%(code)s)", code=entry.action)))


def who(entry):
    """Who acted: 'Vous', or a name with its role, office or app."""
    if entry.app_name:
        return _("Application %(name)s", name=entry.app_name)
    if current_user and current_user.is_authenticated and entry.actor_id == current_user.id:
        return _("Vous")
    role = str(CAPACITIES.get(entry.capacity, entry.capacity))
    if entry.office_name:
        return _("%(name)s, %(role)s (%(office)s)", name=entry.actor_name or "-",
                 role=role, office=entry.office_name)
    return _("%(name)s, %(role)s", name=entry.actor_name or "-", role=role)
