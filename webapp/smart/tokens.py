"""Tokens and codes: random, shown once, stored only as a keyed hash (HMAC-SHA256 under a
key derived from SECRET_KEY, as the app's other codes): a copy of the database can neither
use nor test them."""

import hashlib
import hmac
import secrets

from flask import current_app


def new_secret():
    """A fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def digest(value, purpose="token"):
    """The keyed hash stored instead of a token, code or client secret."""
    key = hashlib.sha256(b"oauth:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, f"{purpose}:{value or ''}".encode(), hashlib.sha256).hexdigest()


def same(value, stored, purpose="token"):
    """True when `value` hashes to `stored` (constant time)."""
    return bool(stored) and hmac.compare_digest(digest(value, purpose), stored)
