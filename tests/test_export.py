"""Export of a space: a ZIP written to disk with donnees.json, the documents in their
original files and a readable resume.html; large exports built in the background; what
the person who asks may not see stays out, and so do other spaces' rows."""

import datetime as dt
import io
import json
import os
import time
import zipfile

import pytest
from fhir.resources.R4B.bundle import Bundle

from tests.helpers import logged, make_document, make_space, make_user, parse, space_path
from webapp import policy, storage
from webapp.access import Access
from webapp.accounts import export
from webapp.models.agenda import Appointment
from webapp.models.audit import AccessLog
from webapp.models.measurements import Measurement
from webapp.models.messages import Conversation, Message
from webapp.models.notifications import Outbox
from webapp.models.privacy import ExportJob
from webapp.models.profile import ProfileEntry
from webapp.models.spaces import Guardianship

PDF = b"%PDF-1.4\n" + b"compte rendu " * 50 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
SECRET = b"%PDF-1.4\n" + b"consultation confidentielle " * 20 + b"\n%%EOF\n"


@pytest.fixture
def world(app, db, client):
    owner = make_user()
    space = make_space(owner)
    docs = [make_document(space, title=title, category="CR", day=dt.date(2026, 10, 1),
                          content=content, filename=title + ".bin")
            for title, content in (("Compte rendu", PDF), ("Radio du genou", PNG))]
    make_document(make_space(make_user()), title="Autre", category="CR",
                  day=dt.date(2026, 1, 1), content=b"%PDF-1.4 autre espace", filename="autre.pdf")
    client.sign_in(owner.email)
    return dict(owner=owner, space=space, docs=docs, base=space_path(space, ""))


def _access(user, space):
    """The access of a person to a space, as a request on its pages gets it."""
    return Access(user, space, policy.grant_for(user, space))


def _zip(client, space, job=None):
    job = job or ExportJob.select().order_by(ExportJob.id.desc()).first()
    response = client.get(space_path(space, f"/export/{job.id}/telecharger"))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = response.data
    response.close()
    return zipfile.ZipFile(io.BytesIO(data))


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


@pytest.fixture
def teenager(app, db, client):
    """Inès, 16, holds her own space; her mother still represents her. One of her documents
    is confidential: kept from the legal representative."""
    today = dt.date.today()
    ines = make_user(first_name="Inès", last_name="Martin")
    space = make_space(ines, birth_date=today.replace(year=today.year - 16, day=1))
    mother = make_user(first_name="Camille", last_name="Martin")
    make_space(mother)
    Guardianship.create(guardian=mother, child=space)
    carnet = make_document(space, title="Carnet de vaccination", content=PDF,
                           filename="carnet.pdf")
    secret = make_document(space, title="Consultation contraception", content=SECRET,
                           filename="contraception.pdf", confidential=True)
    return dict(ines=ines, mother=mother, space=space, carnet=carnet, secret=secret)


def _export_as(client, user, space):
    """Sign in as the person, ask for an export of the space and return its archive."""
    client._cookies.clear()
    client.sign_in(user.email)
    assert client.submit(space_path(space, "/export")).status_code == 303
    job = ExportJob.select().where(ExportJob.requested_by == user).order_by(
        ExportJob.id.desc()).first()
    assert job.state == "ready"
    return _zip(client, space, job)


def _everything(archive):
    """Every name and every byte of the archive, and donnees.json parsed."""
    names = archive.namelist()
    return names, b"".join(archive.read(n) for n in names), json.loads(
        archive.read("donnees.json"))


