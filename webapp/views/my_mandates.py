"""The citizen's own page of mandates and caregivers: see them, end any of them."""

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp import mandates
from webapp.db import utcnow
from webapp.forms import Form
from webapp.guards import on_space
from webapp.models.accounts import User
from webapp.models.assistance import CaregiverInvitation
from webapp.models.mandates import Mandate
from webapp.notify import notify
from webapp.policy import Scope
from webapp.rendering import render
from webapp.views import settings

bp = Blueprint("my_mandates", __name__)


@bp.route("/parametres/mandats")
@on_space(Scope.PRIVACY)
def index():
    """Mandates in force, caregivers, pending invitations, and past mandates."""
    now = utcnow()
    rows = list(Mandate.select(Mandate, User).join(User, on=(Mandate.holder == User.id))
                .where(Mandate.space == g.space).order_by(Mandate.created_at.desc()))
    current = [m for m in rows if m.state(now) in ("active", "pending")]
    past = [m for m in rows if m not in current][:20]
    invitations = list(CaregiverInvitation.pending(now).where(
        CaregiverInvitation.space == g.space).order_by(CaregiverInvitation.created_at))
    caregivers = [m for m in current if m.kind == "caregiver"]
    return render("caregivers/my_mandates.html", title=_("Mandats et aidants"),
                  mediators=[m for m in current if m.kind == "mediator"], caregivers=caregivers,
                  invitations=invitations, past=past, now=now, past_rows=[
                      (m.holder.display_name + (f" – {m.office.name}" if m.office_id else ""),
                       format_datetime(m.revoked_at or m.ends_at, "short"),
                       ", ".join(mandates.scope_labels(m.scope_set))) for m in past],
                  can_invite=len(caregivers) + len(invitations) < mandates.MAX_CAREGIVERS)


def _mandate(reference):
    mandate = Mandate.get_or_none((Mandate.reference == reference) & (Mandate.space == g.space))
    if mandate is None:
        abort(404)
    return mandate


@bp.route("/parametres/mandats/<reference>/fin", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def revoke(reference):
    """Confirm, then end a mandate or a caregiver's help now."""
    mandate = _mandate(reference)
    form = Form()
    if mandate.state() not in ("active", "pending"):
        flash(_("Ce mandat est déjà terminé."), "info")
        return redirect(url_for("my_mandates.index"), 303)
    if form.validate_on_submit():
        mandates.end_mandate(mandate)
        mandates.log(g.space, g.grant.actor, "mandate.revoke", mandate,
                     capacity=g.grant.capacity, target=mandate.reference)
        notify(mandate.holder, "mandate_ended", name=g.space.display_name)
        flash(_("C'est fait : %(name)s ne peut plus agir dans votre espace.",
                name=mandate.holder.display_name), "success")
        return redirect(url_for("my_mandates.index"), 303)
    return render("caregivers/revoke.html", title=_("Mettre fin au mandat de %(name)s",
                                                     name=mandate.holder.display_name),
                  form=form, mandate=mandate)


def init_app(app):
    """Settings page."""
    settings.add_section(60, "my_mandates.index", _l("Mandats et aidants"), _l(
        "Voir qui peut agir pour vous (médiateurs France Services, proches aidants) et y "
        "mettre fin."), scope=Scope.PRIVACY)
