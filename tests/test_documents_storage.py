"""Uploads are atomic: a write that dies midway leaves no stored file and no row."""

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from tests.helpers import make_space, make_user
from webapp import policy, storage
from webapp.access import Access
from webapp.models.documents import Document
from webapp.record.documents import add_document


class DyingStream(io.RawIOBase):
    """A PDF upload whose connection breaks after a few chunks."""

    def __init__(self, chunks_before_failure):
        self.left = chunks_before_failure

    def readable(self):
        return True

    def read(self, size=-1):
        if self.left == 0:
            raise ConnectionResetError("client went away")
        self.left -= 1
        return b"%PDF-1.4 " + b"x" * (max(size, 100) - 9)


def _upload(owner, upload, title):
    """Add an upload to the owner's space through the real action, as the owner."""
    space = make_space(owner)
    access = Access(owner, space, policy.grant_for(owner, space))
    return add_document(access, upload, title=title, category="AUTR_DOC",
                        document_date=dt.date(2026, 1, 1))


def _stored_files(root):
    """Files under the content-addressed layout (temporary files excluded)."""
    return [p for p in Path(root).rglob("*") if p.is_file() and "tmp" not in p.parts]


def test_stream_that_dies_leaves_no_file_and_no_row(app, db):
    upload = FileStorage(stream=DyingStream(5), filename="scan.pdf")
    with pytest.raises(ConnectionResetError):
        _upload(make_user(), upload, "Scan")
    root = Path(app.config["STORAGE_PATH"])
    assert not _stored_files(root)
    assert not list((root / "tmp").iterdir())  # the temporary file was removed too
    assert Document.select().count() == 0


KILLED_WRITER = """
import sys, time
from webapp import create_app, storage
app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite:///:memory:",
                  "STORAGE_PATH": sys.argv[1]})

class Slow:
    sent = 0
    def read(self, size=-1):
        self.sent += 1
        if self.sent == 3:
            print("writing", flush=True)
        time.sleep(0.05)
        return b"%PDF-1.4 " + b"y" * 60000

with app.app_context():
    storage.store(Slow(), max_size=10**9)
"""


def test_process_killed_mid_upload_leaves_no_stored_file(app, db, tmp_path):
    root = tmp_path / "killed-storage"
    env = dict(os.environ, WEBAPP_INSTANCE_PATH=str(tmp_path / "inst"))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(root)],
                            stdout=subprocess.PIPE, cwd=Path(__file__).parents[1], env=env)
    try:
        assert proc.stdout.readline().strip() == b"writing"
        deadline, partial = time.monotonic() + 10, []
        while not partial and time.monotonic() < deadline:  # wait until bytes are written
            partial = [p for p in (root / "tmp").iterdir() if p.stat().st_size > 0]
            time.sleep(0.02)
        assert partial, "the writer should be midway"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    # Only an unnamed temporary file may remain, outside the content-addressed layout;
    # no reader can ever take it for a document, and no row was created.
    assert not _stored_files(root)
    assert Document.select().count() == 0


def test_purge_expired_sweeps_interrupted_uploads_and_unreferenced_files(app, db):
    kept = _upload(make_user(), FileStorage(io.BytesIO(b"%PDF-1.4 kept"), filename="a.pdf"),
                   "Gardé")
    orphan, _size, _mime = storage.store(io.BytesIO(b"%PDF-1.4 no row was ever created"))
    root = Path(app.config["STORAGE_PATH"])
    (root / "tmp" / "tmpcut").write_bytes(b"%PDF-1.4 half")
    # young left-overs may belong to an upload in progress: left alone
    assert storage.sweep() == (0, 0)
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert "removed 0 interrupted upload(s) and 0 unreferenced file(s)" in result.output
    assert storage.sweep(now=time.time() + 2 * storage.SWEEP_GRACE) == (1, 1)
    assert not (root / "tmp" / "tmpcut").exists()
    assert not storage.exists(orphan)
    assert storage.exists(Document.get_by_id(kept.id).sha256)
