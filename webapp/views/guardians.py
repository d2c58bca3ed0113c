"""A minor's legal representatives: invite a second one, who accepts or refuses from an
active account. Their rights end on the child's 18th birthday (see Guardianship)."""

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField

from webapp import audit, signals
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.forms import Form, email_address, required
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.models.accounts import User
from webapp.models.privacy import GuardianInvitation
from webapp.models.spaces import Guardianship
from webapp.rendering import render
from webapp.scopes import Capacity, Scope

bp = Blueprint("guardians", __name__)
MAX_GUARDIANS = 2


class InviteForm(Form):
    email = EmailField(_l("Adresse e-mail de l'autre représentant légal"), validators=[
        required(_l("Saisissez l'adresse e-mail de l'autre représentant légal.")),
        email_address()])


def _guardians(space):
    return list(User.select().join(Guardianship, on=(Guardianship.guardian == User.id))
                .where((Guardianship.child == space) & Guardianship.ended_at.is_null())
                .order_by(User.last_name))


def _page(form):
    space = g.access.space
    manages = g.access.capacity == Capacity.GUARDIAN and space.is_minor(utcnow().date())
    pending = list(g.access.query(GuardianInvitation).where(
        GuardianInvitation.accepted_at.is_null()
        & GuardianInvitation.refused_at.is_null()
        & (GuardianInvitation.expires_at > utcnow()))) if manages else []
    guardians = _guardians(space) if manages else []
    return render("guardians/index.html", title=_("Représentants légaux"), form=form,
                  manages=manages, guardians=guardians, pending=pending,
                  can_invite=manages and len(guardians) + len(pending) < MAX_GUARDIANS,
                  received=GuardianInvitation.open_for(current_user.email).count())


@bp.route(SPACE + "/representants", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def index():
    """The child's legal representatives, and inviting the second one."""
    form = InviteForm()
    if form.validate_on_submit():
        space = g.access.space
        manages = g.access.capacity == Capacity.GUARDIAN and space.is_minor(utcnow().date())
        if not manages:
            abort(404)
        email = form.email.data.strip().lower()
        if email == current_user.email:
            form.email.errors.append(_("Saisissez l'adresse de l'autre représentant, pas la "
                                       "vôtre."))
            return _page(form)
        if len(_guardians(space)) >= MAX_GUARDIANS:
            form.email.errors.append(_("Cet enfant a déjà deux représentants légaux."))
            return _page(form)
        invite(g.access, email)
        flash(_("Invitation envoyée. La personne doit l'accepter depuis son propre compte "
                "Mon espace santé, avec l'adresse %(email)s.", email=email), "success")
        return redirect(url_for("guardians.index"), 303)
    return _page(form)


def invite(access, email):
    """Invite a second legal representative (the invitee is told if they have an account)."""
    with transaction():
        invitation = GuardianInvitation.create(child=access.space, invited_by=access.actor,
                                               email=email)
        access.log(Action.GUARDIAN_INVITE, invitation)
        invitee = User.by_email(email)
        if invitee is not None and invitee.active and invitee.role == "citizen":
            after_commit(lambda: signals.guardian_invited.send(invitation, invitee=invitee))
    return invitation


def accept_invitation(invitation, user):
    """The invitee becomes a legal representative of the child."""
    child = invitation.child
    with transaction():
        invitation.accepted_at = utcnow()
        invitation.save()
        Guardianship.get_or_create(guardian=user, child=child)
        audit.write(child, action=Action.GUARDIAN_ACCEPT, capacity=Capacity.GUARDIAN,
                    actor=user, target=invitation)
        after_commit(lambda: signals.guardian_accepted.send(invitation))


def _open_invitation(invitation_id):
    invitation = GuardianInvitation.open_for(current_user.email).where(
        GuardianInvitation.id == invitation_id).first()
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/representants/invitations")
@roles("citizen")
def invitations():
    """Invitations received to become a child's second legal representative."""
    rows = list(GuardianInvitation.open_for(current_user.email))
    return render("guardians/invitations.html", title=_("Invitations reçues"), rows=rows)


@bp.route("/representants/invitations/<int:invitation_id>/accepter", methods=["POST"])
@roles("citizen")
def accept(invitation_id):
    """Accept: become a legal representative of the child (until their 18th birthday)."""
    invitation = _open_invitation(invitation_id)
    child = invitation.child
    if not child.is_minor(utcnow().date()) or len(_guardians(child)) >= MAX_GUARDIANS:
        abort(404)
    accept_invitation(invitation, signed_in_user())
    flash(_("Vous êtes maintenant représentant légal de %(name)s.", name=child.display_name),
          "success")
    return redirect(url_for("home.space", ref=child.ref), 303)


@bp.route("/representants/invitations/<int:invitation_id>/refuser", methods=["POST"])
@roles("citizen")
def refuse(invitation_id):
    """Refuse the invitation."""
    invitation = _open_invitation(invitation_id)
    invitation.refused_at = utcnow()
    invitation.save()
    flash(_("Invitation refusée."), "success")
    return redirect(url_for("guardians.invitations"), 303)
