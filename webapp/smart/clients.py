"""The client registry: catalogue apps and professional software as OAuth clients.

A catalogue app (webapp.models.catalogue.CatalogueApp) becomes a client of kind "app";
a professional's software is a client of kind "software". Redirect URIs match exactly,
except loopback ones (RFC 8252 §7.3): `http://127.0.0.1/cb` registered accepts
`http://127.0.0.1:<any port>/cb`.
"""

import datetime as dt
import re
import secrets
from urllib.parse import parse_qs, urlsplit

from peewee import JOIN

from webapp.db import transaction, utcnow
from webapp.models.catalogue import CatalogueApp
from webapp.models.smart import CLIENT_STATUSES, SmartClient, SmartToken
from webapp.smart import tokens

LOOPBACK_HOSTS = ("127.0.0.1", "[::1]")


def new_client_id(name):
    """A readable, unique client id: the name's letters and a random tail."""
    stem = re.sub(r"[^a-z0-9]+", "-", (name or "client").lower()).strip("-")[:30] or "client"
    return f"{stem}-{secrets.token_hex(4)}"


def register(name, kind, redirect_uris, scopes="", publisher="", description="",
             app=None, confidential=False, client_id=None, category="prevention"):
    """Register a client and return it; a confidential one carries its secret, shown
    once, in `client.issued_secret`. For kind "app" without `app`, the catalogue entry
    is created too (listed, online)."""
    if kind not in ("app", "software"):
        raise ValueError(kind)
    if isinstance(redirect_uris, str):
        redirect_uris = redirect_uris.split()
    secret = tokens.new_secret() if confidential else None
    with transaction():
        if kind == "app" and app is None:
            app = CatalogueApp.create(
                slug=new_client_id(name), name=name, publisher=publisher or name,
                category=category, summary=(description or name)[:300],
                description=description, referenced_at=dt.date.today())
        client = SmartClient.create(
            client_id=client_id or new_client_id(name), kind=kind,
            app=app if kind == "app" else None,
            software_name=name if kind == "software" else "",
            software_publisher=publisher if kind == "software" else "",
            software_description=description if kind == "software" else "",
            scopes=" ".join(scopes.split() if isinstance(scopes, str) else scopes),
            redirect_uris="\n".join(redirect_uris),
            secret_hash=tokens.digest(secret, "client") if secret else None)
    client.issued_secret = secret
    return client


def find(client_id):
    """The client with this id (any status), or None."""
    if not client_id or len(client_id) > 200:
        return None
    return (SmartClient.select(SmartClient, CatalogueApp)
            .join(CatalogueApp, JOIN.LEFT_OUTER)
            .where(SmartClient.client_id == client_id).first())


def for_app(app):
    """The client of a catalogue app, or None."""
    return SmartClient.get_or_none(SmartClient.app == app)


def set_status(client, status):
    """Put a client online, suspend or dereference it. Leaving "online" stops every
    token at once (authenticate checks the status at each request, and the tokens are
    revoked too); a dereferenced app leaves the catalogue."""
    if status not in CLIENT_STATUSES:
        raise ValueError(status)
    now = utcnow()
    with transaction():
        client.status, client.status_changed_at = status, now
        client.save(only=[SmartClient.status, SmartClient.status_changed_at])
        if status != "online":
            revoke_tokens(SmartToken.client == client, now)
        if client.app_id:
            CatalogueApp.update(active=status != "dereferenced").where(
                CatalogueApp.id == client.app_id).execute()


def revoke_tokens(condition, now=None):
    """Revoke every access and refresh token matching the condition; how many."""
    now = now or utcnow()
    count = SmartToken.update(access_revoked_at=now).where(
        condition & SmartToken.access_revoked_at.is_null()).execute()
    SmartToken.update(refresh_revoked_at=now).where(
        condition & SmartToken.refresh_revoked_at.is_null()
        & SmartToken.refresh_hash.is_null(False)).execute()
    return count


def redirect_uri_allowed(client, uri):
    """True when `uri` is registered, or is a registered loopback URI on another port."""
    if not uri or len(uri) > 2000:
        return False
    registered = client.redirect_uri_list
    if uri in registered:
        return True
    try:
        asked = urlsplit(uri)
        asked_port = asked.port
    except ValueError:
        return False
    if asked.scheme != "http" or asked.hostname is None \
            or _host(asked) not in LOOPBACK_HOSTS or asked_port is None:
        return False
    for candidate in registered:
        known = urlsplit(candidate)
        if known.scheme == "http" and _host(known) == _host(asked) and known.port is None \
                and known.path == asked.path and known.query == asked.query \
                and not asked.fragment and not asked.username:
            return True
    return False


def form_targets(client):
    """The CSP sources of the client's redirect URIs (a loopback URI: any port)."""
    sources = set()
    for uri in client.redirect_uri_list:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        if parts.scheme == "http" and _host(parts) in LOOPBACK_HOSTS and parts.port is None:
            sources.add(f"http://{_host(parts)}:*")
        else:
            sources.add(f"{parts.scheme}://{parts.netloc}")
    return sources


def form_targets_after(next_url):
    """Sources for a sign-in page whose next step is an authorisation: signing in may lead
    straight on to the app (a consent already given)."""
    parts = urlsplit(next_url or "")
    if parts.path != "/oauth/authorize" or parts.netloc:
        return set()
    client_id = parse_qs(parts.query).get("client_id", [""])[0][:200]
    client = SmartClient.get_or_none(SmartClient.client_id == client_id) if client_id else None
    return form_targets(client) if client is not None else set()


def _host(parts):
    host = parts.hostname or ""
    return f"[{host}]" if ":" in host else host
