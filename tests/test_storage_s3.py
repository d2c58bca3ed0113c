"""Files in an S3-compatible object store (STORAGE_URL=s3://…), against a real S3 server
over HTTP: moto's server mode (moto_server), installable from PyPI here, no Docker.

What reaches the bucket is ciphertext only; a file comes back equal, is deleted with its
last row, /healthz writes to the bucket, and a store that does not answer gives the 503
page. They test the object store, not the database: run once, on SQLite."""

import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from tests.conftest import ON_POSTGRES
from tests.helpers import make_space, make_user, space_path
from webapp import crypto, storage
from webapp.commands.keys import rewrap_everything
from webapp.models.documents import Document

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="tests the object store: once, on SQLite")

SECRET = b"Diagnostic confidentiel : lymphome de Hodgkin, stade II"
PDF = b"%PDF-1.4\n" + SECRET + b"\n%%EOF\n"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A moto S3 server on a free port for the session, with the credentials boto3 reads
    from the environment; its endpoint URL."""
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with pytest.MonkeyPatch.context() as env:
        for name, value in CREDENTIALS.items():
            env.setenv(name, value)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    pytest.fail("moto_server did not start")
                time.sleep(0.1)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def bucket(app, s3_server, request):
    """A bucket of this test's own, the app's files going to it; a boto3 client on it."""
    name = f"records-{request.node.name.replace('_', '-')[:40]}".lower()
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-3")
    client.create_bucket(Bucket=name,
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    app.config.update(STORAGE_URL=f"s3://{name}/files", S3_ENDPOINT_URL=s3_server,
                      S3_REGION="eu-west-3")
    return client, name


def _objects(client, name):
    return [o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", ())]


def test_uploaded_document_is_ciphertext_in_the_bucket_and_downloads_back(client, db, bucket):
    s3, name = bucket
    user = make_user()
    space = make_space(user)
    client.sign_in(user.email)
    response = client.submit(space_path(space, "/documents/ajouter"),
                             {"title": "Compte rendu", "document_date": "2026-02-03",
                              "category": "CPT_REND", "file": (io.BytesIO(PDF), "cr.pdf")},
                             content_type="multipart/form-data")
    assert response.status_code == 303
    doc = Document.get()
    key = f"files/{doc.sha256[:2]}/{doc.sha256[2:4]}/{doc.sha256}"
    assert _objects(s3, name) == [key]
    assert not list(Path(client.application.config["STORAGE_PATH"]).rglob(doc.sha256))
    stored = s3.get_object(Bucket=name, Key=key, ChecksumMode="ENABLED")
    body = stored["Body"].read()
    assert body.startswith(b"MESENC1\n")
    assert SECRET not in body and b"Hodgkin" not in body and b"%PDF" not in body
    assert stored["ChecksumSHA256"]  # the store checked the upload's SHA-256
    grants = s3.get_object_acl(Bucket=name, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's alone
    download = client.get(space_path(space, f"/documents/{doc.id}/telecharger"))
    assert download.status_code == 200 and download.data == PDF


def test_the_export_reads_its_files_from_the_bucket(client, db, bucket):
    import zipfile

    from webapp.models.privacy import ExportJob

    user = make_user()
    space = make_space(user)
    client.sign_in(user.email)
    client.submit(space_path(space, "/documents/ajouter"),
                  {"title": "Compte rendu", "document_date": "2026-02-03",
                   "category": "CPT_REND", "file": (io.BytesIO(PDF), "cr.pdf")},
                  content_type="multipart/form-data")
    assert client.submit(space_path(space, "/export")).status_code == 303
    job = ExportJob.select().order_by(ExportJob.id.desc()).first()
    response = client.get(space_path(space, f"/export/{job.id}/telecharger"))
    assert response.status_code == 200
    data = response.data
    response.close()
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = [n for n in archive.namelist() if n.startswith("documents/")]
    assert [archive.read(n) for n in files] == [PDF]


def test_release_deletes_the_object_and_sweep_the_orphans(app, db, bucket):
    s3, name = bucket
    digest, size, mime = storage.store(io.BytesIO(PDF))
    assert (size, mime) == (len(PDF), "application/pdf") and storage.exists(digest)
    with storage.open_blob(digest) as blob:
        assert blob.read() == PDF
    assert storage.size(digest) > len(PDF)  # the ciphertext, header and tags included
    storage.release(digest)  # no row points to it
    assert not storage.exists(digest) and _objects(s3, name) == []
    orphan, _, _ = storage.store(io.BytesIO(PDF + b"orphan"))
    assert storage.sweep() == (0, 0)  # too young: may be an upload in progress
    assert storage.sweep(now=time.time() + 2 * storage.SWEEP_GRACE) == (0, 1)
    assert not storage.exists(orphan)


def test_healthz_writes_to_the_bucket(client, db, bucket):
    s3, name = bucket
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["storage"] == "ok"
    assert _objects(s3, name) == []  # the probe deleted what it wrote
    s3.delete_bucket(Bucket=name)  # nowhere to write any more
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["storage"] == "unavailable"


def test_unreachable_store_gives_the_503_page_not_a_500(client, db, app):
    app.config.update(STORAGE_URL="s3://records/files", S3_REGION="eu-west-3",
                      S3_ENDPOINT_URL=f"http://127.0.0.1:{_free_port()}")  # nobody there
    user = make_user()
    space = make_space(user)
    client.sign_in(user.email)
    with pytest.MonkeyPatch.context() as env:
        for variable, value in CREDENTIALS.items():
            env.setenv(variable, value)
        response = client.submit(space_path(space, "/documents/ajouter"),
                                 {"title": "Compte rendu", "document_date": "2026-02-03",
                                  "category": "CPT_REND", "file": (io.BytesIO(PDF), "cr.pdf")},
                                 content_type="multipart/form-data")
        health = client.get("/healthz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "momentanément indisponible" in response.text and "<h1>" in response.text
    assert Document.select().count() == 0
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "ok",
                                 "storage": "unavailable"}


def test_rotate_keys_rewraps_the_objects_of_the_bucket(app, db, bucket):
    s3, name = bucket
    digest, _size, _mime = storage.store(io.BytesIO(PDF))
    s3.put_object(Bucket=name, Key="files/.health/left-over", Body=b"ok")  # not a file
    old = crypto.parse_keys(app.config["DATA_KEYS"])
    new = crypto.new_key()
    app.config["DATA_KEYS"] = crypto.format_keys([new] + old)
    assert rewrap_everything()[0] == 1
    app.config["DATA_KEYS"] = crypto.format_keys([new])  # the old key is gone
    with storage.open_blob(digest) as blob:
        assert blob.read() == PDF
