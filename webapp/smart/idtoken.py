"""OpenID Connect ID tokens for `openid` (and `fhirUser`), with Authlib's OpenIDCode:
signed ES256 with the server's key, published at /oauth/jwks.

The key comes from SMART_ID_TOKEN_KEY (a private EC P-256 JWK, JSON), else from
`instance/smart_id_token_key`, generated once and readable by the service user only.
`sub` is a keyed hash of the account (stable, reveals nothing); `fhirUser` names the
person's own Patient (a citizen with a space of their own) when asked.
"""

import json
import os
from pathlib import Path

from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import current_app, url_for
from joserfc.jwk import ECKey

from webapp import policy
from webapp.models.smart import SmartCode
from webapp.smart import tokens

ALG = "ES256"
ID_TOKEN_LIFETIME = 600


def signing_key():
    """The private signing key (loaded once per app)."""
    app = current_app._get_current_object()
    key = app.extensions.get("smart_id_token_key")
    if key is None:
        key = ECKey.import_key(json.loads(_key_text(app)))
        app.extensions["smart_id_token_key"] = key
    return key


def _key_text(app):
    if app.config.get("SMART_ID_TOKEN_KEY") or os.environ.get("SMART_ID_TOKEN_KEY"):
        return app.config.get("SMART_ID_TOKEN_KEY") or os.environ["SMART_ID_TOKEN_KEY"]
    path = Path(app.instance_path) / "smart_id_token_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ECKey.generate_key("P-256", private=True, auto_kid=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker wrote it first
            return path.read_text()
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps(key.as_dict(private=True)))
    return path.read_text()


def jwks():
    """The public key set."""
    return {"keys": [dict(signing_key().as_dict(private=False), use="sig", alg=ALG)]}


def issuer():
    """The issuer named in the ID tokens and the metadata."""
    return url_for("home.index", _external=True).rstrip("/")


class IdToken(OpenIDCode):
    """Authlib's OpenID Connect extension of the code grant, with our key and claims."""

    def exists_nonce(self, nonce, request):
        return SmartCode.select().where(
            (SmartCode.nonce == nonce[:255])
            & (SmartCode.client == request.client.row)).exists()

    def resolve_client_private_key(self, client):
        return signing_key()

    def get_client_algorithm(self, client):
        return ALG

    def get_encode_header(self, client):
        return {"alg": ALG, "kid": signing_key().kid}

    def get_client_claims(self, client):
        return {"iss": issuer(), "aud": [client.get_client_id()]}

    def get_compatible_claims(self, request):
        claims = super().get_compatible_claims(request)
        claims["exp"] = claims["iat"] + ID_TOKEN_LIFETIME
        return claims

    def generate_user_info(self, user, scope):
        info = UserInfo(sub=tokens.digest(str(user.id), "sub")[:40])
        if "fhirUser" in scope.split():
            own = policy.own_space(user)
            if own is not None:
                info["fhirUser"] = url_for("smart.smart_configuration", _external=True) \
                    .replace("/.well-known/smart-configuration", f"/Patient/{own.ref}")
        return info
