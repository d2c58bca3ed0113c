"""Sign-in sessions: stored on the server, rotated at sign-in, ended for real at sign-out."""

import datetime as dt

from flask import has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from peewee import JOIN

from webapp import signals
from webapp.compiled import Compiled
from webapp.db import utcnow
from webapp.models.accounts import Office, User, UserSession
from webapp.models.pro import Practice, Structure
from webapp.sessions import expiry, lifetimes

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
login_manager.login_message_category = "info"
login_manager.session_protection = None  # the server-side session table does this job

TOUCH_EVERY = dt.timedelta(seconds=60)
TOTP_FREE_ENDPOINTS = {"auth.reverify", "auth.logout", "static", "language.switch",
                       "session.status"}
UNTOUCHED_ENDPOINTS = {"session.status"}  # asking what is left is not activity


_SESSION = Compiled(lambda token_hash: (  # one query: the session, its user,
    UserSession.live().select(UserSession, User, Office, Practice, Structure)  # their
    .join(User).join(Office, JOIN.LEFT_OUTER)  # office or practice
    .switch(User).join(Practice, JOIN.LEFT_OUTER, on=(Practice.professional == User.id),
                       attr="practice_row")
    .join(Structure, JOIN.LEFT_OUTER)
    .where(UserSession.token_hash == token_hash).limit(1)), "\0probe:token")


@login_manager.user_loader
def load_user(token):
    """The user of a live session token, or None (ended, expired, idle too long for a
    citizen, or deactivated); a mediator idle too long must type a new code."""
    row = _SESSION.first(UserSession.hash_token(token))
    if row is None:
        return None
    user, now = row.user, utcnow()
    idle = lifetimes.past_idle(row, user.role, now)
    if not user.active or lifetimes.past_absolute(row, user.role, now) \
            or (idle and user.role in lifetimes.IDLE_ENDS_SESSION):
        row.end()
        return None
    if idle and row.totp_verified_at:
        row.totp_verified_at = None
        row.save(only=[UserSession.totp_verified_at])
    untouched = has_request_context() and request.endpoint in UNTOUCHED_ENDPOINTS
    if now - row.last_seen > TOUCH_EVERY and not untouched:
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
    """Send a mediator whose second factor lapsed to the code page (keeping the form a
    POST carried, and answering htmx with a redirect it follows)."""

    @app.before_request
    def _second_factor():
        if (request.endpoint not in TOTP_FREE_ENDPOINTS  # first: static files need no user
                and current_user.is_authenticated and needs_totp(current_user)):
            return expiry.to_reverify(current_user._get_current_object())
        return None
