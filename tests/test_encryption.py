"""Encryption at rest: stored files, export archives, TOTP secrets and the outbox hold no
plaintext; altered or cut files are refused; rotate-keys re-wraps everything; what the
service writes is readable by its own user only."""

import io
import json
import os
import stat
import zipfile

import pytest

from tests.helpers import make_document, make_space, make_user, space_path
from webapp import crypto, mail, storage
from webapp.accounts import export
from webapp.commands.keys import rewrap_everything
from webapp.db import database
from webapp.models.accounts import User
from webapp.models.notifications import Outbox
from webapp.notify.queue import notify

SECRET_TEXT = b"Compte rendu confidentiel de Madame Zoe Exemple, diabete de type 2.\n"


def _raw(path):
    with open(path, "rb") as f:
        return f.read()


def test_a_stored_file_holds_no_plaintext_and_reads_back(app, db):
    digest, size, mime = storage.store(io.BytesIO(SECRET_TEXT))
    raw = _raw(storage.path_for(digest))
    assert mime == "text/plain" and size == len(SECRET_TEXT)
    assert raw.startswith(crypto.MAGIC)
    assert b"Zoe" not in raw and b"diabete" not in raw
    with storage.open_blob(digest) as blob:
        assert blob.read() == SECRET_TEXT


def test_a_large_file_is_read_back_chunk_by_chunk(app, db):
    content = b"%PDF-1.4\n" + os.urandom(300 * 1024)
    digest, _size, _mime = storage.store(io.BytesIO(content))
    with storage.open_blob(digest) as blob:
        parts = [blob.read(64 * 1024) for _ in range(6)]
    assert b"".join(parts) == content


@pytest.mark.parametrize("damage", ["flip", "cut", "drop-last-chunk"])
def test_an_altered_or_cut_file_is_refused(app, db, damage):
    content = b"%PDF-1.4\n" + os.urandom(150 * 1024)
    digest, _size, _mime = storage.store(io.BytesIO(content))
    path = storage.path_for(digest)
    raw = bytearray(_raw(path))
    if damage == "flip":
        raw[-100] ^= 1
    elif damage == "cut":
        raw = raw[:-50]
    else:
        raw = raw[:len(raw) - (4 + 16 + (len(content) % (64 * 1024)))]
    path.write_bytes(bytes(raw))
    with pytest.raises(crypto.Undecryptable), storage.open_blob(digest) as blob:
        blob.read()


def test_stored_files_and_folders_are_the_service_users_only(app, db):
    digest, _size, _mime = storage.store(io.BytesIO(SECRET_TEXT))
    path = storage.path_for(digest)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_export_archive_is_encrypted_and_downloads_as_a_zip(app, client, db):
    user = make_user()
    space = make_space(user)
    make_document(space, title="Bilan Zoe", content=SECRET_TEXT, filename="bilan.txt")
    client.sign_in(user.email)
    assert client.submit(space_path(space, "/export")).status_code == 303
    job = export.ExportJob.get()
    raw = _raw(job.file_path)
    assert raw.startswith(crypto.MAGIC) and b"Zoe" not in raw and b"PK\x03\x04" not in raw
    assert stat.S_IMODE(os.stat(job.file_path).st_mode) == 0o600
    with client.get(space_path(space, f"/export/{job.id}/telecharger")) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert any(SECRET_TEXT == archive.read(n) for n in archive.namelist())


def test_totp_secrets_and_outbox_codes_are_sealed_in_the_database(app, db):
    mediator = make_user("mediator")
    secret = mediator.totp_secret
    stored = database.execute_sql('SELECT totp_secret FROM "user" WHERE id = ' +
                                  database.param, (mediator.id,)).fetchone()[0]
    assert crypto.is_sealed(stored) and secret not in stored
    assert User.get_by_id(mediator.id).totp_secret == secret
    row = notify(mediator, "email_change_code", channel="email", code="482913")
    raw = database.execute_sql("SELECT params FROM outbox WHERE id = " + database.param,
                               (row.id,)).fetchone()[0]
    assert "482913" not in raw and json.loads(Outbox.get_by_id(row.id).params)["code"] == \
        "482913"


def test_a_sent_email_keeps_nothing_of_its_code(app, db):
    user = make_user()
    row = notify(user, "email_change_code", channel="email", code="771204")
    sent, _failed = mail.send_due()
    assert sent == 1
    assert "771204" not in Outbox.get_by_id(row.id).params
    assert "771204" in app.extensions["mail_sent"][-1].get_content()


def test_rotating_the_master_key_rewraps_files_and_reseals_secrets(app, db):
    digest, _size, _mime = storage.store(io.BytesIO(SECRET_TEXT))
    mediator = make_user("mediator")
    secret = mediator.totp_secret
    old = crypto.parse_keys(app.config["DATA_KEYS"])
    new = crypto.new_key()
    app.config["DATA_KEYS"] = crypto.format_keys([new] + old)
    files, sealed = rewrap_everything()
    assert files >= 1 and sealed >= 1
    app.config["DATA_KEYS"] = crypto.format_keys([new])  # the old key is gone
    with storage.open_blob(digest) as blob:
        assert blob.read() == SECRET_TEXT
    assert User.get_by_id(mediator.id).totp_secret == secret


def test_the_rotate_keys_command(app, db, tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_KEYS", raising=False)
    digest, _size, _mime = storage.store(io.BytesIO(SECRET_TEXT))
    (tmp_path / "instance").mkdir(exist_ok=True)
    app.instance_path = str(tmp_path / "instance")
    (tmp_path / "instance" / "data_keys").write_text(app.config["DATA_KEYS"])
    before = crypto.parse_keys(app.config["DATA_KEYS"])[0][0]
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0, result.output
    after = crypto.parse_keys((tmp_path / "instance" / "data_keys").read_text())
    assert len(after) == 1 and after[0][0] != before
    with storage.open_blob(digest) as blob:
        assert blob.read() == SECRET_TEXT


def test_the_sqlite_file_is_the_service_users_only(app, db):
    from webapp.db import is_sqlite

    if not is_sqlite():
        pytest.skip("PostgreSQL keeps its own files")
    path = app.config["DATABASE_URL"].split(":///", 1)[1]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
