"""Secure messages: attachments refused when empty, too large or of a refused type; a
sent one downloaded by both sides and saved once into the record."""

import html
import io

import pytest

from tests.helpers import PDF, logged
from tests.messages_support import (
    _at,
    _reply_url,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from webapp.models.documents import Document
from webapp.models.messages import Attachment


@pytest.mark.parametrize("content,name,error", [
    (b"", "vide.pdf", "est vide"),
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "gros.pdf", "dépasse 5 Mo"),
    (b"\x00\x01binary", "data.bin", "n'est pas d'un type accepté"),
])
def test_attachment_validation(client, world, content, name, error):
    client.sign_in(world["owner"].email)
    response = client.submit(_reply_url(world), {
        "body": "Voici", "files": (io.BytesIO(content), name)},
        content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # the test client leaves it open
    assert response.status_code == 200 and error in html.unescape(response.text)
    assert Attachment.select().count() == 0


def test_attachment_sent_downloaded_and_saved_into_record(client, world):
    client.sign_in(world["owner"].email)
    response = client.submit(_reply_url(world), {
        "body": "Voici le compte rendu",
        "files": [(io.BytesIO(PDF), "../../docs/compte-rendu.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 303
    attachment = Attachment.get()
    assert attachment.filename == "compte-rendu.pdf" and attachment.mime == "application/pdf"
    url = _at(world, f"/messages/{world['conversation'].id}/pieces/{attachment.id}")
    download = client.get(url)
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    download.close()
    pro = client.application.test_client()
    pro.sign_in(world["pro"].email)
    download = pro.get(_at(world,
                              f"/pro/messages/{world['conversation'].id}/pieces/{attachment.id}"))
    assert download.data == PDF
    download.close()
    assert client.submit(url + "/enregistrer").status_code == 303
    doc = Document.get()
    assert doc.sha256 == attachment.sha256 and doc.space_id == world["space"].id
    assert doc.source == "message"
    assert logged(doc, f"attachment:{attachment.id}").count() == 1  # one entry says both
    assert logged(attachment, "download").count() == 2  # the holder, then the professional
    assert client.submit(url + "/enregistrer").status_code == 303
    assert Document.select().count() == 1  # saved once
