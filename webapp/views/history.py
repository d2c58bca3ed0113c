"""Access history: every entry of the space's access log in plain language, with filters
by who and by period, and a way to report an access one did not consent to."""

import datetime as dt

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField

from webapp.db import utcnow
from webapp.forms import Form, max_length
from webapp.guards import on_space
from webapp.models.audit import AccessLog
from webapp.models.privacy import AccessReport
from webapp.policy import Scope, record
from webapp.rendering import render

bp = Blueprint("history", __name__)
PER_PAGE = 20

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
    "space.view": _l("Ouverture de l'espace"),
    "documents.read": _l("Consultation des documents"),
    "documents.add": _l("Ajout d'un document"),
    "documents.manage": _l("Modification ou suppression d'un document"),
    "profile.read": _l("Consultation du profil médical"),
    "profile.write": _l("Modification du profil médical"),
    "agenda.read": _l("Consultation de l'agenda"),
    "agenda.write": _l("Modification de l'agenda"),
    "messages.read": _l("Lecture des messages"),
    "messages.reply": _l("Envoi d'un message"),
    "settings.read": _l("Consultation des paramètres"),
    "settings.write": _l("Modification d'un paramètre"),
    "privacy": _l("Consultation des réglages de confidentialité"),
    "emergency.open": _l("Ouverture d'un accès en urgence"),
    "privacy.block": _l("Blocage d'un professionnel"),
    "privacy.unblock": _l("Déblocage d'un professionnel"),
    "privacy.emergency": _l("Modification des réglages d'accès en urgence"),
    "privacy.report": _l("Signalement d'un accès"),
    "account.export": _l("Export des données de l'espace"),
    "account.close": _l("Fermeture de l'espace"),
    "account.reopen": _l("Réouverture de l'espace"),
    "guardians.invite": _l("Invitation d'un représentant légal"),
    "guardians.accept": _l("Acceptation d'un représentant légal"),
    "space.activate": _l("Activation de l'espace"),
    "account.export_download": _l("Téléchargement de l'export des données"),
    "mandate.create": _l("Création d'un mandat"),
    "mandate.end": _l("Fin d'un mandat"),
    "mandate.revoke": _l("Retrait d'un mandat"),
    "caregiver.invite": _l("Invitation d'un aidant"),
    "caregiver.accept": _l("Acceptation d'une invitation d'aidant"),
    "assisted_session.start": _l("Début d'une session accompagnée"),
    "assisted_session.end": _l("Fin d'une session accompagnée"),
    "messages.attachment": _l("Enregistrement d'une pièce jointe dans les documents"),
    "agenda.feed.create": _l("Création d'un abonnement au calendrier"),
    "agenda.feed.revoke": _l("Suppression d'un abonnement au calendrier"),
}
# Finer wording from the log's target ("document:12:download", "app:x:connect"…).
TARGETS = {
    ("document", "download"): _l("Téléchargement d'un document"),
    ("document", "view"): _l("Consultation d'un document"),
    ("document", "detail"): _l("Consultation d'un document"),
    ("document", "hide"): _l("Document masqué aux professionnels"),
    ("document", "show"): _l("Document de nouveau visible par les professionnels"),
    ("document", "edit"): _l("Modification d'un document"),
    ("document", "delete"): _l("Suppression d'un document"),
    ("app", "connect"): _l("Connexion d'une application"),
    ("app", "disconnect"): _l("Déconnexion d'une application"),
    ("summary", "pdf"): _l("Téléchargement de la synthèse médicale"),
}
ENDPOINTS = {
    "history.index": _l("Consultation de l'historique des accès"),
    "switch": _l("Affichage de l'espace"),
    "documents.download": _l("Téléchargement d'un document"),
}
CAPACITIES = {
    "owner": _l("Titulaire"), "guardian": _l("Représentant légal"),
    "professional": _l("Professionnel de santé"), "mediator": _l("Médiateur France Services"),
    "caregiver": _l("Aidant"), "app": _l("Application"), "admin": _l("Administrateur"),
    "citizen": _l("Usager"), "anonymous": _l("Personne non connectée"),
}


