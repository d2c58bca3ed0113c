"""The keys of the access log's MACs (entries, chain heads, checkpoints), from the
configuration, never from the database.

`AUDIT_KEYS` lists "id:secret" pairs (commas or new lines), the first one current; older
ones are kept to verify what they signed, never to sign. `AUDIT_KEY`, the first key the
log had, comes last with the empty id: its MACs are bare hex, so that entries written
before rotation existed verify unchanged. A MAC made with another key reads "id$hex".

A key's rank is its place in the list (0: current). Along a chain, and from one
checkpoint to the next, ranks never go back to an older key, and a chain head is sealed
with the current key (rotate-audit-key reseals them): a retired key that leaks can forge
nothing that a newer key already covers.
"""

import hashlib
import hmac
import secrets

from flask import current_app

SEPARATOR = "$"


class UnusableKeys(ValueError):
    """AUDIT_KEYS is not a list of id:secret with short alphanumeric ids."""


def parse(text):
    """[(id, secret bytes)] from 'id:secret,id:secret' (or one per line)."""
    keys = []
    for item in (text or "").replace("\n", ",").split(","):
        if not item.strip():
            continue
        ident, _, secret = item.strip().partition(":")
        if not ident.isalnum() or len(ident) > 16 or len(secret) < 32:
            raise UnusableKeys("AUDIT_KEYS: each key is id:secret (id alphanumeric, at most "
                               "16 characters; secret at least 32 characters)")
        keys.append((ident, secret.encode()))
    return keys


def keyring():
    """[(id, secret)], the current key first, the original AUDIT_KEY (id '') last."""
    keys = parse(current_app.config.get("AUDIT_KEYS", ""))
    if current_app.config.get("AUDIT_KEY"):
        keys.append(("", current_app.config["AUDIT_KEY"].encode()))
    if not keys:
        raise UnusableKeys("no AUDIT_KEY nor AUDIT_KEYS is configured")
    return keys


def new_key():
    """A new 'id:secret' line for AUDIT_KEYS."""
    return f"{secrets.token_hex(4)}:{secrets.token_hex(32)}"


def sign(message):
    """The MAC of a message under the current key, naming the key unless it is the
    original one."""
    ident, secret = keyring()[0]
    digest = hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()
    return f"{ident}{SEPARATOR}{digest}" if ident else digest


def rank(message, value):
    """The rank of the key that made this MAC of the message, or None when no configured
    key made it (altered, forged, or made with a key since removed)."""
    ident, _, digest = (value or "").rpartition(SEPARATOR)
    for position, (candidate, secret) in enumerate(keyring()):
        if candidate == ident:
            expected = hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()
            return position if hmac.compare_digest(expected, digest) else None
    return None
