"""Uploads from a phone: a photo over 5 MB is made to fit (upright, without its location),
a HEIC photo becomes a JPEG, and a file received is kept for its form (its account,
space and form, an hour at most) across an error elsewhere in the form."""

import datetime as dt
import io
import random
import time

import pillow_heif
import pytest
from PIL import Image

from tests.helpers import PDF, camille_signed_in, make_space, make_user, space_path
from webapp import crypto, storage
from webapp.db import utcnow
from webapp.models.documents import Document
from webapp.models.spaces import CareRelation
from webapp.models.uploads import ReceivedFile
from webapp.pro import forms as pro_forms
from webapp.record import document_forms, photos
from webapp.views import documents as document_views

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
    with storage.open_blob(doc.sha256) as blob:
        return blob.read()


def _has_no_metadata(data):
    image = Image.open(io.BytesIO(data))
    return (not dict(image.getexif()) and "exif" not in image.info and "xmp" not in image.info
            and b"Exif\x00\x00" not in data and b"PhoneMaker" not in data)


@pytest.fixture
def camille(client, db):
    return camille_signed_in(client)


def _add(client, space, content=None, filename="scan.pdf", **fields):
    data = dict(title="Ordonnance", document_date="2026-02-03", category="ORD_SOIN")
    data.update(fields)
    if content is not None:
        data["file"] = (io.BytesIO(content), filename)
    return client.submit(space_path(space, "/documents/ajouter"), data,
                         content_type="multipart/form-data")


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


def test_a_file_received_is_kept_across_a_form_error_then_used(client, camille):
    response = _add(client, camille, PDF, "ordonnance.pdf", title="")
    assert response.status_code == 200 and "Saisissez le titre du document." in response.text
    assert "Fichier reçu : ordonnance.pdf (PDF, 1 ko)" in response.text
    assert 'value="keep"' in response.text and "Changer de fichier" in response.text
    kept = ReceivedFile.get()
    assert not Document.select().exists()  # not in the record
    with open(storage.path_for(kept.sha256), "rb") as raw:  # encrypted like the others
        assert raw.read(len(crypto.MAGIC)) == crypto.MAGIC
    assert f'name="received_file" value="{kept.token}"' in response.text
    response = _add(client, camille, received_file=kept.token, file_choice="keep")
    assert response.status_code == 303, response.text[:1000]
    doc = Document.get()
    assert doc.sha256 == kept.sha256 and doc.original_filename == "ordonnance.pdf"
    assert _stored(doc) == PDF and not ReceivedFile.select().exists()


def test_a_new_file_replaces_the_kept_one_and_change_needs_a_file(client, camille):
    _add(client, camille, PDF, "premier.pdf", title="")
    kept = ReceivedFile.get()
    response = _add(client, camille, received_file=kept.token, file_choice="change",
                    title="")
    assert "Choisissez le nouveau fichier, ou gardez le fichier reçu." in response.text
    assert 'id="file_choice-change" name="file_choice" value="change" checked' in response.text
    other = b"Rappel : tension le matin.\n"
    response = _add(client, camille, other, "second.txt", received_file=kept.token,
                    file_choice="change")
    assert response.status_code == 303
    assert _stored(Document.get()) == other and not storage.exists(kept.sha256)
    assert not ReceivedFile.select().exists()


def test_a_kept_file_belongs_to_its_account_space_and_form(client, camille):
    _add(client, camille, PDF, "ordonnance.pdf", title="")
    kept = ReceivedFile.get()
    other = make_user(email="autre@example.org")
    other_space = make_space(other)
    client.submit("/deconnexion")
    client.sign_in(other.email)
    response = _add(client, other_space, received_file=kept.token)
    assert "Choisissez le fichier à ajouter." in response.text
    assert not Document.select().exists() and ReceivedFile.select().count() == 1
    doctor = make_user("professional", email="dr@example.org")
    CareRelation.create(professional=doctor, space=camille)
    client.submit("/deconnexion")
    client.sign_in(doctor.email)
    response = client.submit(space_path(camille, "/pro/documents/deposer"), dict(
        title="CR", loinc="11488-4", category="CPT_REND", document_date="2026-03-02",
        received_file=kept.token), content_type="multipart/form-data")
    assert "Choisissez le fichier à déposer." in response.text
    assert not Document.select().exists()