def test_export_of_a_childs_space_leaves_out_what_is_confidential_from_the_representative(
        app, client, teenager):
    space, secret = teenager["space"], teenager["secret"]
    assert policy.grant_for(teenager["mother"], space).capacity == "guardian"
    archive = _export_as(client, teenager["mother"], space)
    names, content, data = _everything(archive)
    assert [d["title"] for d in data["tables"]["document"]] == ["Carnet de vaccination"]
    assert secret.id not in {d["id"] for d in data["tables"]["document"]}
    assert secret.sha256 not in content.decode("utf-8", "replace")
    assert SECRET not in content and PDF in content
    assert not any("contraception" in n.lower() for n in names)
    for name in ("donnees.json", "resume.html"):
        text = archive.read(name).decode()
        assert "contraception" not in text.lower() and "Carnet" in text
    # built in the background, it is read with the mother's grant too
    app.config["EXPORT_SYNC_LIMIT"] = 10
    client.submit(space_path(space, "/export"))
    job = ExportJob.get(ExportJob.state == "pending")
    assert export.build_pending() == 1
    _names, content, data = _everything(_zip(client, space, job))
    assert SECRET not in content and b"contraception" not in content.lower()
    assert {d["title"] for d in data["tables"]["document"]} == {"Carnet de vaccination"}


def test_the_minor_exports_her_confidential_documents_and_only_she_downloads_them(
        client, teenager):
    space = teenager["space"]
    archive = _export_as(client, teenager["ines"], space)
    names, content, data = _everything(archive)
    assert {d["title"] for d in data["tables"]["document"]} == {
        "Carnet de vaccination", "Consultation contraception"}
    assert SECRET in content and any("contraception" in n.lower() for n in names)
    assert "Consultation-contraception" in archive.read("resume.html").decode()
    job = ExportJob.get(ExportJob.requested_by == teenager["ines"])
    # her mother neither sees that archive nor downloads it
    client._cookies.clear()
    client.sign_in(teenager["mother"].email)
    _r, doc = client.page(space_path(space, "/export"))
    assert "Télécharger l'archive" not in doc.find("main").text
    assert client.get(space_path(space, f"/export/{job.id}/telecharger")).status_code == 404
    assert not logged(job, action="account.export_download",
                      actor=teenager["mother"]).exists()


def _fill(space, author):
    """Rows of the main kinds an export holds, in one space."""
    day = dt.date(2026, 2, 1)
    make_document(space, title=f"Document de {space.first_name}",
                  content=b"%PDF-1.4 " + os.urandom(8).hex().encode(), filename="x.pdf")
    ProfileEntry.create(space=space, section="allergies", author=author,
                        data=json.dumps({"substance": f"Allergie de {space.first_name}"}))
    Measurement.create(space=space, kind="poids", value=70, measured_on=day, author=author)
    Appointment.create(space=space, title=f"Rendez-vous de {space.first_name}",
                       starts_at=dt.datetime(2026, 3, 1, 9), created_by=author)
    pro = make_user(role="professional")
    Message.create(conversation=Conversation.create(space=space, professional=pro, subject="Suivi"),
                   author=pro, author_capacity="professional", body=f"Pour {space.first_name}")


def test_the_export_of_one_space_never_holds_another_spaces_rows(app, client, world):
    other_owner = make_user(first_name="Zoé")
    other = make_space(other_owner, first_name="Zoé")
    _fill(world["space"], world["owner"])
    _fill(other, other_owner)
    client._cookies.clear()
    client.sign_in(other_owner.email)
    client.get(space_path(other, "/documents"))  # a log entry in the other space
    client._cookies.clear()
    client.sign_in(world["owner"].email)
    client.get(space_path(world["space"], "/documents"))  # and one in the exported space
    with app.test_request_context("/"):
        path = export.export_dir() / "check.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        export.write_zip(_access(world["owner"], world["space"]), path)
    with export.open_archive(path) as encrypted:
        archive = zipfile.ZipFile(io.BytesIO(encrypted.read()))
    _names, content, data = _everything(archive)
    assert b"Zo\xc3\xa9" not in content and b"Autre" not in content
    space_id = world["space"].id
    conversations = {c["id"] for c in data["tables"]["conversation"]}
    messages = {m["id"] for m in data["tables"]["message"]}
    assert conversations and messages
    for table, rows in data["tables"].items():
        for row in rows:
            if table == "guardianship":
                assert row["child"] == space_id
            elif table == "message":
                assert row["conversation"] in conversations
            elif table == "attachment":
                assert row["message"] in messages
            else:
                assert row["space"] == space_id, (table, row)
    assert {t: len(r) for t, r in data["tables"].items() if r}.keys() >= {
        "document", "profile_entry", "measurement", "appointment", "conversation", "message",
        "access_log"}
