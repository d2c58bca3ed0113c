"""The language switcher: remembered in the session, a cookie and the account."""

from flask import Blueprint, current_app, redirect, request, session
from flask_login import current_user

from webapp.guards import public
from webapp.rendering import safe_next

bp = Blueprint("language", __name__)


@bp.route("/langue", methods=["POST"])
@public
def switch():
    """Change the interface language and go back to the same page."""
    lang = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next")), 303)
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SECURE_COOKIES"], httponly=True)
        if current_user.is_authenticated:
            current_user.language = lang
            current_user.save(only=[type(current_user._get_current_object()).language])
    return response
