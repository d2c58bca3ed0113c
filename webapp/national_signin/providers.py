"""The national identity providers, from the settings: each is on only when configured.
Their metadata comes from the issuer's discovery document and is kept an hour."""

import time
from dataclasses import dataclass

import requests
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, url_for

FRANCECONNECT = "franceconnect"
PRO_SANTE_CONNECT = "pro_sante_connect"
TIMEOUT = 5  # seconds for every call to a provider
METADATA_TTL = 3600


class Unavailable(Exception):
    """The provider cannot be reached, or its discovery document is not its own."""


@dataclass(frozen=True)
class Provider:
    """A national identity provider: its settings' prefix and the account role it signs in."""

    name: str
    prefix: str
    role: str
    callback: str  # the endpoint it sends the person back to

    def setting(self, key):
        """One of this provider's settings (ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPES…)."""
        return current_app.config.get(f"{self.prefix}_{key}", "")

    @property
    def enabled(self):
        """On only when the issuer, client id and secret are all set."""
        return all(self.setting(k) for k in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"))

    @property
    def issuer(self):
        return self.setting("ISSUER").rstrip("/")

    def redirect_uri(self):
        """The callback address, as registered with the provider."""
        return url_for(self.callback, _external=True)

    def client(self, **kwargs):
        """An Authlib OAuth 2 session for this provider (PKCE S256, every call time-limited)."""
        return OAuth2Session(self.setting("CLIENT_ID"), self.setting("CLIENT_SECRET"),
                             scope=self.setting("SCOPES"), redirect_uri=self.redirect_uri(),
                             code_challenge_method="S256", default_timeout=TIMEOUT, **kwargs)

    def metadata(self, force=False):
        """The discovery document (.well-known/openid-configuration), cached an hour."""
        cache = current_app.extensions.setdefault("oidc_metadata", {})
        fetched = cache.get(self.issuer)
        if fetched and not force and time.monotonic() - fetched[0] < METADATA_TTL:
            return fetched[1]
        document = _get_json(self.issuer + "/.well-known/openid-configuration")
        if document.get("issuer", "").rstrip("/") != self.issuer:
            raise Unavailable("the discovery document names another issuer")
        cache[self.issuer] = (time.monotonic(), document)
        return document

    def jwks(self, force=False):
        """The provider's public keys; fetched again when a token names an unknown key."""
        cache = current_app.extensions.setdefault("oidc_jwks", {})
        if force or self.issuer not in cache:
            cache[self.issuer] = _get_json(self.metadata()["jwks_uri"])
        return cache[self.issuer]


def _get_json(url):
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise Unavailable(str(error)) from error


PROVIDERS = {
    FRANCECONNECT: Provider(FRANCECONNECT, "FRANCECONNECT", "citizen",
                            "national_signin.franceconnect_back"),
    PRO_SANTE_CONNECT: Provider(PRO_SANTE_CONNECT, "PRO_SANTE_CONNECT", "professional",
                                "national_signin.pro_sante_connect_back"),
}


def enabled(name):
    """The provider of this name if it is configured, else None."""
    provider = PROVIDERS[name]
    return provider if provider.enabled else None
