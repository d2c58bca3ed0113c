"""Only documents belong in the record: markup and scripts are refused, and a text file
always comes back as .txt, whatever it was called."""

import io

import pytest

from tests.helpers import make_space, make_user, space_path
from webapp import storage
from webapp.models.documents import Document

PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize("content", [
    PAGE, b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"<?xml version='1.0'?><x/>", b"<script src=//evil.example/x.js></script>",
    b"<img src=x onerror=alert(1)>", b"Cliquez ici : javascript:alert(1)"])
def test_markup_and_scripts_are_refused(app, content):
    assert storage.sniff(content) is None
    with pytest.raises(storage.FileRefused) as refused:
        storage.store(io.BytesIO(content))
    assert refused.value.reason == "type"


def test_plain_notes_with_angle_brackets_are_still_text():
    assert storage.sniff(b"Tension < 14 et glycemie > 1,2 g/l.\n") == "text/plain"


@pytest.mark.parametrize("name", ["note.html", "note.svg", "note.js", "../../note.htm"])
def test_a_text_upload_is_stored_and_sent_as_txt(client, db, name):
    user = make_user()
    space = make_space(user)
    client.sign_in(user.email)
    response = client.submit(space_path(space, "/documents/ajouter"), {
        "title": "Note", "document_date": "2026-02-03", "category": "AUTR_DOC",
        "file": (io.BytesIO(b"Rappel : prendre la tension le matin.\n"), name)},
        content_type="multipart/form-data")
    assert response.status_code == 303, response.text[:500]
    doc = Document.get()
    assert doc.original_filename == "note.txt"
    download = client.get(space_path(space, f"/documents/{doc.id}/telecharger"))
    assert 'filename=note.txt' in download.headers["Content-Disposition"]
    assert download.mimetype == "text/plain"


def test_an_html_upload_is_refused_on_the_form_with_what_was_typed(client, db):
    user = make_user()
    space = make_space(user)
    client.sign_in(user.email)
    response = client.submit(space_path(space, "/documents/ajouter"), {
        "title": "Page", "document_date": "2026-02-03", "category": "AUTR_DOC",
        "file": (io.BytesIO(PAGE), "page.html")}, content_type="multipart/form-data")
    assert response.status_code == 200 and "error-summary" in response.text
    assert 'value="Page"' in response.text and Document.select().count() == 0
