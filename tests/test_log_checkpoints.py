"""The access log resists rewriting, not only editing: chain heads are sealed, and signed
checkpoints kept outside the database catch entries cut from the end or a chain rewritten,
even by someone who can write the database."""

import json

import pytest

from tests.helpers import make_space, make_user
from webapp import audit
from webapp.audit import checkpoints
from webapp.models.audit import AccessLog, LogHead
from webapp.scopes import Capacity


@pytest.fixture
def chain(app, db, tmp_path):
    app.config["AUDIT_CHECKPOINTS"] = str(tmp_path / "checkpoints.jsonl")
    space = make_space(make_user())
    for _ in range(5):
        audit.write(space, action=audit.Action.DOCUMENTS_READ, capacity=Capacity.OWNER)
    return space


def _verify(app):
    return app.test_cli_runner().invoke(args=["verify-log"])


def test_a_clean_log_and_its_checkpoints_verify(app, chain):
    assert checkpoints.write() == 1
    assert checkpoints.write() == 0  # nothing moved since
    audit.write(chain, action=audit.Action.SPACE_VIEW, capacity=Capacity.OWNER)
    assert checkpoints.write() == 1
    result = _verify(app)
    assert result.exit_code == 0, result.output


def test_entries_cut_from_the_end_and_the_head_rewound_are_caught(app, chain):
    checkpoints.write()
    last = AccessLog.select().where(AccessLog.space == chain).order_by(
        AccessLog.sequence.desc()).first()
    AccessLog.delete().where(AccessLog.id == last.id).execute()
    previous = AccessLog.get((AccessLog.space == chain) & (AccessLog.sequence == 4))
    # someone without the key rewinds the head as well: the seal gives it away...
    LogHead.update(sequence=4, last_hash=previous.entry_hash).where(
        LogHead.space == chain).execute()
    assert audit.first_broken(chain) is not None
    # ...and with a valid seal (the key stolen), the checkpoint still does
    LogHead.update(seal=audit.head_seal(chain.id, 4, previous.entry_hash)).where(
        LogHead.space == chain).execute()
    assert audit.first_broken(chain) is None
    result = _verify(app)
    assert result.exit_code == 1 and "entry #5 of the checkpoint" in result.output


def test_an_edited_checkpoint_file_is_reported(app, chain):
    checkpoints.write()
    path = checkpoints.path()
    line = json.loads(path.read_text())
    line["heads"][str(chain.id)][0] = 2  # pretend the chain was shorter
    path.write_text(json.dumps(line) + "\n")
    result = _verify(app)
    assert result.exit_code == 1 and "checkpoint file was altered" in result.output


def test_the_checkpoint_file_is_the_service_users_only(app, chain):
    import os
    import stat

    checkpoints.write()
    assert stat.S_IMODE(os.stat(checkpoints.path()).st_mode) == 0o600


def test_the_checkpoint_command(app, chain):
    result = app.test_cli_runner().invoke(args=["checkpoint-log"])
    assert result.exit_code == 0 and "for 1 chain" in result.output
