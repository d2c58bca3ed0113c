"""A minor's legal representatives: invite a second one, who accepts or refuses from an
active account. Their rights end on the child's 18th birthday (see Guardianship)."""

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask_babel import gettext as _

from webapp import policy
from webapp.accounts import guardians
from webapp.accounts.forms import GuardianAcceptForm, GuardianInviteForm
from webapp.db import utcnow
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.models.privacy import GuardianInvitation
from webapp.ratelimit import Attempts
from webapp.rendering import render
from webapp.scopes import Scope
from webapp.views.emergency import parse_date

bp = Blueprint("guardians", __name__)
# wrong birth dates typed for one invitation before it stops answering for a while
PER_INVITATION = Attempts("guardian-accept", "5 per hour")


def _accept_form(invitation, formdata=None):
    return GuardianAcceptForm(prefix=f"i{invitation.id}",
                              **({} if formdata else {"formdata": None}))


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
    form = GuardianInviteForm()
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


def _invitations_page(posted=None):
    rows = list(policy.guardian_invitations_to(signed_in_user()))
    forms = {inv.id: _accept_form(inv) for inv in rows}
    if posted is not None:  # the form sent, with its errors and what was typed
        forms[posted[0]] = posted[1]
    return render("guardians/invitations.html", title=_("Invitations reçues"), rows=rows,
                  forms_by_id=forms, errors=posted[1] if posted is not None else None)


@bp.route("/representants/invitations")
@roles("citizen")
def invitations():
    """Invitations received to become a child's second legal representative."""
    return _invitations_page()


@bp.route("/representants/invitations/<int:invitation_id>/accepter", methods=["POST"])
@roles("citizen")
def accept(invitation_id):
    """Accept, with the child's birth date: become a legal representative of the child
    (until their 18th birthday)."""
    invitation = _open_invitation(invitation_id)
    form = _accept_form(invitation, formdata=True)
    if form.validate_on_submit():
        key = str(invitation.id)
        typed = parse_date(form.birth_date.data)
        if PER_INVITATION.blocked(key):
            form.birth_date.errors.append(_(
                "Trop de dates incorrectes. Réessayez dans %(minutes)s minutes, ou demandez "
                "la date exacte à la personne qui vous a invité.",
                minutes=PER_INVITATION.retry_minutes(key)))
        elif typed is None:
            form.birth_date.errors.append(_("Saisissez la date sous la forme JJ/MM/AAAA, par "
                                            "exemple 08/03/2016."))
        elif typed != invitation.child.birth_date:
            PER_INVITATION.fail(key)
            form.birth_date.errors.append(_(
                "Ce n'est pas la date de naissance de l'enfant. Demandez-la à la personne qui "
                "vous a invité."))
    if form.errors:
        return _invitations_page(posted=(invitation.id, form))
    if not guardians.accept(invitation, signed_in_user()):
        abort(404)
    PER_INVITATION.clear(str(invitation.id))
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
