"""View decorators that declare and enforce each route's permission."""

from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user

from webapp import policy
from webapp.models.spaces import Space


def _declare(view, permission):
    view.permission = permission
    return view


def public(view):
    """Anyone may open this route, signed in or not."""
    return _declare(view, "public")


def _signed_in_user():
    if not current_user.is_authenticated:
        return None
    return current_user._get_current_object()


def _to_login():
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def roles(*allowed):
    """Signed-in users of these roles only; others get 404, anonymous users the sign-in page."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = _signed_in_user()
            if user is None:
                return _to_login()
            if user.role not in allowed:
                abort(404)
            return view(*args, **kwargs)

        return _declare(wrapper, "role:" + ",".join(allowed))

    return decorator


def current_space(user=None):
    """The space the user is looking at: the one chosen in this session, else their own."""
    user = user or _signed_in_user()
    if user is None:
        return None
    space_id = session.get("space_id")
    if space_id:
        space = Space.get_or_none(Space.id == space_id)
        if space is not None and policy.grant_for(user, space) is not None:
            return space
        session.pop("space_id", None)
        g.refused_space = space  # a right that ended (mandate, block): log the attempt
    if user.role == "citizen":
        return Space.get_or_none((Space.owner == user) & (Space.state == "active"))
    return None


def on_space(scope):
    """The current space, if the policy grants this scope (logged); else 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = _signed_in_user()
            if user is None:
                return _to_login()
            space = current_space(user)
            if space is None:
                refused = g.pop("refused_space", None)
                if refused is not None:
                    policy.record(None, refused, scope, request.endpoint or "", allowed=False,
                                  actor=user)
                abort(404)
            g.grant = policy.authorize(user, space, scope)
            g.space = space
            return view(*args, **kwargs)

        return _declare(wrapper, f"space:{scope}")

    return decorator


def acting_grant():
    """The current user's grant on the current space, without logging (for menus)."""
    if "acting_grant" not in g:
        user = _signed_in_user()
        space = current_space(user) if user else None
        g.acting_grant = policy.grant_for(user, space) if space else None
    return g.acting_grant
