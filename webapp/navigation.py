"""The main menu for each role; feature blueprints add their entries with add()."""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.guards import acting_grant

# (order, endpoint, label, scope or None, roles): with a scope, the entry shows when the
# current grant (owner, guardian, mandate) allows it; without, when the role is listed.
_ENTRIES = []
# endpoint -> function(grant) -> int, shown as a count beside the entry (e.g. unread messages)
BADGES = {}


def add(order, endpoint, label, scope=None, roles=("citizen",)):
    """Register a menu entry; entries whose endpoint does not exist are left out."""
    if endpoint not in {e[1] for e in _ENTRIES}:
        _ENTRIES.append((order, endpoint, label, scope, tuple(roles)))
        _ENTRIES.sort(key=lambda e: e[0])


def entries():
    """The menu of the current user: (endpoint, label, current, badge)."""
    if not current_user.is_authenticated:
        return []
    grant = acting_grant()
    result = []
    for _order, endpoint, label, scope, roles in _ENTRIES:
        if endpoint not in current_app.view_functions:
            continue
        if scope is None and current_user.role not in roles:
            continue
        if scope is not None and (grant is None or not grant.allows(scope)):
            continue
        badge = BADGES[endpoint](grant) if endpoint in BADGES and grant else 0
        # the entry's page, or a page of the same area below it: /documents/12 is in
        # "Documents", but a mandate's attestation is not in "New mandate"
        current = request.endpoint == endpoint or (
            (request.endpoint or "").split(".")[0] == endpoint.split(".")[0]
            and request.path.startswith(url_for(endpoint)))
        result.append((endpoint, label, current, badge))
    return result


def init_app(app):
    """Expose the menu to templates."""
    add(10, "home.index", _l("Accueil"), roles=("citizen", "mediator", "professional", "admin"))
    app.jinja_env.globals["nav_entries"] = entries
