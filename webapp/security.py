"""Password hashing (argon2id), TOTP for mediators, and HTTP security headers."""

import base64
import hashlib
import hmac
import struct
import time
from urllib.parse import urlsplit

import argon2
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, has_request_context, request
from werkzeug.datastructures import ImmutableMultiDict

_hashers = {}


def hasher():
    """The argon2id hasher for the configured profile (RFC 9106 low memory by default)."""
    name = current_app.config.get("ARGON2_PROFILE", "rfc_9106_low_memory")
    if name not in _hashers:
        profile = getattr(argon2.profiles, name.upper().replace("-", "_"))
        _hashers[name] = PasswordHasher.from_parameters(profile)
    return _hashers[name]


def hash_password(password):
    """An argon2id hash of the password."""
    return hasher().hash(password)


def check_password(user, password):
    """True if the password matches; rehash and save when parameters changed."""
    try:
        hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        user.save(only=[type(user).password_hash])
    return True


def burn_password_time(password):
    """Spend the time of one verification so unknown e-mails answer as slowly as known ones."""
    try:
        hasher().verify(_dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        pass


def _dummy_hash():
    key = "_dummy"
    if key not in _hashers:
        _hashers[key] = hash_password("not-a-password")
    return _hashers[key]


def keyed_hash(value, purpose):
    """HMAC-SHA256 of a short code under the server's key (SECRET_KEY): a copy of the
    database cannot try the million six-digit codes against it. High-entropy tokens
    (sessions, links) are stored as plain SHA-256: they cannot be guessed."""
    key = hashlib.sha256(b"codes:" + current_app.config["SECRET_KEY"].encode()).digest()
    message = f"{purpose}:{(value or '').strip().upper()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


TOTP_STEP = 30  # seconds (RFC 6238 default, what authenticator apps use)


def totp_at(secret, step, digits=6):
    """The RFC 6238 code (HMAC-SHA1, RFC 4226 truncation) of a base32 secret at a time step.

    Written here rather than taken from pyotp, whose recent versions refuse secrets
    shorter than 112 bits, such as the 80-bit demo secret of the product brief.
    """
    secret = secret.strip().replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10 ** digits:0{digits}d}"


def current_totp_step(now=None):
    """The time step a code typed now belongs to."""
    return int(now if now is not None else time.time()) // TOTP_STEP


def verify_totp(user, code):
    """Check an RFC 6238 code (±1 step for clock drift); each code works once."""
    if not user.totp_secret:
        return False
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return False
    now = current_totp_step()
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp_at(user.totp_secret, step), code):
            # one conditional UPDATE: a code (and any older one) works once, even when
            # the same code is sent twice at the same moment
            used = (type(user).update(totp_last_step=step)
                    .where((type(user).id == user.id) & (type(user).totp_last_step < step))
                    .execute())
            if used:
                user.totp_last_step = step
            return bool(used)
    return False


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; "
       "form-action 'self'")  # last: content_security_policy adds to it
NATIONAL_SIGNIN_ISSUERS = ("FRANCECONNECT_ISSUER", "PRO_SANTE_CONNECT_ISSUER")


def content_security_policy(config):
    """The policy; its form-action also allows the national sign-in providers' origins,
    where the sign-in buttons and the sign-out send the browser (browsers check form-action
    on the redirections that follow a form, too)."""
    origins = set()
    for key in NATIONAL_SIGNIN_ISSUERS:
        parts = urlsplit(config.get(key) or "")
        if parts.scheme in ("https", "http") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    if has_request_context():
        origins.update(g.get("form_targets", ()))
    return " ".join([CSP, *sorted(origins)])


def allow_form_target(*sources):
    """Let this page's forms lead to these origins too (browsers check form-action on the
    redirections that follow a form: an OAuth consent ends at the app's address)."""
    g.form_targets = set(g.get("form_targets", ())) | set(sources)


def init_app(app):
    """Add security headers; personal pages are never cached by the browser; a NUL
    character in the query string (nobody types one) is dropped before any view reads it."""

    @app.before_request
    def _no_nul_in_query():
        if "\x00" in request.query_string.decode("latin-1") or "%00" in \
                request.query_string.decode("latin-1"):
            request.__dict__["args"] = ImmutableMultiDict(
                [(k.replace("\x00", ""), v.replace("\x00", ""))
                 for k, v in request.args.items(multi=True)])

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", content_security_policy(current_app.config))
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "SAMEORIGIN")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SECURE_COOKIES"):
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            h["Cache-Control"] = "no-store"
        if "HX-Request" not in h.get("Vary", ""):
            h.add("Vary", "HX-Request")
        return response
