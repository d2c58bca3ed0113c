"""Uploads from a phone: a photo over 5 MB is made to fit (upright, without its location),
a HEIC photo becomes a JPEG, a photo that fits stays as it came unless it says where, a
file that is not a photo is still refused over 5 MB, and the browser checks the size."""

import io
import random
import time

import pillow_heif
import pytest
from PIL import Image

from tests.helpers import PDF, space_path
from tests.uploads_support import (
    GPS,
    _add,
    _has_no_metadata,
    _stored,
    camille_fixture,  # noqa: F401 (the fixture "camille")
    phone_heic,
    phone_jpeg,
)
from webapp import storage
from webapp.models.documents import Document
from webapp.models.uploads import ReceivedFile
from webapp.record import photos


def test_a_64_mb_phone_photo_is_made_to_fit_upright_and_without_its_location(client,
                                                                             camille):
    photo = phone_jpeg()
    assert 6.0e6 < len(photo) < 7.0e6 and Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS)
    started = time.perf_counter()
    response = _add(client, camille, photo, "IMG_2041.JPG")
    elapsed = time.perf_counter() - started
    assert response.status_code == 303, response.text[:1000]
    doc = Document.get()
    data = _stored(doc)
    assert doc.mime == "image/jpeg" and doc.size == len(data) <= storage.MAX_SIZE
    assert Image.open(io.BytesIO(data)).size == (3024, 4032)  # upright, full resolution
    assert _has_no_metadata(data)
    assert doc.original_filename == "IMG_2041.jpg"
    print(f"\n6.4 MB photo: {len(photo) / 1e6:.2f} MB -> {len(data) / 1e6:.2f} MB "
          f"in {elapsed:.2f} s (whole request)")


def test_a_photo_nothing_smaller_fits_is_shrunk_until_it_does():
    noise = random.Random(3).randbytes(2000 * 1500 * 3)  # pure noise: JPEG's worst case
    big = io.BytesIO()
    Image.frombytes("RGB", (2000, 1500), noise).save(big, "JPEG", quality=95)
    limit = 1024 * 1024  # a quarter of its size: lower quality alone is not enough
    assert big.tell() > 3 * limit
    data = photos.fit(io.BytesIO(big.getvalue()), limit)
    width, height = Image.open(io.BytesIO(data)).size
    assert len(data) <= limit and 500 < width < 2000 and width / height == pytest.approx(4 / 3,
                                                                                         0.01)


def test_a_heic_photo_is_accepted_as_a_jpeg_without_its_location(client, camille):
    response = _add(client, camille, phone_heic(), "IMG_2042.HEIC")
    assert response.status_code == 303, response.text[:1000]
    doc = Document.get()
    data = _stored(doc)
    assert doc.mime == "image/jpeg" and data.startswith(b"\xff\xd8\xff")
    assert Image.open(io.BytesIO(data)).size == (640, 480) and _has_no_metadata(data)
    assert doc.original_filename == "IMG_2042.jpg"


def test_a_photo_that_fits_is_stored_as_it_came_unless_it_says_where(client, camille):
    plain = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(plain, "JPEG", quality=90)
    assert _add(client, camille, plain.getvalue(), "petite.jpg").status_code == 303
    assert _stored(Document.get()) == plain.getvalue()
    located = phone_jpeg(800, 600)  # 0.3 MB, with its GPS position and turned on its side
    assert _add(client, camille, located, "ici.jpg", title="Ici").status_code == 303
    data = _stored(Document.get(Document.title == "Ici"))
    assert _has_no_metadata(data) and Image.open(io.BytesIO(data)).size == (600, 800)


def test_a_file_that_is_not_a_photo_is_still_refused_over_5_mb(client, camille):
    response = _add(client, camille, b"%PDF-1.4" + b"0" * (5 * 1024 * 1024), "gros.pdf")
    assert response.status_code == 200
    assert "Le fichier doit faire 5 Mo au maximum." in response.text
    assert not ReceivedFile.select().exists() and not Document.select().exists()


def test_the_size_is_checked_in_the_browser_with_translated_messages(client, camille):
    _, doc = client.page(space_path(camille, "/documents/ajouter"))
    field = doc.find("input", id="file")
    assert field.get("data-max-bytes") == str(5 * 1024 * 1024)
    assert int(field.get("data-photo-max-bytes")) < 10 * 1024 * 1024
    assert "{size}" in field.get("data-too-large") and "5 Mo" in field.get("data-too-large")
    assert field.get("aria-describedby") == "file-hint file-check"
    assert doc.find("p", id="file-check").get("hidden") is not None
    assert any("js/uploads.js" in (s.get("src") or "") for s in doc.find_all("script"))
    client.submit("/langue", {"lang": "en", "next": "/"})
    _, doc = client.page(space_path(camille, "/documents/ajouter"))
    message = doc.find("input", id="file").get("data-too-large")
    assert "{size}" in message and "5 MB" in message and "Mo" not in message


def test_fitting_refuses_what_is_not_a_photo():
    with pytest.raises(storage.FileRefused) as refused:
        photos.fit(io.BytesIO(b"\xff\xd8\xff" + b"\x00" * 100))
    assert refused.value.reason == "type"
    assert photos.is_heif(phone_heic()[:16]) and not photos.is_heif(PDF[:16])
    assert pillow_heif.is_supported(phone_heic())
