"""Encryption at rest with the `cryptography` library (AES-256-GCM).

Master keys come from the configuration (`DATA_KEYS`), never from the database: a list of
(key id, 32-byte key), the first one current. Each stored file has a data key of its own,
wrapped by a master key; small secrets (TOTP secrets, what the outbox must send) are
sealed by the master key directly. Rotating the master key re-wraps data keys and
re-seals secrets; the files' contents are not rewritten.

A stored file: MAGIC, the master key's id, the wrapped data key, a nonce prefix, then
chunks of at most 64 KiB, each sealed with its number in the nonce and whether it is the
last one in the associated data, so that chunks cannot be reordered, dropped or cut.
"""

import base64
import io
import os
import secrets
import shutil
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

MAGIC = b"MESENC1\n"
CHUNK = 64 * 1024
_LAST, _MORE = b"last", b"more"


class Undecryptable(ValueError):
    """Data that no configured key opens, or that was altered."""


def parse_keys(text):
    """[(id, key)] from 'id:base64,id:base64' (or one per line)."""
    keys = []
    for item in text.replace("\n", ",").split(","):
        if item.strip():
            ident, _, encoded = item.strip().partition(":")
            key = base64.urlsafe_b64decode(encoded)
            if len(key) != 32 or not ident.isalnum() or len(ident) > 16:
                raise ValueError("DATA_KEYS: each key is id:base64 of 32 bytes")
            keys.append((ident, key))
    return keys


def new_key():
    """A new (id, key) pair."""
    return secrets.token_hex(4), secrets.token_bytes(32)


def format_keys(keys):
    """The text form of a key list, as DATA_KEYS and the key file hold it."""
    return "\n".join(f"{i}:{base64.urlsafe_b64encode(k).decode()}" for i, k in keys) + "\n"


def keys_from_instance(instance_path):
    """The key list kept in the instance folder, created (readable by its owner only) on
    first use; used when DATA_KEYS is not set."""
    path = Path(instance_path) / "data_keys"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(format_keys([new_key()]))
    return path.read_text()


def _keys():
    return parse_keys(current_app.config["DATA_KEYS"])


def _key(ident):
    for candidate, key in _keys():
        if candidate == ident:
            return key
    raise Undecryptable(f"no master key {ident!r}")


def _wrap(data_key):
    ident, master = _keys()[0]
    nonce = os.urandom(12)
    wrapped = nonce + AESGCM(master).encrypt(nonce, data_key, ident.encode())
    return ident, wrapped


def _unwrap(ident, wrapped):
    try:
        return AESGCM(_key(ident)).decrypt(wrapped[:12], wrapped[12:], ident.encode())
    except InvalidTag as error:
        raise Undecryptable("wrapped key altered") from error


def seal(text):
    """A small secret, sealed by the current master key (text out)."""
    ident, master = _keys()[0]
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(master).encrypt(nonce, text.encode(), ident.encode())
    return f"enc1:{ident}:{base64.urlsafe_b64encode(sealed).decode()}"


def unseal(token):
    """The secret of `seal`; a value that was never sealed (older rows) comes back as is."""
    if not token or not token.startswith("enc1:"):
        return token
    _prefix, ident, encoded = token.split(":", 2)
    raw = base64.urlsafe_b64decode(encoded)
    try:
        return AESGCM(_key(ident)).decrypt(raw[:12], raw[12:], ident.encode()).decode()
    except InvalidTag as error:
        raise Undecryptable("sealed value altered") from error


def is_sealed(token):
    """True for a value sealed by `seal`."""
    return bool(token) and token.startswith("enc1:")


class Writer:
    """Encrypts what is written to `out` (a binary file), chunk by chunk."""

    def __init__(self, out):
        self.out, self.buffer, self.counter, self.written = out, b"", 0, 0
        data_key = AESGCM.generate_key(bit_length=256)
        self.aead, self.prefix = AESGCM(data_key), os.urandom(8)
        ident, wrapped = _wrap(data_key)
        out.write(MAGIC + bytes([len(ident)]) + ident.encode() + wrapped + self.prefix)

    def write(self, data):
        self.buffer += bytes(data)
        self.written += len(data)
        while len(self.buffer) > CHUNK:
            self._emit(self.buffer[:CHUNK], last=False)
            self.buffer = self.buffer[CHUNK:]
        return len(data)

    def _emit(self, data, last):
        nonce = self.prefix + struct.pack(">I", self.counter)
        sealed = self.aead.encrypt(nonce, data, _LAST if last else _MORE)
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.counter += 1

    def close(self):
        """Write the last chunk (possibly empty): without it, a file reads as cut."""
        self._emit(self.buffer, last=True)
        self.buffer = b""

    def tell(self):
        return self.written

    def flush(self):
        self.out.flush()

    @staticmethod
    def seekable():
        return False


def _header(raw):
    if raw.read(len(MAGIC)) != MAGIC:
        raise Undecryptable("not an encrypted file")
    ident = raw.read(raw.read(1)[0]).decode()
    return ident, raw.read(12 + 48), raw.read(8)


class Reader:
    """Reads the plaintext of an encrypted file, checking every chunk."""

    def __init__(self, raw):
        self.raw, self.pending, self.counter, self.done = raw, b"", 0, False
        ident, wrapped, self.prefix = _header(raw)
        self.aead = AESGCM(_unwrap(ident, wrapped))

    def _next_chunk(self):
        size = self.raw.read(4)
        if len(size) < 4:
            raise Undecryptable("file cut short")
        sealed = self.raw.read(struct.unpack(">I", size)[0])
        nonce = self.prefix + struct.pack(">I", self.counter)
        self.counter += 1
        for marker in (_MORE, _LAST):
            try:
                plain = self.aead.decrypt(nonce, sealed, marker)
            except InvalidTag:
                continue
            self.done = marker == _LAST
            return plain
        raise Undecryptable("chunk altered")

    def read(self, size=-1):
        while not self.done and (size < 0 or len(self.pending) < size):
            self.pending += self._next_chunk()
        if size < 0:
            size = len(self.pending)
        data, self.pending = self.pending[:size], self.pending[size:]
        return data

    def close(self):
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @staticmethod
    def readable():
        return True


def rewrapped(data):
    """An encrypted file's bytes with its data key re-wrapped by the current master key
    (the object store's files), or None when it already is."""
    raw = io.BytesIO(data)
    ident, wrapped, prefix = _header(raw)
    current, new_wrapped = _wrap(_unwrap(ident, wrapped))
    if current == ident:
        return None
    return MAGIC + bytes([len(current)]) + current.encode() + new_wrapped + prefix + raw.read()


def rewrap(path):
    """Re-wrap a stored file's data key with the current master key (header only)."""
    with open(path, "rb") as raw:
        ident, wrapped, prefix = _header(raw)
        current, new_wrapped = _wrap(_unwrap(ident, wrapped))
        if current == ident:
            return False
        tmp = Path(str(path) + ".rewrap")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + bytes([len(current)]) + current.encode() + new_wrapped + prefix)
            shutil.copyfileobj(raw, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
    os.replace(tmp, path)
    return True
