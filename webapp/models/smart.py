"""The OAuth 2 side of the API (SMART App Launch): clients, consents, codes and tokens.

A client is a catalogue app (kind "app", for citizens, `patient/` scopes) or a
professional's software (kind "software", `user/` scopes). Codes and tokens are stored as
keyed hashes only (webapp.smart.tokens.digest): a copy of the database opens nothing.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.catalogue import CatalogueApp
from webapp.models.spaces import Space

CLIENT_KINDS = {"app": _l("Application du catalogue"), "software": _l("Logiciel professionnel")}
CLIENT_STATUSES = {
    "online": _l("En ligne"),
    "suspended": _l("Suspendue"),
    "dereferenced": _l("Déréférencée"),
}


class SmartClient(BaseModel):
    """An OAuth client. For a catalogue app, the name, publisher, description and themes
    are the app's (one place); a professional software holds its own."""

    client_id = CharField(unique=True)
    kind = CharField(choices=[(k, k) for k in CLIENT_KINDS])
    app = ForeignKeyField(CatalogueApp, null=True, unique=True, backref="smart_clients",
                          on_delete="CASCADE")
    software_name = CharField(default="")
    software_publisher = CharField(default="")
    software_description = TextField(default="")
    scopes = TextField(default="")  # SMART scopes it may ask for, space-separated
    redirect_uris = TextField(default="")  # one a line
    secret_hash = CharField(null=True)  # confidential clients only
    status = CharField(default="online", choices=[(s, s) for s in CLIENT_STATUSES])
    status_changed_at = DateTimeField(default=utcnow)
    created_at = DateTimeField(default=utcnow)

    @property
    def name(self):
        """The name shown on the consent page and in the access history."""
        return self.app.name if self.app_id else self.software_name

    @property
    def publisher(self):
        """Who publishes it."""
        return self.app.publisher if self.app_id else self.software_publisher

    @property
    def description(self):
        """What it is for."""
        return (self.app.summary if self.app_id else self.software_description) or ""

    @property
    def is_online(self):
        """Only an online client gets codes and tokens, and its tokens work."""
        return self.status == "online"

    @property
    def status_label(self):
        """The status, translated."""
        return CLIENT_STATUSES.get(self.status, self.status)

    @property
    def kind_label(self):
        """The kind, translated."""
        return CLIENT_KINDS.get(self.kind, self.kind)

    @property
    def redirect_uri_list(self):
        """The registered redirect URIs."""
        return [u.strip() for u in self.redirect_uris.splitlines() if u.strip()]

    @property
    def scope_list(self):
        """The scopes it may ask for."""
        return self.scopes.split()


class SmartConsent(BaseModel):
    """What one person accepted and refused for one client on one space (None for a
    professional's software); remembered until revoked."""

    user = ForeignKeyField(User, backref="smart_consents", on_delete="CASCADE")
    client = ForeignKeyField(SmartClient, backref="consents", on_delete="CASCADE")
    space = ForeignKeyField(Space, null=True, backref="smart_consents", on_delete="CASCADE")
    granted = TextField(default="")
    refused = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    last_access_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "client", "space"), False),)

    @property
    def granted_set(self):
        """The scopes accepted."""
        return frozenset(self.granted.split())

    @property
    def refused_set(self):
        """The scopes refused."""
        return frozenset(self.refused.split())


class SmartCode(BaseModel):
    """An authorization code (10 minutes, once): its hash, PKCE challenge and choices."""

    code_hash = CharField(unique=True)
    client = ForeignKeyField(SmartClient, backref="codes", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="smart_codes", on_delete="CASCADE")
    space = ForeignKeyField(Space, null=True, backref="smart_codes", on_delete="CASCADE")
    consent = ForeignKeyField(SmartConsent, backref="codes", on_delete="CASCADE")
    redirect_uri = TextField(default="")
    scope = TextField(default="")
    code_challenge = CharField(default="")
    code_challenge_method = CharField(default="")
    nonce = CharField(default="")  # OpenID Connect, copied into the ID token
    created_at = DateTimeField(default=utcnow)
    used_at = DateTimeField(null=True)

    LIFETIME = dt.timedelta(minutes=10)

    def get_redirect_uri(self):
        """Authlib: the redirect URI the code was issued for."""
        return self.redirect_uri

    def get_scope(self):
        """Authlib: the scopes granted."""
        return self.scope

    def is_expired(self, now=None):
        """Older than its lifetime."""
        return (now or utcnow()) - self.created_at > self.LIFETIME

    def get_nonce(self):
        """Authlib (OpenID Connect): the nonce of the request, or None."""
        return self.nonce or None

    def get_auth_time(self):
        """Authlib (OpenID Connect): when the person answered (seconds since 1970)."""
        return int(self.created_at.replace(tzinfo=dt.UTC).timestamp())

    def get_acr(self):
        """Authlib (OpenID Connect): no authentication class is claimed."""
        return None

    def get_amr(self):
        """Authlib (OpenID Connect): no authentication method is claimed."""
        return None


class SmartToken(BaseModel):
    """An access token and, with offline_access, its refresh token (both hashed).
    Refreshing revokes the refresh token used (rotation)."""

    client = ForeignKeyField(SmartClient, backref="tokens", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="smart_tokens", on_delete="CASCADE")
    space = ForeignKeyField(Space, null=True, backref="smart_tokens", on_delete="CASCADE")
    consent = ForeignKeyField(SmartConsent, null=True, backref="tokens", on_delete="CASCADE")
    code = ForeignKeyField(SmartCode, null=True, backref="tokens", on_delete="SET NULL")
    scope = TextField(default="")
    access_hash = CharField(unique=True)
    refresh_hash = CharField(unique=True, null=True)
    issued_at = DateTimeField(default=utcnow)
    expires_in = IntegerField(default=600)
    access_revoked_at = DateTimeField(null=True)
    refresh_revoked_at = DateTimeField(null=True)
    last_used_at = DateTimeField(null=True)

    # A refresh token lives as long as the consent, up to this long without use.
    REFRESH_LIFETIME = dt.timedelta(days=90)

    def check_client(self, client):
        """Authlib: issued to this client."""
        return self.client_id == getattr(client, "row", client).id

    def get_scope(self):
        """Authlib: the scopes of the token."""
        return self.scope

    def get_expires_in(self):
        """Authlib: seconds of validity of the access token."""
        return self.expires_in

    def is_expired(self, now=None):
        """The access token is past its lifetime."""
        return (now or utcnow()) >= self.issued_at + dt.timedelta(seconds=self.expires_in)

    def is_revoked(self):
        """Authlib: the access token was revoked."""
        return self.access_revoked_at is not None

    def get_user(self):
        """Authlib: who authorised."""
        return self.user

    def get_client(self):
        """Authlib: the client."""
        return self.client


class SmartReport(BaseModel):
    """A citizen's report of an app to the administrators."""

    client = ForeignKeyField(SmartClient, backref="reports", on_delete="CASCADE")
    user = ForeignKeyField(User, null=True, backref="smart_reports", on_delete="SET NULL")
    reason = TextField()
    created_at = DateTimeField(default=utcnow)
    handled_at = DateTimeField(null=True)
