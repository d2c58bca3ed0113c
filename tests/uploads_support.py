"""Helpers of the phone-upload tests: photos as phones take them (a 12 MP JPEG held
sideways, a HEIC, both with their GPS position), what was stored, Camille signed in on
her space, and the add-a-document form sent."""

import io
import random

import pytest
from PIL import Image

from tests.helpers import camille_signed_in, space_path
from webapp import storage

GPS, ORIENTATION, MAKE = 0x8825, 0x0112, 0x010F
PARIS = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}


def _exif(orientation=6):
    """EXIF as a phone writes it: turned on its side (6: rotate 90°), a make, a position."""
    exif = Image.Exif()
    exif[ORIENTATION], exif[MAKE] = orientation, "PhoneMaker"
    exif.get_ifd(GPS).update(PARIS)
    return exif.tobytes()


def phone_jpeg(width=4032, height=3024, quality=87, seed=1):
    """A 12 MP photo of smooth noise, about 6.4 MB, held sideways with its GPS position."""
    small = (width // 3, height // 3)
    noise = random.Random(seed).randbytes(small[0] * small[1] * 3)
    image = Image.frombytes("RGB", small, noise).resize((width, height), Image.BILINEAR)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=_exif())
    return out.getvalue()


def phone_heic(width=640, height=480):
    """A small HEIC photo (as iPhones take them) with its GPS position."""
    noise = random.Random(2).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), noise).save(out, format="HEIF", quality=60,
                                                        exif=_exif(orientation=1))
    return out.getvalue()


def _stored(doc):
    """The bytes stored for a document."""
    with storage.open_blob(doc.sha256) as blob:
        return blob.read()


def _has_no_metadata(data):
    """Whether an image carries no EXIF, no XMP and no trace of the phone."""
    image = Image.open(io.BytesIO(data))
    return (not dict(image.getexif()) and "exif" not in image.info and "xmp" not in image.info
            and b"Exif\x00\x00" not in data and b"PhoneMaker" not in data)


@pytest.fixture(name="camille")
def camille_fixture(client, db):
    """Camille Martin's space, with the client signed in as her."""
    return camille_signed_in(client)


def _add(client, space, content=None, filename="scan.pdf", **fields):
    """Send the add-a-document form of the space (with a file when content is given)."""
    data = dict(title="Ordonnance", document_date="2026-02-03", category="ORD_SOIN")
    data.update(fields)
    if content is not None:
        data["file"] = (io.BytesIO(content), filename)
    return client.submit(space_path(space, "/documents/ajouter"), data,
                         content_type="multipart/form-data")
