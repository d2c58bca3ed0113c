"""Files of the record (documents, attachments): content-addressed, encrypted, written
atomically.

A file is stored once under STORAGE_PATH/ab/cd/<sha256 of its content>, encrypted with a
data key of its own (webapp.crypto: AES-256-GCM, the key wrapped by a master key from the
configuration), readable by the service's user only. It is written to a temporary file,
flushed to disk, then renamed: a crash leaves either no file or the whole file, never
half of one. Callers store the file *before* creating the database row
that points to it, inside the same request; an orphan file (row never created) is
harmless and is collected by `sweep` (the purge-expired command), a row without its
file cannot happen.

With STORAGE_URL=s3://bucket/prefix the same files (the same ciphertext, under the same
keys) go to an S3-compatible object store instead (webapp.storage.s3), so that several app
servers share them; the functions below work for both.
"""

import hashlib
import io
import os
import re
import tempfile
import time
from pathlib import Path

from flask import current_app

from webapp import crypto
from webapp.migrations import all_models
from webapp.storage import s3 as storage_s3
from webapp.storage.s3 import StorageUnavailable  # noqa: F401 (the 503 page's, rendering)

CHUNK = 64 * 1024
MAX_SIZE = 5 * 1024 * 1024
# Left-overs younger than this may belong to an upload still in progress: never swept.
SWEEP_GRACE = 24 * 3600
DIGEST = re.compile(r"[0-9a-f]{64}")

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


# Text that a browser would run or render as a page: never accepted as a document.
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|meta|"
                    rb"\?xml|xml|math|style|link|form)\b|\bon[a-z]+\s*=|javascript:",
                    re.IGNORECASE)


def sniff(head):
    """The MIME type of content from its first bytes, or None when not accepted (markup
    and scripts among them: only documents belong in the record)."""
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
    if head and _looks_like_text(head) and not MARKUP.search(head):
        return "text/plain"
    return None


def safe_filename(name, mime, fallback="document"):
    """The name a file is saved and downloaded under: no folder, no control character,
    and the extension of its real type (a text file is .txt, whatever it was called)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", base).strip(" .") or fallback
    stem = base.rsplit(".", 1)[0] if "." in base else base
    extension = TYPES.get(mime)
    return f"{stem[:150] or fallback}.{extension}" if extension else stem[:150] or fallback


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
    bucket = storage_s3.bucket()
    if bucket is not None:  # 5 MB at most: sealed in memory, sent in one PUT
        sealed = io.BytesIO()
        digest, size = _seal(head, stream, sealed, max_size)
        bucket.put(digest, sealed.getvalue())
        return digest, size, mime
    base = root()
    private_dir(base / "tmp")
    fd, tmp_name = tempfile.mkstemp(dir=base / "tmp")  # created readable by its owner only
    try:
        with os.fdopen(fd, "wb") as tmp:
            digest, size = _seal(head, stream, tmp, max_size)
            tmp.flush()
            os.fsync(tmp.fileno())
        final = path_for(digest)
        private_dir(final.parent)
        os.replace(tmp_name, final)  # atomic on the same file system
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return digest, size, mime


def _seal(head, stream, out, max_size):
    """Encrypt the stream (its first bytes already read) into `out`; (sha256, size)."""
    digest, size = hashlib.sha256(), 0
    sealed = crypto.Writer(out)
    chunk = head
    while chunk:
        size += len(chunk)
        if size > max_size:
            raise FileRefused("too_large")
        digest.update(chunk)
        sealed.write(chunk)
        chunk = stream.read(CHUNK)
    sealed.close()
    return digest.hexdigest(), size


def private_dir(path):
    """A directory (and its missing parents) only the service's user may enter."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def open_blob(digest):
    """Open a stored file for reading its content (decrypted, every chunk checked); files
    stored before encryption was in place are read as they are."""
    bucket = storage_s3.bucket()
    raw = io.BytesIO(bucket.get(digest)) if bucket else open(path_for(digest), "rb")
    if raw.read(len(crypto.MAGIC)) != crypto.MAGIC:
        raw.seek(0)
        return raw
    raw.seek(0)
    return crypto.Reader(raw)


def exists(digest):
    """True when the file is stored."""
    bucket = storage_s3.bucket()
    return bucket.exists(digest) if bucket else path_for(digest).exists()


def size(digest):
    """Bytes the stored (encrypted) file takes."""
    bucket = storage_s3.bucket()
    return bucket.size(digest) if bucket else path_for(digest).stat().st_size


def writable():
    """True when a file can be written now (what /healthz checks)."""
    bucket = storage_s3.bucket()
    if bucket is not None:
        return bucket.writable()
    try:
        os.makedirs(root(), exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root(), prefix=".health-"):
            pass
    except OSError:
        return False
    return True


def rewrap_objects():
    """Re-wrap the object store's files with the current master key; how many changed
    (0 with files on disk: rotate-keys walks the folder itself)."""
    bucket = storage_s3.bucket()
    return bucket.rewrap() if bucket else 0


def file_fields(model):
    """Names of the fields of a model that hold the SHA-256 of a stored file."""
    return [name for name in model._meta.fields if name in ("sha256", "digest")]


def is_referenced(digest):
    """True when a row of any table still points to this stored file."""
    return any(model.select().where(getattr(model, name) == digest).exists()
               for model in all_models() for name in file_fields(model))


def sweep(grace=SWEEP_GRACE, now=None):
    """Delete what a crash can leave behind, once older than `grace` seconds: temporary
    files of interrupted uploads, and stored files no row points to (a process that died
    between storing the file and creating its row). Returns (temporary, orphans) counts."""
    cutoff = (now or time.time()) - grace
    bucket = storage_s3.bucket()
    if bucket is not None:  # no temporary object: an upload is one PUT
        orphans = [digest for digest, modified in bucket.stored()
                   if DIGEST.fullmatch(digest) and modified < cutoff
                   and not is_referenced(digest)]
        for digest in orphans:
            bucket.delete(digest)
        return 0, len(orphans)
    base = root()
    temporary = orphans = 0
    for path in (base / "tmp").glob("*") if (base / "tmp").is_dir() else ():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            temporary += 1
    for path in base.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
        if (DIGEST.fullmatch(path.name) and path.stat().st_mtime < cutoff
                and not is_referenced(path.name)):
            path.unlink(missing_ok=True)
            orphans += 1
    return temporary, orphans


def release(digest):
    """Delete a stored file once no row points to it (a receiver of signals.file_released)."""
    if DIGEST.fullmatch(digest or "") and not is_referenced(digest):
        bucket = storage_s3.bucket()
        if bucket is not None:
            bucket.delete(digest)
        else:
            path_for(digest).unlink(missing_ok=True)
