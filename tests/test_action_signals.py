"""Each change of state announces itself once, after its commit, and never when its
transaction rolls back: blocking and unblocking a professional, activating, closing,
reopening and purging a space, hiding a document, expiring an export. An archive is
deleted only after the commit that stops pointing to it."""

import datetime as dt
from contextlib import contextmanager

import pytest
from flask import current_app

from tests.helpers import followed_patient, make_document, make_space, make_user, space_path
from webapp import signals, storage
from webapp.access import Access
from webapp.accounts import export, lifecycle
from webapp.db import database, open_database, transaction, utcnow
from webapp.models.documents import Document
from webapp.models.privacy import ExportJob
from webapp.models.spaces import Block, Space
from webapp.privacy import actions
from webapp.record import documents


def seen_elsewhere(query):
    """The rows a second connection reads: only what is committed."""
    other = open_database(current_app.config["DATABASE_URL"])
    try:
        return other.execute_sql(*query.sql()).fetchall()
    finally:
        other.close()


@contextmanager
def received(signal, check):
    """The calls of `signal` while inside; each notes whether a transaction was still open
    and what check(sender, **kwargs) found in the database from another connection."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(dict(sender=sender, kwargs=kwargs, open=database.in_transaction(),
                          seen=check(sender, **kwargs)))

    with signal.connected_to(receiver):
        yield calls


@pytest.fixture
def world(db):
    return followed_patient()


def _access(world):
    return Access.open(world["owner"], world["space"].ref)


def _blocked(world):
    return Block.select(Block.id).where((Block.space == world["space"])
                                        & (Block.professional == world["pro"]))


def _state(space_id):
    return Space.select(Space.state).where(Space.id == space_id)


def _archive(name="export-1-test.zip", expires_in=-1, space=None, folder=None):
    """A ready export job whose archive is on disk (expired unless told)."""
    path = storage.private_dir(folder or export.export_dir()) / name
    path.write_bytes(b"archive")
    job = ExportJob.create(space=space, state="ready", file_path=str(path), finished_at=utcnow(),
                           expires_at=utcnow() + dt.timedelta(days=expires_in))
    return job, path


def _block(world):
    actions.block(_access(world), world["pro"])


def _unblock(world):
    Block.create(space=world["space"], professional=world["pro"])
    actions.unblock(_access(world), world["pro"])


def _activate(world):
    world["space"] = make_space()
    lifecycle.activate(world["space"], make_user())


def _close(world):
    lifecycle.close(_access(world))


def _reopen(world):
    lifecycle.close(_access(world))  # closed beforehand: only the reopening is watched
    lifecycle.reopen(world["space"], world["owner"])


def _hide(world):
    world["document"] = make_document(world["space"])
    documents.set_hidden(_access(world), world["document"], True)


def _expire(world):
    world["job"], world["archive"] = _archive(space=world["space"])
    export.remove_expired()


def _purge(world):
    world["job"], world["archive"] = _archive(space=world["space"], expires_in=3)
    lifecycle.purge(world["space"])


CASES = {
    "block": (signals.professional_blocked, _block,
              lambda w, sender, space: sender.professional_id == w["pro"].id
              and space.id == w["space"].id and bool(seen_elsewhere(_blocked(w)))),
    "unblock": (signals.professional_unblocked, _unblock,
                lambda w, sender, professional: professional.id == w["pro"].id
                and sender.id == w["space"].id and not seen_elsewhere(_blocked(w))),
    "activate": (signals.space_activated, _activate,
                 lambda w, sender: seen_elsewhere(_state(sender.id)) == [("active",)]),
    "close": (signals.space_closed, _close,
              lambda w, sender, by: by.id == w["owner"].id
              and seen_elsewhere(_state(sender.id)) == [("closed",)]),
    "reopen": (signals.space_reopened, _reopen,
               lambda w, sender: seen_elsewhere(_state(sender.id)) == [("active",)]),
    "hide": (signals.document_visibility_changed, _hide,
             lambda w, sender: sender.hidden and seen_elsewhere(
                 Document.select(Document.hidden).where(Document.id == sender.id))[0][0]),
    "expire": (signals.export_expired, _expire,
               lambda w, sender, path: path == str(w["archive"]) and seen_elsewhere(
                   ExportJob.select(ExportJob.state, ExportJob.file_path)
                   .where(ExportJob.id == sender.id)) == [("expired", "")]),
    "purge": (signals.space_deleted, _purge,
              lambda w, sender, reason: reason == "purge"
              and not seen_elsewhere(_state(sender))),
}


@pytest.mark.parametrize("name", CASES)
def test_the_action_signals_once_after_its_commit(app, world, name):
    signal, run, check = CASES[name]
    with received(signal, lambda sender, **kw: check(world, sender, **kw)) as calls:
        run(world)
    assert len(calls) == 1
    assert calls[0]["open"] is False and calls[0]["seen"]


@pytest.mark.parametrize("name", CASES)
def test_no_signal_when_the_transaction_rolls_back(app, world, name):
    signal, run, _check = CASES[name]
    with received(signal, lambda sender, **kw: True) as calls:
        with pytest.raises(RuntimeError), transaction():
            run(world)
            raise RuntimeError("interrupted")
    assert calls == []


def test_blocking_from_the_page_signals_after_commit(app, client, world):
    client.sign_in(world["owner"].email)
    url = space_path(world["space"], f"/confidentialite/professionnels/{world['pro'].id}")
    check = CASES["block"][2]
    with received(signals.professional_blocked,
                  lambda sender, **kw: check(world, sender, **kw)) as calls:
        assert client.submit(f"{url}/bloquer").status_code == 303
    assert len(calls) == 1 and calls[0]["open"] is False and calls[0]["seen"]
    with received(signals.professional_unblocked, lambda sender, **kw: True) as calls:
        assert client.submit(f"{url}/debloquer").status_code == 303
    assert len(calls) == 1 and not Block.select().exists()


def test_the_archive_stays_when_the_expiry_is_not_committed(app, world, monkeypatch):
    job, path = _archive(space=world["space"])

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("the database refused")

    monkeypatch.setattr(ExportJob, "save", failing_save)
    with pytest.raises(RuntimeError):
        export.remove_expired()
    assert path.exists()
    assert ExportJob.get_by_id(job.id).state == "ready"


def test_the_archive_stays_when_an_outer_transaction_rolls_back(app, world):
    job, path = _archive(space=world["space"])
    with pytest.raises(RuntimeError), transaction():
        export.remove_expired()
        raise RuntimeError("interrupted")
    assert path.exists() and ExportJob.get_by_id(job.id).file_path == str(path)


def test_an_expired_archive_goes_after_the_commit(app, world):
    job, path = _archive(space=world["space"])
    kept, kept_path = _archive("export-2-test.zip", expires_in=3, space=world["space"])
    assert export.remove_expired() == 1
    assert not path.exists() and kept_path.exists()
    job = ExportJob.get_by_id(job.id)
    assert job.state == "expired" and job.file_path == ""
    assert ExportJob.get_by_id(kept.id).state == "ready"


def test_only_files_in_the_export_folder_are_deleted(app, world, tmp_path):
    _job, path = _archive(space=world["space"], folder=tmp_path / "elsewhere")
    assert export.remove_expired() == 1
    assert path.exists()


def test_purging_a_space_deletes_its_archives_after_the_commit(app, world):
    _job, path = _archive(space=world["space"], expires_in=3)
    with pytest.raises(RuntimeError), transaction():
        lifecycle.purge(world["space"])
        raise RuntimeError("interrupted")
    assert path.exists()
    lifecycle.purge(Space.get_by_id(world["space"].id))
    assert not path.exists()
