"""Uploads from a phone: a file received is kept for its form (its account, space and
form, one per form, an hour at most) across an error elsewhere in the form, replaced by a
new one, and used by the professional's deposit too."""

import datetime as dt
import io

from tests.helpers import PDF, make_space, make_user, space_path
from tests.uploads_support import (
    _add,
    _stored,
    camille_fixture,  # noqa: F401 (the fixture "camille")
    phone_heic,
)
from webapp import crypto, storage
from webapp.db import utcnow
from webapp.models.documents import Document
from webapp.models.spaces import CareRelation
from webapp.models.uploads import ReceivedFile


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
