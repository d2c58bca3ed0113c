"""The warning before a session ends: what is left of it, and "Rester connecté"."""

from flask import Blueprint, flash, jsonify, redirect, request
from flask_babel import gettext as _

from webapp.guards import public, signed_in_user
from webapp.rendering import safe_next
from webapp.sessions import lifetimes
from webapp.sessions.expiry import to_sign_in

bp = Blueprint("session", __name__)


def _wants_json():
    return request.accept_mimetypes.best == "application/json"


@bp.route("/session/etat")
@public
def status():
    """What is left of the session; asking is not activity (the idle time goes on)."""
    user = signed_in_user()
    if user is None:
        return jsonify(signed_in=False)
    return jsonify(signed_in=True, **lifetimes.remaining(user.session_row, user.role))


@bp.route("/session/prolonger", methods=["POST"])
@public
def stay():
    """The person is here: the idle time starts again, never past the absolute limit."""
    user = signed_in_user()
    if user is None:
        return (jsonify(signed_in=False), 401) if _wants_json() else to_sign_in()
    lifetimes.stay(user.session_row)
    if _wants_json():
        return jsonify(signed_in=True, **lifetimes.remaining(user.session_row, user.role))
    flash(_("Votre session est prolongée."), "success")
    return redirect(safe_next(request.form.get("next")), 303)


@bp.app_context_processor
def _session_dialog():
    """The warning dialog's data, for the layout of a signed-in person's pages."""

    def session_left():
        user = signed_in_user()
        return lifetimes.remaining(user.session_row, user.role) if user else None

    return {"session_left": session_left}
