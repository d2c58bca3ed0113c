"""The main menu: which entries of the app's menu table the signed-in person sees.

Entries of a space (documents, agenda…) link into the space of the page, or, on a page
outside any space, into the citizen's own space; they show when the grant allows their
scope. The grant and the badges are computed once per request.
"""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_login import current_user

from webapp.access import menu_access


@dataclass(frozen=True)
class Entry:
    """A menu entry: an endpoint, its label, and who sees it."""

    endpoint: str
    label: object
    scope: object = None  # a space entry, shown when the grant allows this scope
    roles: tuple = ()  # a role entry, shown to these roles
    capacities: frozenset = frozenset()  # space entries: only for these capacities
    badge: object = None  # function(access) -> int
    outside_own: bool = False  # a role entry hidden on the pages of a space one holds


def _shown(entry, access, role):
    if entry.scope is None:
        holds = access is not None and access.grant is not None and access.grant.is_holder
        return role in entry.roles and not (entry.outside_own and holds)
    if access is None or not access.allows(entry.scope):
        return False
    return not entry.capacities or access.capacity in entry.capacities


def _current(endpoint, href):
    """The entry's page, or a page of the same area below it."""
    here = request.endpoint or ""
    return here == endpoint or (here.split(".")[0] == endpoint.split(".")[0]
                                and request.path.startswith(href.rstrip("/") + "/"))


def entries():
    """The menu of the current user: (href, label, current, badge)."""
    if not current_user.is_authenticated:
        return []
    access, role = menu_access(), current_user.role
    ref = access.space.ref if access is not None and access.space is not None else None
    result = []
    for entry in current_app.extensions["menu"]:
        if not _shown(entry, access, role):
            continue
        href = url_for(entry.endpoint, ref=ref) if entry.scope is not None \
            else url_for(entry.endpoint)
        badge = entry.badge(access) if entry.badge and access is not None else 0
        result.append((href, entry.label, _current(entry.endpoint, href), badge))
    return result


def init_app(app):
    """Expose the menu to templates."""
    app.jinja_env.globals["nav_entries"] = entries
    app.jinja_env.globals["menu_access"] = menu_access
