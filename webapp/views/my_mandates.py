"""The citizen's own page of mandates and caregivers: see them, end any of them."""

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask_babel import gettext as _

from webapp.assist import actions, mandates
from webapp.audit import Action
from webapp.db import utcnow
from webapp.forms import Form
from webapp.guards import SPACE, on_space
from webapp.i18n import show_datetime
from webapp.models.accounts import User
from webapp.models.assistance import CaregiverInvitation
from webapp.models.mandates import Mandate
from webapp.rendering import render
from webapp.scopes import Capacity, Scope

bp = Blueprint("my_mandates", __name__)


@bp.route(SPACE + "/parametres/mandats")
@on_space(Scope.PRIVACY)
def index():
    """Mandates in force, caregivers, pending invitations, and past mandates."""
    now = utcnow()
    rows = list(g.access.query(Mandate, Mandate, User)
                .join(User, on=(Mandate.holder == User.id))
                .order_by(Mandate.created_at.desc()))
    current = [m for m in rows if m.state(now) in ("active", "pending")]
    past = [m for m in rows if m not in current][:20]
    invitations = list(g.access.query(CaregiverInvitation).where(
        CaregiverInvitation.is_pending(now)).order_by(CaregiverInvitation.created_at))
    caregivers = [m for m in current if m.kind == Capacity.CAREGIVER]
    return render("caregivers/my_mandates.html", title=_("Mandats et aidants"),
                  mediators=[m for m in current if m.kind == Capacity.MEDIATOR],
                  caregivers=caregivers,
                  invitations=invitations, past=past, now=now, past_rows=[
                      (m.holder.display_name + (f" – {m.office.name}" if m.office_id else ""),
                       show_datetime(m.revoked_at or m.ends_at),
                       ", ".join(mandates.scope_labels(m.scope_set))) for m in past],
                  can_invite=len(caregivers) + len(invitations) < mandates.MAX_CAREGIVERS)


def _mandate(reference):
    mandate = g.access.query(Mandate).where(Mandate.reference == reference).first()
    if mandate is None:
        abort(404)
    return mandate


@bp.route(SPACE + "/parametres/mandats/<reference>/fin", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def revoke(reference):
    """Confirm, then end a mandate or a caregiver's help now."""
    mandate = _mandate(reference)
    form = Form()
    if mandate.state() not in ("active", "pending"):
        flash(_("Ce mandat est déjà terminé."), "info")
        return redirect(url_for("my_mandates.index"), 303)
    if form.validate_on_submit():
        actions.end_mandate(mandate, g.access.actor, Action.MANDATE_REVOKE, access=g.access)
        flash(_("C'est fait : %(name)s ne peut plus agir dans votre espace.",
                name=mandate.holder.display_name), "success")
        return redirect(url_for("my_mandates.index"), 303)
    return render("caregivers/revoke.html", title=_("Mettre fin au mandat de %(name)s",
                                                     name=mandate.holder.display_name),
                  form=form, mandate=mandate)
