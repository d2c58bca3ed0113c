"""Export of a space: a ZIP written to disk with donnees.json, the documents in their
original files, a readable resume.html and the FHIR $everything Bundle; large exports
built in the background and announced; expired archives removed; nobody else downloads."""

import datetime as dt
import json
import os
import time

from fhir.resources.R4B.bundle import Bundle

from tests.export_support import (
    PDF,
    PNG,
    _access,
    _zip,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.helpers import make_space, make_user, parse, space_path
from webapp import storage
from webapp.accounts import export
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.privacy import ExportJob


def test_small_export_is_ready_at_once_and_checked_file_by_file(client, world):
    base = world["base"]
    client.page(f"{base}/export")
    assert client.submit(f"{base}/export").status_code == 303
    _r, doc = client.page(f"{base}/export")
    assert "Télécharger l'archive" in doc.find("main").text
    archive = _zip(client, world["space"])
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
    assert sorted(names) == sorted(["donnees.json", "fhir-everything.json", "resume.html",
                                    *files])


def test_the_archive_holds_the_fhir_everything_bundle_of_the_space(client, world):
    client.page(f"{world['base']}/export")
    client.submit(f"{world['base']}/export")
    bundle = Bundle.model_validate_json(_zip(client, world["space"]).read(
        "fhir-everything.json"))  # fhir.resources' R4B model: a valid FHIR Bundle
    assert bundle.type == "collection"
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds[0] == "Patient" and bundle.entry[0].resource.id == world["space"].ref
    titles = sorted(e.resource.description for e in bundle.entry
                    if e.resource.get_resource_type() == "DocumentReference")
    assert titles == ["Compte rendu", "Radio du genou"]  # not the other space's "Autre"
    assert all(e.fullUrl.endswith(f"/{e.resource.get_resource_type()}/{e.resource.id}")
               for e in bundle.entry)
    downloads = AccessLog.select().where(AccessLog.action == "account.export_download")
    assert downloads.count() == 1


def test_large_export_is_built_in_the_background(app, client, world):
    base = world["base"]
    app.config["EXPORT_SYNC_LIMIT"] = 10
    client.submit(f"{base}/export")
    job = ExportJob.get()
    assert job.state == "pending"
    _r, doc = client.page(f"{base}/export")
    status = doc.by_id("export-status")
    assert "en préparation" in status.text and status.get("hx-trigger") == "every 5s"
    assert client.get(f"{base}/export/{job.id}/telecharger").status_code == 404
    result = app.test_cli_runner().invoke(args=["build-exports"])
    assert result.exit_code == 0 and "Built 1" in result.output
    assert ExportJob.get_by_id(job.id).state == "ready"
    assert len(_zip(client, world["space"]).namelist()) == 5  # + fhir-everything.json
    assert Outbox.select().where((Outbox.recipient == world["owner"])
                                 & (Outbox.template == "export_ready")).exists()


def test_background_thread(app, world):
    app.config.update(EXPORT_SYNC_LIMIT=10, EXPORT_THREADS=True)
    with app.test_request_context("/"):
        job = export.request_export(_access(world["owner"], world["space"]))
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
        export.write_zip(_access(world["owner"], world["space"]), tmp_path / "x.zip")
    assert reads and all(n == storage.CHUNK for n in reads)


def test_expired_archives_are_removed(app, world):
    with app.test_request_context("/"):
        job = export.request_export(_access(world["owner"], world["space"]))
    ExportJob.update(expires_at=dt.datetime(2000, 1, 1)).execute()
    assert export.remove_expired() == 1
    assert not os.path.exists(job.file_path)


def test_someone_else_cannot_download(client, world):
    client.submit(f"{world['base']}/export")
    job = ExportJob.get()
    client.submit("/deconnexion")
    other = make_user()
    own = make_space(other)
    client.sign_in(other.email)
    assert client.get(f"{world['base']}/export/{job.id}/telecharger").status_code == 404
    assert client.get(space_path(own, f"/export/{job.id}/telecharger")).status_code == 404


def test_polling_fragment_announces_when_ready(app, client, world):
    base = world["base"]
    app.config["EXPORT_SYNC_LIMIT"] = 10
    client.submit(f"{base}/export")
    _r, doc = client.page(f"{base}/export", fragment=True)
    assert doc.find("h2") is None  # polling never moves the focus
    assert doc.by_id("live") is None
    app.test_cli_runner().invoke(args=["build-exports"])
    _r, doc = client.page(f"{base}/export", fragment=True)
    assert doc.by_id("export-status").get("hx-trigger") is None
    assert "prêt" in doc.by_id("live").text
