"""Files of the record (documents, attachments): content-addressed, written atomically.

A file is stored once under STORAGE_PATH/ab/cd/<sha256>, written to a temporary file in
the same directory, flushed to disk, then renamed: a crash leaves either no file or the
whole file, never half of one. Callers store the file *before* creating the database row
that points to it, inside the same request; an orphan file (row never created) is
harmless and can be collected, a row without its file cannot happen.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app

CHUNK = 64 * 1024
MAX_SIZE = 5 * 1024 * 1024

# Accepted types, recognised from the first bytes of the content, never from the name.
TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "text/plain": "txt",
    "application/rtf": "rtf",
}
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "text/plain"}


class FileRefused(ValueError):
    """The file cannot be stored; `reason` is 'empty', 'too_large' or 'type'."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def sniff(head):
    """The MIME type of content from its first bytes, or None when not accepted."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    if head and _looks_like_text(head):
        return "text/plain"
    return None


def _looks_like_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            return False
    return True


def root():
    """The storage directory."""
    return Path(current_app.config["STORAGE_PATH"])


def path_for(digest):
    """Where the file with this SHA-256 lives."""
    return root() / digest[:2] / digest[2:4] / digest


def store(stream, max_size=MAX_SIZE):
    """Write a file stream; return (sha256 hex digest, size, MIME type). Raises FileRefused."""
    head = stream.read(2048)
    mime = sniff(head)
    if not head:
        raise FileRefused("empty")
    if mime is None:
        raise FileRefused("type")
    base = root()
    (base / "tmp").mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=base / "tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_size:
                    raise FileRefused("too_large")
                digest.update(chunk)
                tmp.write(chunk)
                chunk = stream.read(CHUNK)
            tmp.flush()
            os.fsync(tmp.fileno())
        final = path_for(digest.hexdigest())
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_name, final)  # atomic on the same file system
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return digest.hexdigest(), size, mime


def open_blob(digest):
    """Open a stored file for reading."""
    return open(path_for(digest), "rb")


def exists(digest):
    """True when the file is on disk."""
    return path_for(digest).exists()
