"""The settings hub: every settings page of the app's table that the person may open."""

from dataclasses import dataclass

from flask import Blueprint, current_app, g
from flask_babel import gettext as _

from webapp.guards import SPACE, on_space
from webapp.rendering import render
from webapp.scopes import Scope

bp = Blueprint("settings", __name__)


@dataclass(frozen=True)
class Section:
    """A settings page: its endpoint, title and description, and the scope it needs."""

    endpoint: str
    title: object
    description: object
    scope: object = Scope.SETTINGS_READ


@bp.route(SPACE + "/parametres")
@on_space(Scope.SETTINGS_READ)
def index():
    """Every settings page the current person may open."""
    sections = [s for s in current_app.extensions["settings_sections"]
                if g.access.allows(s.scope)]
    return render("settings/index.html", title=_("Paramètres"), sections=sections)
