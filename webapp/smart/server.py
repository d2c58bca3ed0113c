"""Authlib's OAuth 2 authorisation server, with our storage: authorization code with PKCE
(S256 only, required), refresh tokens with rotation (only with `offline_access`),
revocation (RFC 7009), an OpenID Connect ID token with `openid`
(webapp.smart.idtoken). Codes and tokens are looked up by their keyed hash.

A code used twice is refused, and the tokens issued from it are revoked (RFC 6749
§4.1.2); a refresh token used again after rotation revokes its whole family.
"""

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from webapp.db import transaction, utcnow
from webapp.models.accounts import User
from webapp.models.smart import SmartCode, SmartToken
from webapp.smart import clients, consents, scopes, tokens
from webapp.smart.idtoken import IdToken
from webapp.smart.resource import ACCESS_LIFETIME

AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
CONTEXT_OF_KIND = {"app": "patient", "software": "user"}


class Client(ClientMixin):
    """Authlib's view of a registered client (online ones only reach it)."""

    def __init__(self, row):
        self.row = row

    def get_client_id(self):
        return self.row.client_id

    def get_default_redirect_uri(self):
        return None  # SMART: the redirect_uri is always sent

    def get_allowed_scope(self, scope):
        """The requested scopes this client may have: registered for it, offered by the
        server, and of its kind's context (patient/ for apps, user/ for software)."""
        if not scope:
            return ""
        allowed = set(self.row.scope_list)
        context = CONTEXT_OF_KIND[self.row.kind]
        kept = []
        for word in scopes.split(scope)[0]:
            parsed = scopes.parse(word)
            if scopes.covered(word, allowed) \
                    and (isinstance(parsed, str) or parsed.context == context) \
                    and word not in kept:
                kept.append(word)
        return " ".join(kept)

    def check_redirect_uri(self, redirect_uri):
        return clients.redirect_uri_allowed(self.row, redirect_uri)

    def check_client_secret(self, client_secret):
        return tokens.same(client_secret, self.row.secret_hash, "client")

    def check_endpoint_auth_method(self, method, endpoint):
        if self.row.secret_hash:
            return method in ("client_secret_basic", "client_secret_post")
        return method == "none"

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in ("authorization_code", "refresh_token")


def query_client(client_id):
    """The client, when it is online."""
    row = clients.find(client_id)
    return Client(row) if row is not None and row.is_online else None


