"""View decorators that declare and enforce each route's permission."""

from functools import wraps

from flask import abort, g
from flask_login import current_user

from webapp.access import Access
from webapp.fhir import caller as api_caller
from webapp.sessions.expiry import to_sign_in

SPACE = "/espaces/<ref>"  # the prefix of every page of a person's space


def _declare(view, permission):
    view.permission = permission
    return view


def public(view):
    """Anyone may open this route, signed in or not."""
    return _declare(view, "public")


def signed_in_user():
    """The signed-in user, or None."""
    if not current_user.is_authenticated:
        return None
    return current_user._get_current_object()


def _to_login():
    return to_sign_in()  # keeps a form sent after the session ended; htmx gets HX-Redirect


def roles(*allowed):
    """Signed-in users of these roles only; others get 404, anonymous users the sign-in page."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = signed_in_user()
            if user is None:
                return _to_login()
            if user.role not in allowed:
                abort(404)
            return view(*args, **kwargs)

        return _declare(wrapper, "role:" + ",".join(allowed))

    return decorator


def on_space(scope, capacities=None):
    """A page of the space named in the address: the policy must grant this scope, in one
    of these capacities if given (decided and logged by the request's access object,
    g.access); else 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = signed_in_user()
            if user is None:
                return _to_login()
            g.access = Access.open(user, g.pop("space_ref", None))
            g.access.require(scope, capacities)
            return view(*args, **kwargs)

        wrapper.capacities = frozenset(capacities or ())
        return _declare(wrapper, f"space:{scope}")

    return decorator


def api(resources, interaction):
    """A route of the FHIR API: a valid bearer token (else 401) whose SMART scopes allow
    this interaction (r, s, c, u, d) on one of these resource types (else 403); the view
    then opens the request's Access to the patient's space (webapp.fhir.context), which
    decides as a page does. `None`: any valid token."""
    kinds = (resources,) if isinstance(resources, str) or resources is None else resources

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_caller = api_caller.admit(kinds, interaction)
            return view(*args, **kwargs)

        names = "|".join(k for k in kinds if k) or "*"
        return _declare(wrapper, f"api:{names}.{interaction or '*'}")

    return decorator
