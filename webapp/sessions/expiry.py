"""The answer to a request that comes after the session ended, or while a mediator's new
code is due: a form it carried is kept (webapp.sessions.kept_forms), a plain request is
redirected to the sign-in (or code) page, which comes back to the page it came from, and
an htmx request gets an empty answer with HX-Redirect, which htmx follows (never a whole
page inside a fragment)."""

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from webapp.models.accounts import UserSession
from webapp.sessions import kept_forms
from webapp.sessions.returns import page_to_return_to


def ended_session_user():
    """The account whose session this browser's cookie still names, once it ended."""
    token = session.get("_user_id")
    if not isinstance(token, str) or not token:
        return None
    row = UserSession.get_or_none(UserSession.token_hash == UserSession.hash_token(token))
    if row is None or row.ended_at is None or not row.user.active:
        return None
    return row.user


def _keep(user, back):
    if request.method != "POST" or user is None or back is None:
        return None
    return kept_forms.keep(user, back)


def _answer(target, browser_id):
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=200)
        response.headers["HX-Redirect"] = target
    else:
        response = redirect(target, 303 if request.method == "POST" else 302)
    if browser_id:
        kept_forms.set_cookie(response, browser_id)
    return response


def to_sign_in():
    """Signed out (or never signed in): to the sign-in page, back here afterwards."""
    user, back = ended_session_user(), page_to_return_to()
    browser_id = _keep(user, back)
    if browser_id:
        flash(_("Votre session a pris fin. Ce que vous aviez saisi est conservé : "
                "connectez-vous pour le retrouver."), "info")
    elif user is not None:
        flash(_("Votre session a pris fin. Connectez-vous à nouveau pour continuer."), "info")
    target = url_for("auth.login", next=back) if back else url_for("auth.login")
    return _answer(target, browser_id)


def to_reverify(user):
    """A mediator idle too long: to the code page, back here afterwards."""
    back = page_to_return_to()
    browser_id = _keep(user, back)
    if browser_id:
        flash(_("Ce que vous aviez saisi est conservé : saisissez un nouveau code pour le "
                "retrouver."), "info")
    target = url_for("auth.reverify", next=back) if back else url_for("auth.reverify")
    return _answer(target, browser_id)
