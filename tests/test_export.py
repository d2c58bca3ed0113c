"""Export of a space: a ZIP written to disk with donnees.json, the documents in their
original files and a readable resume.html; large exports built in the background."""

import datetime as dt
import io
import json
import zipfile

import pytest

from tests.helpers import make_space, make_user, parse
from webapp import export, storage
from webapp.models.audit import AccessLog
from webapp.models.documents import add_document
from webapp.models.privacy import ExportJob

PDF = b"%PDF-1.4\n" + b"compte rendu " * 50 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def world(app, db, client):
    owner = make_user()
    space = make_space(owner)
    docs = []
    for title, content, _mime in (("Compte rendu", PDF, "application/pdf"),
                                 ("Radio du genou", PNG, "image/png")):
        digest, size, sniffed = storage.store(io.BytesIO(content))
        docs.append(add_document(space, title=title, category="CR", document_date=dt.date(
            2026, 10, 1), sha256=digest, size=size, mime=sniffed, filename=title + ".bin"))
    other = make_space(make_user())
    digest, size, mime = storage.store(io.BytesIO(b"%PDF-1.4 autre espace"))
    add_document(other, title="Autre", category="CR", document_date=dt.date(2026, 1, 1),
                 sha256=digest, size=size, mime=mime, filename="autre.pdf")
    client.sign_in(owner.email)
    return dict(owner=owner, space=space, docs=docs)


def _zip(client):
    job = ExportJob.select().order_by(ExportJob.id.desc()).first()
    response = client.get(f"/compte/export/{job.id}/telecharger")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = response.data
    response.close()
    return zipfile.ZipFile(io.BytesIO(data))


def test_small_export_is_ready_at_once_and_checked_file_by_file(client, world):
    client.page("/compte/export")
    assert client.submit("/compte/export").status_code == 303
    _r, doc = client.page("/compte/export")
    assert "Télécharger l'archive" in doc.find("main").text
    archive = _zip(client)
    names = archive.namelist()
    assert "donnees.json" in names and "resume.html" in names
    files = [n for n in names if n.startswith("documents/")]
    assert len(files) == 2
    pdf_name = next(n for n in files if n.endswith(".pdf"))
    png_name = next(n for n in files if n.endswith(".png"))
    assert "Compte-rendu" in pdf_name and archive.read(pdf_name) == PDF
    assert archive.read(png_name) == PNG
    data = json.loads(archive.read("donnees.json"))
    assert data["space"]["nir"] == world["space"].nir
    assert "activation_code_hash" not in data["space"]
    titles = sorted(d["title"] for d in data["tables"]["document"])
    assert titles == ["Compte rendu", "Radio du genou"]
    assert data["tables"]["access_log"]
    summary = parse(archive.read("resume.html").decode())
    assert world["space"].display_name in summary.find("h1").text
    assert summary.find("a", href=pdf_name) is not None
    assert "Autre" not in json.dumps(data["tables"]["document"])
    downloads = AccessLog.select().where(AccessLog.action == "account.export_download")
    assert downloads.count() == 1


def test_large_export_is_built_in_the_background(app, client, world):
    app.config["EXPORT_SYNC_LIMIT"] = 10
    client.submit("/compte/export")
    job = ExportJob.get()
    assert job.state == "pending"
    _r, doc = client.page("/compte/export")
    status = doc.by_id("export-status")
    assert "en préparation" in status.text and status.get("hx-trigger") == "every 5s"
    assert client.get(f"/compte/export/{job.id}/telecharger").status_code == 404
    result = app.test_cli_runner().invoke(args=["build-exports"])
    assert result.exit_code == 0 and "Built 1" in result.output
    assert ExportJob.get_by_id(job.id).state == "ready"
    assert len(_zip(client).namelist()) == 4
    from webapp.models.notifications import Outbox
    assert Outbox.select().where((Outbox.recipient == world["owner"])
                                 & (Outbox.template == "export_ready")).exists()


def test_background_thread(app, world):
    app.config.update(EXPORT_SYNC_LIMIT=10, EXPORT_THREADS=True)
    with app.test_request_context("/"):
        job = export.request_export(world["space"], world["owner"])
    import time

    for _ in range(100):
        if ExportJob.get_by_id(job.id).state == "ready":
            break
        time.sleep(0.05)
    assert ExportJob.get_by_id(job.id).state == "ready"


def test_archive_is_written_to_disk_in_chunks(app, world, tmp_path, monkeypatch):
    reads = []
    original = storage.open_blob

    def spy(digest):
        handle = original(digest)
        real = handle.read

        def read(n=-1):
            reads.append(n)
            return real(n)

        handle.read = read
        return handle

    monkeypatch.setattr(storage, "open_blob", spy)
    with app.test_request_context("/"):
        export.write_zip(world["space"], tmp_path / "x.zip")
    assert reads and all(n == storage.CHUNK for n in reads)


def test_expired_archives_are_removed(app, world):
    with app.test_request_context("/"):
        job = export.request_export(world["space"], world["owner"])
    ExportJob.update(expires_at=dt.datetime(2000, 1, 1)).execute()
    assert export.remove_expired() == 1
    assert not __import__("os").path.exists(job.file_path)


def test_someone_else_cannot_download(client, world):
    client.submit("/compte/export")
    job = ExportJob.get()
    client.submit("/deconnexion")
    other = make_user()
    make_space(other)
    client.sign_in(other.email)
    assert client.get(f"/compte/export/{job.id}/telecharger").status_code == 404


def test_polling_fragment_announces_when_ready(app, client, world):
    app.config["EXPORT_SYNC_LIMIT"] = 10
    client.submit("/compte/export")
    _r, doc = client.page("/compte/export", fragment=True)
    assert doc.find("h2") is None  # polling never moves the focus
    assert doc.by_id("live") is None
    app.test_cli_runner().invoke(args=["build-exports"])
    _r, doc = client.page("/compte/export", fragment=True)
    assert doc.by_id("export-status").get("hx-trigger") is None
    assert "prêt" in doc.by_id("live").text
