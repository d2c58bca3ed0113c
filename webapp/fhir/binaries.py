"""Binary create: a file sent before the DocumentReference that names it (for software
that uploads first). The file is stored (encrypted, content-addressed) and its id is
its SHA-256; a DocumentReference then names it in `content[0].attachment.url`
(`Binary/<id>`), and the record's action stores it again as any upload.

Only a file no row points to yet can be named this way (a fresh upload), so an id never
reaches a document of the record; one never named is swept after a day (storage.sweep).
"""

import re

from webapp import storage
from webapp.fhir.errors import FhirError, invalid

PENDING = re.compile(r"(?:.*/)?Binary/([0-9a-f]{64})")


def store(content):
    """Store the file of a Binary; returns (id, MIME type)."""
    if len(content) > storage.MAX_SIZE:
        raise FhirError(413, "too-costly", "The file is over 5 MB")
    try:
        digest, _size, mime = storage.store(_Stream(content))
    except storage.FileRefused as refused:
        if refused.reason == "too_large":
            raise FhirError(413, "too-costly", "The file is over 5 MB") from None
        raise invalid("The file is empty" if refused.reason == "empty" else
                      "Send a PDF, an image (JPEG, PNG, TIFF), plain text or RTF") from None
    return digest, mime


def pending(url):
    """The content of the fresh Binary this url names; 400 when it names none."""
    match = PENDING.fullmatch(url or "")
    digest = match.group(1) if match else None
    if digest is None or not storage.exists(digest) or storage.is_referenced(digest):
        raise invalid("content[0].attachment: give the file inline (data) or the url "
                      "Binary/<id> of a Binary you just created")
    with storage.open_blob(digest) as blob:
        return blob.read(storage.MAX_SIZE + 1)


class _Stream:
    """Bytes read in chunks, as storage.store reads an upload."""

    def __init__(self, content):
        self.content, self.position = content, 0

    def read(self, size=-1):
        end = len(self.content) if size < 0 else self.position + size
        chunk = self.content[self.position:end]
        self.position += len(chunk)
        return chunk
