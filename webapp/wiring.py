"""What create_app registers, in one place: the blueprints, the menu, the home page's
cards, the settings pages and the signal receivers. Each function returns a fresh table;
create_app stores them on the app, so that two apps built in one process are identical.
"""

from flask_babel import lazy_gettext as _l

from webapp import mail, signals, storage
from webapp.accounts import export
from webapp.assist.actions import end_visit_mandates
from webapp.navigation import Entry
from webapp.notify.handlers import RECEIVERS
from webapp.scopes import HOLDER_SIDE, Scope
from webapp.views import (
    account,
    activation,
    agenda,
    attestations,
    auth,
    caregivers,
    catalogue,
    documents,
    emergency,
    fhir,
    guardians,
    guided,
    health,
    history,
    home,
    language,
    mandates,
    measurements,
    mediator,
    messages,
    my_mandates,
    national_signin,
    notifications,
    pages,
    privacy,
    profile,
    recovery,
    session_warning,
    settings,
    summary,
)
from webapp.views.pro import admin as pro_admin
from webapp.views.pro import messages as pro_messages
from webapp.views.pro import patients as pro_patients
from webapp.views.pro import record as pro_record
from webapp.views.settings import Section
from webapp.views.smart import admin as smart_admin
from webapp.views.smart import apps as smart_apps
from webapp.views.smart import server as smart

EVERYONE = ("citizen", "mediator", "professional", "admin")


def blueprints():
    """Every area's blueprint."""
    return (auth.bp, home.bp, documents.bp, profile.bp, measurements.bp, summary.bp,
            agenda.bp, messages.bp, pro_messages.bp, pro_patients.bp, pro_record.bp,
            pro_admin.bp, catalogue.bp, history.bp, privacy.bp,
            emergency.bp, settings.bp, notifications.bp, account.bp, guardians.bp,
            caregivers.bp, my_mandates.bp, mediator.bp, mandates.bp, attestations.bp,
            guided.bp, activation.bp, recovery.bp, national_signin.bp, language.bp, pages.bp,
            health.bp,
            smart.bp, smart_apps.bp, smart_admin.bp, session_warning.bp, fhir.bp)


def menu():
    """The main menu, in display order."""
    return (
        Entry("home.space", _l("Accueil"), scope=Scope.SPACE_VIEW, capacities=HOLDER_SIDE),
        Entry("home.index", _l("Accueil"), roles=("citizen",), outside_own=True),
        Entry("home.index", _l("Mes usagers"), roles=("mediator",)),
        Entry("home.index", _l("Mes patients"), roles=("professional",)),
        Entry("home.index", _l("Accueil"), roles=("admin",)),
        Entry("documents.index", _l("Documents"), scope=Scope.DOCUMENTS_READ),
        Entry("profile.index", _l("Profil médical"), scope=Scope.PROFILE_READ),
        Entry("agenda.index", _l("Agenda"), scope=Scope.AGENDA_READ),
        Entry("messages.index", _l("Messages"), scope=Scope.MESSAGES_READ,
              capacities=HOLDER_SIDE | {"mediator", "caregiver"}, badge=messages.unread_badge),
        Entry("catalogue.index", _l("Catalogue"), scope=Scope.SPACE_VIEW,
              capacities=HOLDER_SIDE | {"mediator", "caregiver"}),
        Entry("settings.index", _l("Paramètres"), scope=Scope.SETTINGS_READ),
        Entry("guided.index", _l("Mode guidé"), roles=("citizen", "mediator")),
        Entry("mandates.new", _l("Nouveau mandat"), roles=("mediator",)),
        Entry("mediator.office", _l("Ma structure"), roles=("mediator",)),
        Entry("pro_patients.find", _l("Rechercher un patient"), roles=("professional",)),
        Entry("pro_messages.index", _l("Messagerie"), roles=("professional",)),
        Entry("pro_patients.activity", _l("Mon activité"), roles=("professional",)),
        Entry("emergency.index", _l("Accès en urgence"), roles=("professional",)),
        Entry("pro_admin.index", _l("Professionnels"), roles=("admin",)),
        Entry("privacy.reports", _l("Accès signalés"), roles=("admin",)),
        Entry("smart_admin.index", _l("Applications"), roles=("admin",)),
        Entry("smart_apps.software", _l("Logiciels autorisés"), roles=("professional",)),
    )


def home_panels():
    """The cards of a space's home page, each a function(access) -> dict or None."""
    return (account.home_panel, documents.home_panel, profile.home_panel, agenda.home_panel,
            messages.home_panel, caregivers.home_panel, guided.home_panel)


def settings_sections():
    """The settings pages, in display order."""
    return (
        Section("history.index", _l("Historique des accès"),
                _l("Qui a consulté votre espace, quand et pour quoi faire."), Scope.PRIVACY),
        Section("privacy.professionals", _l("Accès des professionnels de santé"),
                _l("Voir les professionnels qui ont accès à votre espace, en bloquer ou en "
                   "débloquer."), Scope.PRIVACY),
        Section("privacy.emergency", _l("Accès en cas d'urgence"),
                _l("Choisir qui peut consulter votre espace en urgence."), Scope.PRIVACY),
        Section("documents.settings", _l("Documents masqués par défaut"),
                _l("Choisir si les nouveaux documents sont masqués aux professionnels de "
                   "santé.")),
        Section("notifications.preferences", _l("Notifications"),
                _l("Choisir les messages que vous recevez, et comment.")),
        Section("smart_apps.index", _l("Applications connectées"),
                _l("Les applications qui ont accès à votre espace, ce qu'elles peuvent faire, "
                   "et comment leur retirer l'accès."), Scope.PRIVACY),
        Section("notifications.feed", _l("Abonnement au calendrier"),
                _l("Voir votre agenda dans le calendrier de votre téléphone."), Scope.PRIVACY),
        Section("guardians.index", _l("Représentants légaux"),
                _l("Inviter le second représentant légal d'un enfant, répondre à une "
                   "invitation."), Scope.PRIVACY),
        Section("my_mandates.index", _l("Mandats et aidants"),
                _l("Voir qui peut agir pour vous (médiateurs France Services, proches aidants) "
                   "et y mettre fin."), Scope.PRIVACY),
        Section("account.index", _l("Mon compte"), _l("Adresse e-mail, mot de passe."),
                Scope.PRIVACY),
        Section("account.export_page", _l("Exporter mes données"),
                _l("Télécharger tout le contenu de l'espace dans une archive ZIP."),
                Scope.PRIVACY),
        Section("account.close", _l("Fermer mon espace"),
                _l("Fermer l'espace santé, et ce que deviennent ses données."), Scope.PRIVACY),
    )


def receivers():
    """(signal, receiver) pairs: notifications, file clean-up, "this visit" mandates."""
    return RECEIVERS + (
        (signals.file_released, storage.release),
        (signals.export_expired, export.delete_archive),
        (signals.signed_out, end_visit_mandates),
        (signals.mail_queued, mail.on_mail_queued),
    )
