"""Test helpers: a client that checks each page's structure and posts with a CSRF token,
and small factories. Every page test fetches pages through PageClient.page().

The page parser and its structural check live in tests.helpers_pages, the factories in
tests.helpers_factories; both are imported from here, as the tests always have."""

import hashlib
import os

from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from tests.helpers_factories import (
    PASSWORD,
    PDF,
    act_for,
    camille_signed_in,
    followed_patient,
    give_mandate,
    logged,
    make_child,
    make_document,
    make_ines,
    make_space,
    make_user,
    sign_in_on,
    space_path,
)
from tests.helpers_pages import Node, check_structure, parse
from webapp.models.accounts import User
from webapp.security import current_totp_step, totp_at

__all__ = ["PASSWORD", "PDF", "Node", "PageClient", "act_for", "camille_signed_in",
           "check_structure", "followed_patient", "give_mandate", "logged", "make_child",
           "make_document", "make_ines", "make_space", "make_user", "parse", "sign_in_on",
           "space_path", "totp_now"]


def totp_now(secret, offset=0):
    """The code an authenticator app shows now (offset in 30-second steps)."""
    return totp_at(secret, current_totp_step() + offset)


class PageClient(FlaskClient):
    """Flask's test client with page checks, CSRF-aware posts and sign-in."""

    def open(self, *args, **kwargs):
        """Each request starts with an empty `g`, as in production.

        Tests keep an app context open (for factories); Flask then reuses it for
        requests, and `g` (the loaded user, the grant) would leak from one request
        to the next.
        """
        from flask import g, has_app_context

        if has_app_context():
            vars(g).clear()
        response = super().open(*args, **kwargs)
        stream = response.request.environ.get("wsgi.input")
        if hasattr(stream, "close"):  # a large body the app refused (413) is not left open
            stream.close()
        return response

    def page(self, url, status=200, fragment=False, headers=None, **kwargs):
        """GET a page, assert status and structure, and return (response, parsed doc)."""
        headers = dict(headers or {})
        if fragment:
            headers.setdefault("HX-Request", "true")
        response = self.get(url, headers=headers, **kwargs)
        assert response.status_code == status, (
            f"GET {url}: {response.status_code} != {status}\n{response.text[:2000]}")
        doc = parse(response.text)
        if response.mimetype == "text/html" and status < 300:
            problems = check_structure(doc, fragment=fragment)
            assert not problems, f"GET {url}: " + "; ".join(problems)
        return response, doc

    def csrf_token(self):
        """A valid CSRF token for this client's session (as the page's forms carry)."""
        app = self.application
        with self.session_transaction() as session:
            if "csrf_token" not in session:
                session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
            raw = session["csrf_token"]
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def submit(self, url, data=None, headers=None, **kwargs):
        """POST a form with a CSRF token, like the browser does."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, headers=headers, **kwargs)

    def sign_in(self, email, password=PASSWORD, totp_secret=None):
        """Sign in through the real form (and the code step for mediators)."""
        response = self.submit("/connexion", {"email": email, "password": password})
        assert response.status_code == 303, response.text[:2000]
        if response.headers["Location"].endswith("/connexion/code"):
            user = User.by_email(email)
            code = totp_now(totp_secret or user.totp_secret)
            response = self.submit("/connexion/code", {"code": code})
            assert response.status_code == 303, response.text[:2000]
        return response
