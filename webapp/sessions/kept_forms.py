"""The form a person was filling when their session ended, kept to be filled in again.

A POST that arrives after the session ended (or while a mediator's code is due) passed
the CSRF check, so it comes from this site's page in this browser. Its text fields are
sealed (webapp.crypto) in a KeptForm for an hour, bound to a random id in a cookie of
this browser and to the account whose session it was. Passwords, CSRF tokens and files
are never kept (how many files were dropped is, to say so). Once the same account is
signed in again in the same browser, the first form of the page it was sent from is
filled with the values (webapp.forms.Form), once; the person sends it themselves.
"""

import datetime as dt
import hashlib
import json
import secrets
from urllib.parse import unquote, urlsplit

from flask import current_app, has_request_context, request
from flask_login import current_user

from webapp import crypto
from webapp.db import utcnow
from webapp.models.kept_forms import KeptForm

TTL = dt.timedelta(hours=1)
MAX_TEXT = 64 * 1024  # a form's text beyond this is not kept
PER_ACCOUNT = 5  # the most recent forms kept per account
NEVER_KEPT = {"csrf_token", "next"}


def cookie_name():
    """The browser id's cookie (a __Host- cookie when cookies are secure)."""
    return "__Host-kept" if current_app.config.get("SECURE_COOKIES") else "kept"


def _hash(browser_id):
    return hashlib.sha256(browser_id.encode()).hexdigest()


def _kept_field(name):
    lowered = name.lower()
    return name not in NEVER_KEPT and "password" not in lowered and "mot_de_passe" not in lowered


def keep(user, page_path):
    """Keep the request's form for this user and page; return the browser id to set in
    the cookie, or None when nothing was kept."""
    fields = [(k, v) for k, v in request.form.items(multi=True) if _kept_field(k)]
    files = sum(1 for k in request.files for f in request.files.getlist(k) if f and f.filename)
    if not fields or sum(len(k) + len(v) for k, v in fields) > MAX_TEXT:
        return None
    now, page_path = utcnow(), unquote(urlsplit(page_path).path)
    KeptForm.delete().where(KeptForm.expires_at <= now).execute()
    browser_id = request.cookies.get(cookie_name()) or secrets.token_urlsafe(32)
    sealed = crypto.seal(json.dumps({"user": user.id, "page": page_path, "fields": fields}))
    KeptForm.create(user=user, browser_hash=_hash(browser_id), page_path=page_path,
                    sealed=sealed, files_dropped=files, created_at=now, expires_at=now + TTL)
    old = (KeptForm.select(KeptForm.id).where(KeptForm.user == user)
           .order_by(KeptForm.id.desc()).offset(PER_ACCOUNT))
    KeptForm.delete().where(KeptForm.id.in_([r.id for r in old])).execute()
    return browser_id


def set_cookie(response, browser_id):
    """Give the browser its id, for as long as what it keeps."""
    response.set_cookie(cookie_name(), browser_id, max_age=int(TTL.total_seconds()),
                        path="/", secure=bool(current_app.config.get("SECURE_COOKIES")),
                        httponly=True, samesite="Lax")


def take(field_names):
    """For a GET of a page by a signed-in person in the browser that kept a form of theirs
    on this page: (values as [(name, value)], files dropped), removed once taken, when
    most of its fields are fields of this form; else None. No cookie, no query."""
    if not has_request_context():
        return None
    browser_id = request.cookies.get(cookie_name())
    if not browser_id or request.method != "GET" or not current_user.is_authenticated:
        return None
    row = (KeptForm.usable().where((KeptForm.browser_hash == _hash(browser_id))
                                   & (KeptForm.user == current_user.id)
                                   & (KeptForm.page_path == request.path))
           .order_by(KeptForm.id.desc()).first())
    if row is None:
        return None
    try:
        content = json.loads(crypto.unseal(row.sealed))
    except (crypto.Undecryptable, ValueError):
        row.delete_instance()
        return None
    if content.get("user") != current_user.id:
        return None
    names = {k for k, _v in content["fields"]}
    if len(names & set(field_names)) * 2 < len(names):
        return None
    row.delete_instance()
    return [tuple(pair) for pair in content["fields"]], row.files_dropped