class S256Challenge(CodeChallenge):
    """PKCE required for every client, S256 only: no challenge or `plain` is refused."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge' (PKCE S256 is required).")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': use S256.")
        return super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result):
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'")
        return super().validate_code_verifier(grant, result)


def _with_refresh(scope, include):
    return include and "offline_access" in (scope or "").split()


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """The code grant; the view sets on the request the scopes accepted (`smart_granted`:
    Authlib resets `request.scope` to those asked when it validates again), the space
    (`smart_space`) and the consent (`smart_consent`)."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None,
                       include_refresh_token=True):
        return super().generate_token(user=user, scope=scope, grant_type=grant_type,
                                      expires_in=expires_in,
                                      include_refresh_token=_with_refresh(
                                          scope, include_refresh_token))

    def save_authorization_code(self, code, request):
        data = request.payload.data
        SmartCode.create(code_hash=tokens.digest(code, "code"), client=request.client.row,
                         user=request.user, space=request.smart_space,
                         consent=request.smart_consent,
                         redirect_uri=request.payload.redirect_uri or "",
                         scope=request.smart_granted,
                         code_challenge=data.get("code_challenge"),
                         code_challenge_method=data.get("code_challenge_method"),
                         nonce=(data.get("nonce") or "")[:255])

    def query_authorization_code(self, code, client):
        row = SmartCode.get_or_none(SmartCode.code_hash == tokens.digest(code, "code"))
        if row is None or row.client_id != client.row.id:
            return None
        if row.used_at is not None:  # a replay: what it gave is taken back
            clients.revoke_tokens(SmartToken.code == row)
            return None
        if row.is_expired() or row.consent.revoked_at is not None:
            return None
        claimed = SmartCode.update(used_at=utcnow()).where(
            (SmartCode.id == row.id) & SmartCode.used_at.is_null()).execute()
        if not claimed:  # another request took it a moment before: a replay too
            clients.revoke_tokens(SmartToken.code == row)
            return None
        return row  # taken now, once: a request that then fails has spent it

    def delete_authorization_code(self, authorization_code):
        """Nothing left to do: the code was taken when it was read."""

    def authenticate_user(self, authorization_code):
        return User.get_or_none((User.id == authorization_code.user_id) & User.active)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Refreshing gives a new refresh token and revokes the one used (rotation)."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None,
                       include_refresh_token=True):
        return super().generate_token(user=user, scope=scope, grant_type=grant_type,
                                      expires_in=expires_in,
                                      include_refresh_token=_with_refresh(
                                          scope, include_refresh_token))

    def authenticate_refresh_token(self, refresh_token):
        row = SmartToken.get_or_none(
            SmartToken.refresh_hash == tokens.digest(refresh_token, "refresh"))
        if row is None:
            return None
        if row.refresh_revoked_at is not None:  # used again after rotation, or revoked
            if row.code_id:
                clients.revoke_tokens(SmartToken.code == row.code_id)
            return None
        if utcnow() - (row.last_used_at or row.issued_at) > SmartToken.REFRESH_LIFETIME \
                or (row.consent_id and (row.consent.revoked_at is not None
                                        or not consents.connected(row.consent, row.client))) \
                or not row.client.is_online:
            return None
        claimed = SmartToken.update(refresh_revoked_at=utcnow()).where(
            (SmartToken.id == row.id) & SmartToken.refresh_revoked_at.is_null()).execute()
        if not claimed:  # used by another request a moment before: a reuse
            if row.code_id:
                clients.revoke_tokens(SmartToken.code == row.code_id)
            return None
        return row  # rotated now, once; its access token stops when the new pair is saved

    def authenticate_user(self, refresh_token):
        return User.get_or_none((User.id == refresh_token.user_id) & User.active)

    def revoke_old_credential(self, refresh_token):
        now = utcnow()
        SmartToken.update(refresh_revoked_at=now, access_revoked_at=now).where(
            SmartToken.id == refresh_token.id).execute()


class Revocation(RevocationEndpoint):
    """RFC 7009: revoking either token of a pair revokes both."""

    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        access = SmartToken.get_or_none(SmartToken.access_hash == tokens.digest(token_string))
        refresh = SmartToken.get_or_none(
            SmartToken.refresh_hash == tokens.digest(token_string, "refresh"))
        return (refresh or access) if token_type_hint == "refresh_token" else (access or refresh)

    def revoke_token(self, token, request):
        now = utcnow()
        SmartToken.update(access_revoked_at=now, refresh_revoked_at=now).where(
            SmartToken.id == token.id).execute()


def save_token(token, request):
    """Store the new pair hashed; the response says which patient with launch/patient."""
    origin = request.authorization_code or request.refresh_token
    space = origin.space if origin.space_id else None
    with transaction():
        SmartToken.create(
            client=request.client.row, user=request.user, space=space,
            consent=origin.consent_id, scope=token.get("scope", ""),
            code=origin.id if isinstance(origin, SmartCode) else origin.code_id,
            access_hash=tokens.digest(token["access_token"]),
            refresh_hash=tokens.digest(token["refresh_token"], "refresh")
            if token.get("refresh_token") else None,
            expires_in=token.get("expires_in", ACCESS_LIFETIME))
    if space is not None and "launch/patient" in token.get("scope", "").split():
        token["patient"] = space.ref


def create_server(app):
    """The authorisation server of this app."""
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"authorization_code": ACCESS_LIFETIME,
                                                      "refresh_token": ACCESS_LIFETIME})
    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", True)
    server = AuthorizationServer()
    server.init_app(app, query_client=query_client, save_token=save_token)
    server.register_grant(AuthorizationCodeGrant,
                          [S256Challenge(required=True), IdToken(require_nonce=False)])
    server.register_grant(RefreshTokenGrant)
    server.register_endpoint(Revocation)
    app.extensions["smart_server"] = server
    return server