def test_a_kept_file_is_forgotten_after_an_hour(app, client, camille):
    _add(client, camille, PDF, "ordonnance.pdf", title="")
    first = ReceivedFile.get()
    digest, size, mime = storage.store(io.BytesIO(b"Note\n"))  # kept for another form
    ReceivedFile.create(token="autre", user=first.user, space=camille, form="autre.form",
                        sha256=digest, size=size, mime=mime, filename="note.txt")
    second = ReceivedFile.get(ReceivedFile.token == "autre")
    hour_ago = utcnow() - dt.timedelta(minutes=61)
    ReceivedFile.update(created_at=hour_ago).where(ReceivedFile.id == first.id).execute()
    result = app.test_cli_runner().invoke(args=["forget-received-files"])
    assert "1 received file(s) forgotten." in result.output
    assert not storage.exists(first.sha256) and storage.exists(second.sha256)
    _add(client, camille, PDF, "ordonnance.pdf", title="")
    third = ReceivedFile.get(ReceivedFile.form == "documents.add")
    ReceivedFile.update(created_at=hour_ago).execute()
    response = _add(client, camille, received_file=third.token)  # the next access
    assert "Choisissez le fichier à ajouter." in response.text
    assert not ReceivedFile.select().exists() and not storage.exists(second.sha256)


def test_the_file_already_in_the_record_stays_when_its_kept_copy_goes(client, camille):
    assert _add(client, camille, PDF).status_code == 303
    _add(client, camille, PDF, title="")  # the same content, kept for a second document
    ReceivedFile.update(created_at=utcnow() - dt.timedelta(hours=2)).execute()
    _add(client, camille, title="")  # the next access forgets the kept copy
    assert not ReceivedFile.select().exists() and storage.exists(Document.get().sha256)


def test_the_professional_deposit_keeps_the_file_and_fits_photos(client, db):
    owner = make_user()
    space = make_space(owner)
    doctor = make_user("professional", email="dr@example.org")
    CareRelation.create(professional=doctor, space=space)
    client.sign_in(doctor.email)
    url = space_path(space, "/pro/documents/deposer")
    fields = dict(title="Photo de la plaie", loinc="11488-4", category="CPT_REND",
                  document_date="2026-03-02")
    response = client.submit(url, dict(fields, title="", file=(io.BytesIO(phone_heic()),
                                                                "plaie.heic")),
                             content_type="multipart/form-data")
    assert response.status_code == 200 and "Fichier reçu : plaie.jpg (JPEG" in response.text
    kept = ReceivedFile.get()
    response = client.submit(url, dict(fields, received_file=kept.token, file_choice="keep"),
                             content_type="multipart/form-data")
    assert response.status_code == 303, response.text[:1000]
    doc = Document.get()
    assert doc.mime == "image/jpeg" and doc.author_kind == "professional"
    response = client.submit(url, dict(fields, file=(io.BytesIO(b"Texte\n"), "note.txt")),
                             content_type="multipart/form-data")
    assert "Déposez un PDF ou une image JPEG, PNG, TIFF ou HEIC." in response.text
    assert not ReceivedFile.select().exists()


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


def test_the_deposit_date_is_today_in_paris(client, db, monkeypatch):
    owner = make_user()
    space = make_space(owner)
    doctor = make_user("professional", email="dr@example.org")
    CareRelation.create(professional=doctor, space=space)
    client.sign_in(doctor.email)
    monkeypatch.setattr(pro_forms, "utcnow", lambda: dt.datetime(2026, 3, 1, 23, 30))
    _, doc = client.page(space_path(space, "/pro/documents/deposer"))
    assert doc.find("input", id="document_date").get("value") == "2026-03-02"  # 00:30 Paris


def test_a_document_of_half_past_midnight_in_paris_is_of_today(client, camille, monkeypatch):
    late = dt.datetime(2026, 3, 1, 23, 30)  # UTC: 00:30 on 2 March in Paris
    for module in (document_forms, document_views):
        monkeypatch.setattr(module, "utcnow", lambda: late)
    _, doc = client.page(space_path(camille, "/documents/ajouter"))
    assert doc.find("input", id="document_date").get("value") == "2026-03-02"
    assert _add(client, camille, PDF, document_date="2026-03-02").status_code == 303


def test_a_refused_new_file_leaves_the_kept_one_and_shows_why(client, camille):
    _add(client, camille, PDF, "ordonnance.pdf", title="")
    kept = ReceivedFile.get()
    response = _add(client, camille, b"<html><script>x</script></html>", "page.html",
                    received_file=kept.token, file_choice="keep")
    assert "Son contenu ne correspond à aucun de ces formats." in response.text
    assert "Fichier reçu : ordonnance.pdf" in response.text
    assert 'id="file_choice-change" name="file_choice" value="change" checked' in response.text
    assert ReceivedFile.select().count() == 1 and not Document.select().exists()


def test_one_file_is_kept_per_account_space_and_form(client, camille):
    for name in ("un.pdf", "deux.txt", "trois.pdf"):
        content = PDF if name.endswith(".pdf") else b"Note\n"
        _add(client, camille, content + name.encode(), name, title="")
    assert [r.filename for r in ReceivedFile.select()] == ["trois.pdf"]
