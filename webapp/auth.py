"""Sign-in sessions: stored on the server, rotated at sign-in, ended for real at sign-out."""

import datetime as dt

from flask import redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user

from webapp import signals
from webapp.db import utcnow
from webapp.models.accounts import UserSession

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
login_manager.login_message_category = "info"
login_manager.session_protection = None  # the server-side session table does this job

MAX_AGE = {"mediator": dt.timedelta(hours=10)}  # a working day
DEFAULT_MAX_AGE = dt.timedelta(hours=12)
MEDIATOR_IDLE = dt.timedelta(minutes=15)
TOUCH_EVERY = dt.timedelta(seconds=60)
TOTP_FREE_ENDPOINTS = {"auth.reverify", "auth.logout", "static", "language.switch"}


@login_manager.user_loader
def load_user(token):
    """The user of a live session token, or None (ended, expired, or deactivated)."""
    row = UserSession.live().where(UserSession.token_hash == UserSession.hash_token(token)).first()
    if row is None:
        return None
    user, now = row.user, utcnow()
    if not user.active or now - row.created_at > MAX_AGE.get(user.role, DEFAULT_MAX_AGE):
        row.end()
        return None
    if user.role == "mediator" and row.totp_verified_at and now - row.last_seen > MEDIATOR_IDLE:
        row.totp_verified_at = None
        row.save(only=[UserSession.totp_verified_at])
    if now - row.last_seen > TOUCH_EVERY:
        row.last_seen = now
        row.save(only=[UserSession.last_seen])
    user.session_token, user.session_row = token, row
    return user


def sign_in(user, totp_verified=False):
    """Start a fresh session: nothing of the anonymous one survives but the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    row, token = UserSession.start(user, totp_verified=totp_verified)
    user.session_token, user.session_row = token, row
    login_user(user)


def sign_out():
    """End the server session and forget everything in the cookie (subscribers of
    signals.signed_out end what lasts "this visit only")."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.session_row.end()
        signals.signed_out.send(user)
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang


def needs_totp(user):
    """Mediators must confirm a TOTP code again after 15 idle minutes."""
    return user.role == "mediator" and user.session_row.totp_verified_at is None


def init_guard(app):
    """Send a mediator whose second factor lapsed to the code page."""

    @app.before_request
    def _second_factor():
        if (current_user.is_authenticated and needs_totp(current_user)
                and request.endpoint not in TOTP_FREE_ENDPOINTS):
            return redirect(url_for("auth.reverify", next=request.full_path.rstrip("?")))
        return None
