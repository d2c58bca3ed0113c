"""Helpers of the SMART tests: the app served on a loopback port (for Authlib's client,
which speaks real HTTP), and one authorisation driven through the consent page."""

import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from werkzeug.serving import make_server

REDIRECT = "http://127.0.0.1:8765/callback"  # registered as http://127.0.0.1/callback


@pytest.fixture(name="served")
def served_app(app):
    """The test app on 127.0.0.1:<free port>, in a thread (same database)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def session_for(client_row, scope, redirect_uri=REDIRECT, secret=None):
    """Authlib's OAuth 2 client for a registered client, with PKCE S256."""
    return OAuth2Session(client_row.client_id, secret, scope=scope, redirect_uri=redirect_uri,
                         code_challenge_method="S256",
                         token_endpoint_auth_method="client_secret_basic" if secret
                         else "none")


def authorize_url(session, base="http://localhost", **extra):
    """(path and query of the authorisation request, state, code verifier)."""
    verifier = generate_token(48)
    url, state = session.create_authorization_url(f"{base}/oauth/authorize",
                                                  code_verifier=verifier, **extra)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}", state, verifier


def consent_fields(doc):
    """{scope code: field name} of the consent page's questions."""
    fields = {}
    for fieldset in doc.find_all("fieldset"):
        radio = fieldset.find("input", type="radio")
        hint = next((n for n in fieldset.iter() if n.get("class") == "field__hint"), None)
        if radio is not None and hint is not None and radio.get("name", "").startswith("q"):
            fields[hint.text.strip()] = radio.get("name")
    return fields


def answer(client, path, doc, accept, refuse=()):
    """Post the consent form: `accept`ed scopes "oui", `refuse`d ones "non"."""
    fields = consent_fields(doc)
    data = {fields[s]: "oui" for s in accept if s in fields}
    data.update({fields[s]: "non" for s in refuse if s in fields})
    data["decision"] = "answer"
    return client.submit(path, data)


def code_of(response):
    """The query of the redirect back to the client, as a dict of single values."""
    assert response.status_code == 302, response.text[:500]
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}
