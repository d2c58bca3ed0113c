"""Public information pages: accessibility statement, site map, legal notice, privacy, help."""

from flask import Blueprint
from flask_babel import gettext as _

from webapp.guards import public
from webapp.rendering import render

bp = Blueprint("pages", __name__)


@bp.route("/accessibilite")
@public
def accessibility():
    """The accessibility statement (RGAA 4.1)."""
    return render("pages/accessibility.html", title=_("Déclaration d'accessibilité"))


@bp.route("/plan-du-site")
@public
def sitemap():
    """Every page of the service, by area."""
    return render("pages/sitemap.html", title=_("Plan du site"))


@bp.route("/mentions-legales")
@public
def legal():
    """Who publishes and hosts the service."""
    return render("pages/legal.html", title=_("Mentions légales"))


@bp.route("/donnees-personnelles")
@public
def privacy():
    """How personal and health data are processed."""
    return render("pages/privacy.html", title=_("Données personnelles"))


@bp.route("/aide")
@public
def help():
    """Where to get help, including France Services offices."""
    return render("pages/help.html", title=_("Aide"))
