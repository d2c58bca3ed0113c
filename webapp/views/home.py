"""Home pages: `/` for each role, and the home page of a person's space."""

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _

from webapp import policy
from webapp.guards import SPACE, on_space, public, roles, signed_in_user
from webapp.models.accounts import Office, User
from webapp.rendering import render
from webapp.scopes import Scope
from webapp.views.mediator import mediator_home

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    """The signed-in person's home: a citizen's own space, a mediator's or a
    professional's list of people, the admin's dashboard; the public home otherwise."""
    user = signed_in_user()
    if user is None:
        return _public_home()
    if user.role == "citizen":
        own = policy.own_space(user)
        if own is not None:
            return redirect(url_for("home.space", ref=own.ref))
        return render("home/no_space.html", title=_("Accueil"), spaces=policy.spaces_for(user))
    if user.role == "mediator":
        return mediator_home(user)
    if user.role == "professional":
        return render("home/professional.html", title=_("Mes patients"),
                      patients=list(policy.patients_of(user)))
    counts = {role: User.select().where(User.role == role).count()
              for role in ("citizen", "mediator", "professional", "admin")}
    return render("home/admin.html", title=_("Administration"), counts=counts,
                  offices=Office.select().order_by(Office.name))


def _public_home():
    """What the service is and the ways in. A browser whose session has just ended (it
    still carries the session's token) goes back to the sign-in page instead."""
    if session.get("_user_id"):
        return redirect(url_for("auth.login"))
    return render("home/public.html", title=_("Bienvenue sur Mon espace santé"))


@bp.route(SPACE + "/")
@on_space(Scope.SPACE_VIEW)
def space():
    """The home of a space: cards from each area, and the other spaces one holds."""
    access = g.access
    panels = [p for p in (panel(access) for panel in current_app.extensions["home_panels"])
              if p]
    spaces = policy.spaces_for(access.user) if access.grant.is_holder else []
    return render("home/citizen.html", title=_("Accueil"), space=access.space,
                  grant=access.grant, panels=panels, spaces=spaces)


# Area pages that were reached without the space in the address (old bookmarks).
OLD_PAGES = {
    "documents": "documents.index", "profil": "profile.index", "mesures": "measurements.index",
    "synthese": "summary.index", "agenda": "agenda.index", "messages": "messages.index",
    "historique": "history.index", "parametres": "settings.index",
    "catalogue": "catalogue.index", "representants": "guardians.index",
}


# Pages below an area, and pages that moved, addressed the same way under the space.
OLD_SUBPAGES = ("documents", "profil", "mesures", "agenda", "messages", "historique",
                "parametres", "catalogue", "confidentialite")
MOVED = {"compte/export": "account.export_page", "compte/fermer": "account.close"}


def _to_own_space(target):
    """Redirect to a path of the person's own space, the query string kept."""
    own = policy.own_space(signed_in_user())
    if own is None:
        return redirect(url_for("home.index"))
    query = request.query_string.decode()
    return redirect(target(own.ref) + ("?" + query if query else ""))


@bp.route("/<any(" + ", ".join(OLD_PAGES) + "):area>")
@roles("citizen", "mediator", "professional", "admin")
def old_page(area):
    """An old bookmark lands on the same page of the person's own space."""
    return _to_own_space(lambda ref: url_for(OLD_PAGES[area], ref=ref))


@bp.route("/<any(" + ", ".join(OLD_SUBPAGES) + "):area>/<path:rest>")
@roles("citizen", "mediator", "professional", "admin")
def old_subpage(area, rest):
    """An old bookmark of a page below an area: the same path under one's own space."""
    return _to_own_space(lambda ref: f"/espaces/{ref}/{area}/{rest}")


@bp.route("/compte/export", defaults={"moved": "compte/export"})
@bp.route("/compte/fermer", defaults={"moved": "compte/fermer"})
@roles("citizen", "mediator", "professional", "admin")
def moved_page(moved):
    """Pages of one's data that moved into the space."""
    return _to_own_space(lambda ref: url_for(MOVED[moved], ref=ref))
