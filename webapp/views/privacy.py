"""Professionals' access to a space (block, unblock), the emergency switches, and the
admins' list of reported accesses."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from peewee import fn

from webapp import policy
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.models.accounts import User
from webapp.models.audit import AccessLog
from webapp.models.privacy import EmergencySettings
from webapp.models.spaces import Block, CareRelation
from webapp.privacy import actions
from webapp.privacy.forms import EmergencySwitchesForm
from webapp.rendering import is_fragment_request, render
from webapp.scopes import Capacity, Scope

bp = Blueprint("privacy", __name__)


def professionals_of(access):
    """Professionals linked to the space (care team, access log, blocks), with their last
    access and whether they are blocked: a list of (user, last access or None, blocked)."""
    latest = fn.MAX(AccessLog.created_at).python_value(AccessLog.created_at.python_value)
    last = dict(access.query(AccessLog, AccessLog.actor, latest)
                .where((AccessLog.capacity == Capacity.PROFESSIONAL)
                       & AccessLog.actor.is_null(False))
                .group_by(AccessLog.actor).tuples())
    ids = set(last)
    ids |= {r.professional_id for r in access.query(CareRelation)}
    blocked = {b.professional_id for b in access.query(Block)}
    ids |= blocked
    people = User.select().where(User.id.in_(list(ids)) & (User.role == "professional")) \
        .order_by(User.last_name, User.first_name) if ids else []
    return [(p, last.get(p.id), p.id in blocked) for p in people]


@bp.route(SPACE + "/confidentialite/professionnels")
@on_space(Scope.PRIVACY)
def professionals():
    """Professionals who follow or accessed the space, with block and unblock."""
    return render("privacy/professionals.html", partial="privacy/_professionals.html",
                  title=_("Accès des professionnels de santé"),
                  people=professionals_of(g.access), announce_text="",
                  changed_id=request.args.get("focus", type=int))


def _professional(user_id):
    found = next((p for p, _last, _b in professionals_of(g.access) if p.id == user_id), None)
    if found is None:
        abort(404)
    return found


def _after_change(message, changed_id):
    if is_fragment_request():
        return render("privacy/_professionals.html", title=_("Accès des professionnels de santé"),
                      people=professionals_of(g.access), announce_text=message,
                      changed_id=changed_id)
    flash(message, "success")
    return redirect(url_for("privacy.professionals"), 303)


@bp.route(SPACE + "/confidentialite/professionnels/<int:user_id>/bloquer",
          methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def block(user_id):
    """Say what blocking changes and ask to confirm (in place with htmx); then block: the
    professional can no longer reach the space."""
    pro = _professional(user_id)
    if request.method == "GET":
        return render("privacy/block_confirm.html", partial="privacy/_block_confirm.html",
                      title=_("Bloquer %(name)s ?", name=pro.display_name), pro=pro)
    actions.block(g.access, pro)
    return _after_change(_("%(name)s est bloqué : cette personne n'a plus accès à votre espace.",
                           name=pro.display_name), pro.id)


@bp.route(SPACE + "/confidentialite/professionnels/<int:user_id>/debloquer", methods=["POST"])
@on_space(Scope.PRIVACY)
def unblock(user_id):
    """Lift a block."""
    pro = _professional(user_id)
    actions.unblock(g.access, pro)
    return _after_change(_("%(name)s est débloqué.", name=pro.display_name), pro.id)


@bp.route(SPACE + "/confidentialite/urgence", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def emergency():
    """The three emergency switches."""
    settings = g.access.query(EmergencySettings).first() \
        or EmergencySettings(space=g.access.space)
    form = EmergencySwitchesForm(obj=settings)
    if form.validate_on_submit():
        actions.set_emergency_switches(g.access, form.ems_allowed.data,
                                       form.break_glass_allowed.data, form.hidden_readable.data)
        flash(_("Vos choix pour l'accès en urgence sont enregistrés."), "success")
        return redirect(url_for("privacy.emergency"), 303)
    return render("privacy/emergency.html", title=_("Accès en cas d'urgence"), form=form)


@bp.route("/admin/signalements")
@roles("admin")
def reports():
    """Reports of accesses the holders did not consent to, newest first."""
    rows = policy.access_reports(signed_in_user())
    return render("privacy/reports.html", title=_("Accès signalés par les usagers"), rows=rows)