def describe(entry):
    """What happened, as a short phrase a person understands."""
    target = entry.target or ""
    parts = target.split(":")
    words = TARGETS.get((parts[0], parts[-1])) if len(parts) > 1 else ENDPOINTS.get(target)
    if words:
        return str(words)
    return str(ACTIONS.get(entry.action, _("Action sur l'espace (%(code)s)", code=entry.action)))


def who(entry):
    """Who acted: 'Vous', or a name with its role, office or app."""
    if entry.app_name:
        return _("Application %(name)s", name=entry.app_name)
    if current_user.is_authenticated and entry.actor_id == current_user.id:
        return _("Vous")
    role = str(CAPACITIES.get(entry.capacity, entry.capacity))
    if entry.office_name:
        return _("%(name)s, %(role)s (%(office)s)", name=entry.actor_name or "-",
                 role=role, office=entry.office_name)
    return _("%(name)s, %(role)s", name=entry.actor_name or "-", role=role)


def _filtered(space, group, period, now):
    query = AccessLog.select().where(AccessLog.space == space)
    if group == "moi":
        query = query.where(AccessLog.capacity.in_(("owner", "guardian"))
                            & (AccessLog.app_name == ""))
    elif group == "professionnels":
        query = query.where(AccessLog.capacity == "professional")
    elif group == "aidants":
        query = query.where(AccessLog.capacity.in_(("mediator", "caregiver")))
    elif group == "applications":
        query = query.where((AccessLog.app_name != "") | (AccessLog.capacity == "app"))
    if period != "tout":
        query = query.where(AccessLog.created_at >= now - dt.timedelta(days=int(period)))
    return query


@bp.route("/historique")
@on_space(Scope.PRIVACY)
def index():
    """The access history of the current space, filtered and paginated."""
    group = request.args.get("qui", "tous")
    group = group if group in GROUPS else "tous"
    period = request.args.get("periode", "tout")
    period = period if period in PERIODS else "tout"
    query = _filtered(g.space, group, period, utcnow())
    total = query.count()
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    entries = list(query.order_by(AccessLog.sequence.desc()).paginate(page, PER_PAGE))

    def page_url(n, qui=group):
        return url_for("history.index", qui=qui, periode=period, page=n)

    return render("history/index.html", partial="history/_results.html",
                  title=_("Historique des accès"), entries=entries, total=total, page_number=page,
                  pages=pages, group=group, period=period, groups=GROUPS, periods=PERIODS,
                  page_url=page_url, describe=describe, who=who)


class ReportForm(Form):
    message = TextAreaField(_l("Ce que vous voulez nous dire (facultatif)"), validators=[
        max_length(2000, _l("Votre message doit faire 2 000 caractères au plus."))])


@bp.route("/historique/<int:entry_id>/signaler", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def report(entry_id):
    """Report an access the holder did not consent to; the admins review it."""
    entry = AccessLog.get_or_none((AccessLog.id == entry_id) & (AccessLog.space == g.space))
    if entry is None:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        summary = f"{entry.created_at:%Y-%m-%d %H:%M} {entry.actor_name} ({entry.capacity}) " \
                  f"{entry.action} {entry.target}"
        AccessReport.create(space=g.space, reporter=current_user.id, entry=entry,
                            entry_summary=summary[:250], message=form.message.data or "")
        record(g.grant, g.space, "privacy.report", f"log:{entry.sequence}")
        flash(_("Votre signalement a été transmis à l'équipe de Mon espace santé, qui "
                "l'examinera."), "success")
        return redirect(url_for("history.index"), 303)
    return render("history/report.html", title=_("Signaler un accès"), form=form,
                  entry=entry, describe=describe, who=who)


def init_app(app):
    """Settings page entry."""
    from webapp.views import settings

    settings.add_section(10, "history.index", _l("Historique des accès"),
                         _l("Qui a consulté votre espace, quand et pour quoi faire."),
                         Scope.PRIVACY)
