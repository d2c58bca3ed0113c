"""A minor's legal representatives: invite a second one, who accepts or refuses from an
active account. Their rights end on the child's 18th birthday (see Guardianship)."""

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField

from webapp import policy
from webapp.accounts import guardians
from webapp.db import utcnow
from webapp.forms import Form, email_address, required
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.models.privacy import GuardianInvitation
from webapp.rendering import render
from webapp.scopes import Scope

bp = Blueprint("guardians", __name__)


class InviteForm(Form):
    email = EmailField(_l("Adresse e-mail de l'autre représentant légal"), validators=[
        required(_l("Saisissez l'adresse e-mail de l'autre représentant légal.")),
        email_address()])


def _page(form):
    manages = guardians.manages(g.access)
    pending = list(g.access.query(GuardianInvitation).where(
        GuardianInvitation.accepted_at.is_null()
        & GuardianInvitation.refused_at.is_null()
        & (GuardianInvitation.expires_at > utcnow()))) if manages else []
    people = guardians.guardians_of(g.access.space) if manages else []
    return render("guardians/index.html", title=_("Représentants légaux"), form=form,
                  manages=manages, guardians=people, pending=pending,
                  can_invite=manages and len(people) + len(pending) < guardians.MAX_GUARDIANS,
                  received=policy.guardian_invitations_to(g.access.user).count())


@bp.route(SPACE + "/representants", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def index():
    """The child's legal representatives, and inviting the second one."""
    form = InviteForm()
    if form.is_submitted() and not guardians.manages(g.access):
        abort(404)
    if not form.validate_on_submit():
        return _page(form)
    email = form.email.data.strip().lower()
    if email == g.access.user.email:
        form.email.errors.append(_("Saisissez l'adresse de l'autre représentant, pas la "
                                   "vôtre."))
        return _page(form)
    if len(guardians.guardians_of(g.access.space)) >= guardians.MAX_GUARDIANS:
        form.email.errors.append(_("Cet enfant a déjà deux représentants légaux."))
        return _page(form)
    guardians.invite(g.access, email)
    flash(_("Invitation envoyée. La personne doit l'accepter depuis son propre compte "
            "Mon espace santé, avec l'adresse %(email)s.", email=email), "success")
    return redirect(url_for("guardians.index"), 303)


def _open_invitation(invitation_id):
    invitation = policy.guardian_invitations_to(signed_in_user()).where(
        GuardianInvitation.id == invitation_id).first()
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/representants/invitations")
@roles("citizen")
def invitations():
    """Invitations received to become a child's second legal representative."""
    rows = list(policy.guardian_invitations_to(signed_in_user()))
    return render("guardians/invitations.html", title=_("Invitations reçues"), rows=rows)


@bp.route("/representants/invitations/<int:invitation_id>/accepter", methods=["POST"])
@roles("citizen")
def accept(invitation_id):
    """Accept: become a legal representative of the child (until their 18th birthday)."""
    invitation = _open_invitation(invitation_id)
    if not guardians.accept(invitation, signed_in_user()):
        abort(404)
    child = invitation.child
    flash(_("Vous êtes maintenant représentant légal de %(name)s.", name=child.display_name),
          "success")
    return redirect(url_for("home.space", ref=child.ref), 303)


@bp.route("/representants/invitations/<int:invitation_id>/refuser", methods=["POST"])
@roles("citizen")
def refuse(invitation_id):
    """Refuse the invitation."""
    guardians.refuse(_open_invitation(invitation_id), signed_in_user())
    flash(_("Invitation refusée."), "success")
    return redirect(url_for("guardians.invitations"), 303)
