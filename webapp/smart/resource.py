"""What the API (webapp/fhir) asks of the authorisation server: who calls, with which
token, for which space and scopes. Checked at every request: a revoked, expired or
unknown token, a revoked consent, a suspended or dereferenced client, a deactivated
account or a space the person may no longer act on for gives None."""

import datetime as dt
from dataclasses import dataclass

from webapp import policy
from webapp.db import transaction, utcnow
from webapp.models.accounts import User
from webapp.models.smart import SmartConsent, SmartToken
from webapp.models.spaces import Space
from webapp.policy import proofs
from webapp.scopes import HOLDER_SIDE
from webapp.smart import consents, tokens

ACCESS_LIFETIME = 600  # seconds: short-lived access tokens (refresh with offline_access)
TOUCH_EVERY = dt.timedelta(seconds=60)  # last access is written at most once a minute


@dataclass(frozen=True)
class ApiCaller:
    """The person and client behind an API request."""

    user: User  # who authorised: a citizen (patient/ scopes) or a professional (user/)
    space: Space | None  # patient/ scopes: the space chosen at authorisation; user/: None
    scopes: frozenset  # granted SMART v2 scopes
    client_id: str
    client_name: str  # the name in the access history (AccessLog.app_name)
    token_id: int
    grant: object = None  # patient/ scopes: the policy's grant on that space, decided once



def bearer(authorization_header):
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not authorization_header or len(authorization_header) > 4096:
        return None
    scheme, _, value = authorization_header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or " " in value:
        return None
    return value


def authenticate(authorization_header):
    """The ApiCaller of a request's Authorization header, or None."""
    value = bearer(authorization_header)
    if value is None:
        return None
    token = proofs.access_token(tokens.digest(value))
    now = utcnow()
    if token is None or token.is_revoked() or token.is_expired(now) \
            or not token.client.is_online or not token.user.active:
        return None
    consent = proofs.token_consent(token)
    if token.consent_id and (consent is None or consent.revoked_at is not None
                             or not consents.connected(consent, token.client)):
        return None
    space = grant = None
    if token.space_id:
        space = proofs.token_space(token)
        grant = policy.grant_for(token.user, space) if space else None
        if grant is None or grant.capacity not in HOLDER_SIDE:
            return None
    elif token.user.role != "professional":
        return None
    _touch(token, consent, now)
    return ApiCaller(user=token.user, space=space, scopes=frozenset(token.scope.split()),
                     client_id=token.client.client_id, client_name=token.client.name,
                     token_id=token.id, grant=grant)


def _touch(token, consent, now):
    """Remember the last access (for the connected apps page), at most once a minute."""
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        with transaction():
            SmartToken.update(last_used_at=now).where(SmartToken.id == token.id).execute()
            if consent is not None:
                SmartConsent.update(last_access_at=now).where(
                    SmartConsent.id == consent.id).execute()


def issue_access_token(client, user, space, scopes, lifetime=None):
    """A new access token (no refresh token) for this client, person and space, with
    these scopes granted (remembered as the person's consent). For tests and tools; the
    token endpoint issues its own through Authlib."""
    scopes = sorted(set(scopes.split() if isinstance(scopes, str) else scopes))
    value = tokens.new_secret()
    with transaction():
        consent = consents.remember(user, client, space, granted=scopes, refused=(),
                                    log=False)
        SmartToken.create(client=client, user=user, space=space, consent=consent,
                          scope=" ".join(scopes), access_hash=tokens.digest(value),
                          expires_in=_seconds(lifetime))
    return value


def _seconds(lifetime):
    """A lifetime in seconds (an int, a timedelta, or None for the default)."""
    if lifetime is None:
        return ACCESS_LIFETIME
    if isinstance(lifetime, dt.timedelta):
        return int(lifetime.total_seconds())
    return int(lifetime)
