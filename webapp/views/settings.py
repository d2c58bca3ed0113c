"""The settings hub: each area lists its settings page here (notifications, privacy,
mandates and helpers, account)."""

from flask import Blueprint, g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp import navigation
from webapp.guards import on_space
from webapp.policy import Scope
from webapp.rendering import render

bp = Blueprint("settings", __name__)

# (order, endpoint, title, description, scope): areas append with add_section().
SECTIONS = []


def add_section(order, endpoint, title, description, scope=Scope.SETTINGS_READ):
    """Register a settings page; shown when the current grant allows the scope."""
    if endpoint not in {s[1] for s in SECTIONS}:
        SECTIONS.append((order, endpoint, title, description, scope))
        SECTIONS.sort(key=lambda s: s[0])


@bp.route("/parametres")
@on_space(Scope.SETTINGS_READ)
def index():
    """Every settings page the current person may open."""
    from flask import current_app

    sections = [s for s in SECTIONS
                if s[1] in current_app.view_functions and g.grant.allows(s[4])]
    return render("settings/index.html", title=_("Paramètres"), sections=sections)


def init_app(app):
    """Menu entry."""
    navigation.add(70, "settings.index", _l("Paramètres"), scope=Scope.SETTINGS_READ)
