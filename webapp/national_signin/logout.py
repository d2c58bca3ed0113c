"""Signing out of a session opened by a national provider ends the provider's session
too (RP-initiated logout, as FranceConnect asks of its services): the sign-out sends the
browser to the provider's end_session_endpoint, which sends it back to the sign-in page."""

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from flask import current_app, session, url_for

from webapp.national_signin.providers import Unavailable, enabled

LOGOUT_KEY = "national_signin_logout"


def remember(provider_name, id_token):
    """Keep, for the sign-out, which provider opened this session and its ID token."""
    session[LOGOUT_KEY] = {"provider": provider_name, "id_token": id_token}


def end_url():
    """The provider's end-session address for this session, or "" (a password session, a
    provider now off or unreachable: the local sign-out happens anyway)."""
    kept = session.get(LOGOUT_KEY)
    provider = enabled(kept["provider"]) if kept else None
    if provider is None or not kept.get("id_token"):
        return ""
    try:
        endpoint = provider.metadata().get("end_session_endpoint")
    except Unavailable as error:
        current_app.logger.warning("%s logout skipped: %s", provider.name, error)
        return ""
    if not endpoint:
        return ""
    return add_params_to_uri(endpoint, {
        "id_token_hint": kept["id_token"], "state": generate_token(16),
        "post_logout_redirect_uri": url_for("auth.login", _external=True)})
