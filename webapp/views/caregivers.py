"""Family caregivers: the citizen invites up to 3 relatives; the invitee accepts or
refuses; either side ends the help at any time."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from webapp import policy
from webapp.assist import actions, caregivers, mandates
from webapp.assist.forms import CaregiverInviteForm
from webapp.audit import Action
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.models.assistance import CaregiverInvitation
from webapp.models.mandates import Mandate
from webapp.rendering import render
from webapp.scopes import Capacity, Scope

bp = Blueprint("caregivers", __name__)


@bp.route(SPACE + "/parametres/aidants/inviter", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def invite():
    """Invite a relative, by e-mail address, to help with this space."""
    form = CaregiverInviteForm(choices=mandates.CAREGIVER_CHOICES)
    if request.method == "GET":
        form.scopes.data = [str(s) for s in mandates.CAREGIVER_CHOICES]
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        try:  # the same answer whether the address has an account or not
            caregivers.invite(g.access, email, form.scopes.data)
        except caregivers.LimitReached as limit:
            form.email.errors.append(str(limit))
        else:
            flash(_("Invitation envoyée à %(email)s. Elle reste valable 30 jours : votre "
                    "proche y répond depuis son propre espace santé, avec cette adresse.",
                    email=email), "success")
            return redirect(url_for("my_mandates.index"), 303)
    return render("caregivers/invite.html", title=_("Inviter un proche aidant"), form=form)


@bp.route(SPACE + "/parametres/aidants/invitations/<int:invitation_id>/annuler", methods=["POST"])
@on_space(Scope.PRIVACY)
def cancel(invitation_id):
    """Withdraw an invitation that has not been answered."""
    invitation = g.access.get(CaregiverInvitation, invitation_id)
    if invitation.state() != "pending":
        abort(404)
    caregivers.cancel(g.access, invitation)
    flash(_("L'invitation envoyée à %(email)s est annulée.", email=invitation.email),
          "success")
    return redirect(url_for("my_mandates.index"), 303)


@bp.route("/aidant")
@roles("citizen")
def index():
    """The invitations I received and the people I help."""
    user = signed_in_user()
    return render("caregivers/index.html", title=_("Les proches que j'aide"),
                  invitations=list(policy.invitations_to_help(user)),
                  helped=list(policy.helped_by(user)), max_helped=mandates.MAX_HELPED)


@bp.route("/aidant/invitations/<int:invitation_id>/reponse", methods=["POST"])
@roles("citizen")
def answer(invitation_id):
    """Accept or refuse an invitation addressed to me."""
    user = signed_in_user()
    invitation = policy.invitations_to_help(user).where(
        CaregiverInvitation.id == invitation_id).first()
    if invitation is None:
        abort(404)
    name = invitation.space.display_name
    if request.form.get("answer") == "accept":
        try:
            accepted = caregivers.accept(invitation, user)
        except caregivers.LimitReached as limit:
            flash(str(limit), "error")
            return redirect(url_for("caregivers.index"), 303)
        if accepted is None:  # answered meanwhile (the form sent twice)
            abort(404)
        flash(_("Vous aidez maintenant %(name)s.", name=name), "success")
    else:
        caregivers.refuse(invitation, user)
        flash(_("Vous avez refusé d'aider %(name)s.", name=name), "info")
    return redirect(url_for("caregivers.index"), 303)


@bp.route("/aidant/<reference>/arreter", methods=["POST"])
@roles("citizen")
def stop(reference):
    """Stop helping someone."""
    user = signed_in_user()
    mandate = policy.helped_by(user).where(Mandate.reference == reference).first()
    if mandate is None:
        abort(404)
    actions.end_mandate(mandate, user, Action.MANDATE_END)
    flash(_("Vous n'aidez plus %(name)s.", name=mandate.space.display_name), "success")
    return redirect(url_for("caregivers.index"), 303)


def home_panel(access):
    """Home card of the owner: invitations to help someone, and the people one helps."""
    if access.capacity != Capacity.OWNER:
        return None
    user = access.actor
    waiting, helping = policy.invited_or_helping(user)
    if not waiting and not helping:
        return None
    text = _("Vous avez une invitation à aider un proche.") if waiting else _(
        "Agir pour un proche que vous aidez.")
    return dict(title=_("Proches aidés"), href=url_for("caregivers.index"), text=text)
