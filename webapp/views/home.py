"""Each role's home page, and the switch between one's own space and a child's."""

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import policy
from webapp.guards import current_space, roles
from webapp.models.accounts import Office, User
from webapp.models.spaces import CareRelation, Space
from webapp.rendering import render

bp = Blueprint("home", __name__)

# Functions (grant) -> dict added to the citizen home by feature areas: summary cards.
HOME_PANELS = []


@bp.route("/")
@roles("citizen", "mediator", "professional", "admin")
def index():
    """The home page of the signed-in user's role."""
    user = current_user._get_current_object()
    if user.role == "citizen":
        return _citizen_home(user)
    if user.role == "mediator":
        from webapp.views.mediator import mediator_home

        if current_space(user) is not None:
            return _citizen_home(user)  # acting for someone: their home, within the mandate
        return mediator_home(user)
    if user.role == "professional":
        patients = (Space.select().join(CareRelation)
                    .where(CareRelation.professional == user)
                    .order_by(Space.last_name, Space.first_name))
        return render("home/professional.html", title=_("Mes patients"), patients=patients)
    counts = {role: User.select().where(User.role == role).count()
              for role in ("citizen", "mediator", "professional", "admin")}
    return render("home/admin.html", title=_("Administration"), counts=counts,
                  offices=Office.select().order_by(Office.name))


def _citizen_home(user):
    space = current_space(user)
    if space is None:
        return render("home/no_space.html", title=_("Accueil"))
    grant = policy.authorize(user, space, policy.Scope.SPACE_VIEW)
    panels = [p for p in (panel(grant) for panel in HOME_PANELS) if p]
    return render("home/citizen.html", title=_("Accueil"), space=space, grant=grant,
                  panels=panels, spaces=policy.spaces_for(user))


@bp.route("/espace/choisir", methods=["POST"])
@roles("citizen")
def switch_space():
    """Show one's own space or a represented child's (profile switcher)."""
    user = current_user._get_current_object()
    space = Space.get_or_none(Space.id == request.form.get("space", type=int) or 0)
    if space is None or space not in policy.spaces_for(user):
        abort(404)
    grant = policy.authorize(user, space, policy.Scope.SPACE_VIEW, target="switch")
    session["space_id"] = space.id
    if grant.capacity == "owner":
        session.pop("space_id", None)
    return redirect(url_for("home.index"), 303)
