"""What a provider sends back, checked before anything is believed: the ID token's
signature against the provider's published keys (RS256 or ES256 only, never "none" nor a
shared-secret algorithm), then its claims with Authlib's ID token rules: issuer, audience
(this service), expiry, issue time, the nonce of this sign-in, the access token's hash."""

from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

ALGORITHMS = ["RS256", "ES256"]  # what FranceConnect and Pro Santé Connect sign with
LEEWAY = 60  # seconds of clock difference accepted on exp and iat


class Refused(Exception):
    """The sign-in is refused; `reason` says why (for the page and the logs)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _decode(raw, provider):
    try:
        try:
            return jwt.decode(raw, KeySet.import_key_set(provider.jwks()), algorithms=ALGORITHMS)
        except InvalidKeyIdError:  # the provider rotated its keys: fetch them once more
            return jwt.decode(raw, KeySet.import_key_set(provider.jwks(force=True)),
                              algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError) as error:
        raise Refused("signature") from error


def id_token_claims(raw, provider, nonce, access_token):
    """The ID token's claims once its signature and claims are right; else Refused."""
    if not raw:
        raise Refused("no_id_token")
    token = _decode(raw, provider)
    client_id = provider.setting("CLIENT_ID")
    options = {
        "iss": {"essential": True, "value": provider.issuer},
        "aud": {"essential": True, "value": client_id},
        "exp": {"essential": True},
        "sub": {"essential": True},
        "nonce": {"essential": True, "value": nonce},
    }
    claims = CodeIDToken(token.claims, token.header, options,
                         {"nonce": nonce, "client_id": client_id, "access_token": access_token})
    try:
        claims.validate(leeway=LEEWAY)
    except (JoseError, ValueError, TypeError) as error:
        raise Refused("claims") from error
    return dict(claims)


def userinfo(session, provider, subject):
    """The person's claims from the userinfo endpoint (a signed JWT, as FranceConnect sends
    it, or JSON); its subject must be the ID token's."""
    try:
        response = session.get(provider.metadata()["userinfo_endpoint"])
        response.raise_for_status()
    except Exception as error:  # requests' and Authlib's errors alike
        raise Refused("userinfo") from error
    if response.headers.get("Content-Type", "").startswith("application/jwt"):
        token = _decode(response.text, provider)
        info = token.claims
        if info.get("iss", "").rstrip("/") != provider.issuer or (
                info.get("aud") not in (provider.setting("CLIENT_ID"),
                                        [provider.setting("CLIENT_ID")])):
            raise Refused("userinfo")
    else:
        try:
            info = response.json()
        except ValueError as error:
            raise Refused("userinfo") from error
    if not isinstance(info, dict) or info.get("sub") != subject:
        raise Refused("userinfo")
    return info
