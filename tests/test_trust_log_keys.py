"""The access log's key can be rotated: new entries, heads and checkpoints are signed with
the new key, what older keys signed still verifies, and a retired key that leaks cannot
rewrite what a newer key covers (nor seal a head, nor sign a checkpoint after a newer one)."""

import hashlib
import hmac
import json
import os
import stat

import pytest

from tests.helpers import make_space, make_user
from webapp import audit
from webapp.audit import checkpoints
from webapp.audit import keys as logkeys
from webapp.models.audit import AccessLog, LogHead
from webapp.scopes import Capacity

NEW = "k2:" + "b" * 64
OLD = "test-audit-key"  # the tests' AUDIT_KEY, the original key (empty id)


@pytest.fixture
def chain(app, db, tmp_path):
    app.config["AUDIT_CHECKPOINTS"] = str(tmp_path / "checkpoints.jsonl")
    space = make_space(make_user())
    for _ in range(3):
        audit.write(space, action=audit.Action.DOCUMENTS_READ, capacity=Capacity.OWNER)
    checkpoints.write()
    return space


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _rotate(app):
    """A new key made current (as after a restart with it first), then the command."""
    app.config["AUDIT_KEYS"] = NEW
    result = _cli(app, "rotate-audit-key")
    assert result.exit_code == 0, result.output
    return result


def _entries(space):
    return list(AccessLog.select().where(AccessLog.space == space).order_by(AccessLog.sequence))


def test_after_rotation_old_entries_verify_and_new_ones_use_the_new_key(app, chain):
    result = _rotate(app)
    assert "k2 is current: 1 chain head(s) resealed" in result.output
    assert LogHead.get(LogHead.space == chain).seal.startswith("k2$")
    audit.write(chain, action=audit.Action.SPACE_VIEW, capacity=Capacity.OWNER)
    entries = _entries(chain)
    assert [e.entry_hash.startswith("k2$") for e in entries] == [False] * 3 + [True]
    assert json.loads(checkpoints.path().read_text().splitlines()[-1])["sig"].startswith("k2$")
    checkpoints.write()
    assert audit.first_broken(chain) is None
    verified = _cli(app, "verify-log")
    assert verified.exit_code == 0, verified.output


def test_removing_a_retired_key_breaks_what_it_signed(app, chain):
    _rotate(app)
    app.config["AUDIT_KEY"] = ""  # the original key thrown away
    assert audit.first_broken(chain).sequence == 1


def test_a_leaked_retired_key_rewrites_nothing_a_newer_key_covers(app, chain):
    _rotate(app)
    audit.write(chain, action=audit.Action.SPACE_VIEW, capacity=Capacity.OWNER)
    # whoever holds the old key rewrites the old entries and recomputes them all with it
    first = _entries(chain)[0]
    AccessLog.update(detail="rewritten").where(AccessLog.id == first.id).execute()
    previous = ""
    for entry in _entries(chain):
        entry.prev_hash = previous
        entry.entry_hash = _old_mac(entry.payload())
        entry.save()
        previous = entry.entry_hash
    head = LogHead.get(LogHead.space == chain)
    LogHead.update(last_hash=previous, seal=_old_mac(
        f"head:{chain.id}:{head.sequence}:{previous}")).where(
        LogHead.space == chain).execute()
    # a head must be sealed with the current key, and the rotation's checkpoint (signed
    # with the new key) still holds the MACs the entries had
    assert audit.first_broken(chain) is not None
    verified = _cli(app, "verify-log")
    assert verified.exit_code == 1 and "of the checkpoint is missing or changed" in \
        verified.output


def test_a_head_resealed_with_a_retired_key_is_caught(app, chain):
    _rotate(app)
    head = LogHead.get(LogHead.space == chain)
    LogHead.update(seal=_old_mac(f"head:{chain.id}:{head.sequence}:{head.last_hash}")
                   ).where(LogHead.space == chain).execute()
    assert audit.first_broken(chain) is not None


def test_a_checkpoint_signed_with_a_retired_key_after_a_newer_one_is_caught(app, chain):
    _rotate(app)
    path = checkpoints.path()
    lines = path.read_text().splitlines()
    forged = {"at": "2030-01-01T00:00:00", "prev": json.loads(lines[-1])["sig"],
              "heads": {str(chain.id): [1, _entries(chain)[0].entry_hash]}}
    body = "checkpoint:" + json.dumps(forged, sort_keys=True)
    forged["sig"] = _old_mac(body)
    path.write_text("\n".join(lines + [json.dumps(forged, sort_keys=True)]) + "\n")
    with pytest.raises(checkpoints.BrokenCheckpoints):
        checkpoints.read()
    assert _cli(app, "verify-log").exit_code == 1


def test_a_broken_chain_is_not_resealed_by_the_rotation(app, chain):
    AccessLog.update(detail="edited").where(AccessLog.id == _entries(chain)[1].id).execute()
    app.config["AUDIT_KEYS"] = NEW
    result = _cli(app, "rotate-audit-key")
    assert result.exit_code == 1 and f"Space {chain.id}: chain broken" in result.output
    assert not LogHead.get(LogHead.space == chain).seal.startswith("k2$")
    assert _cli(app, "verify-log").exit_code == 1


def test_the_add_option_writes_a_new_key_first_for_the_service_user_only(
        app, db, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    path = tmp_path / "instance" / "audit_keys"
    app.config["AUDIT_KEYS"] = "k1:" + "a" * 64
    result = _cli(app, "rotate-audit-key", "--add")
    assert result.exit_code == 0, result.output
    lines = path.read_text().split()
    assert len(lines) == 2 and lines[1] == "k1:" + "a" * 64
    assert logkeys.parse("\n".join(lines))[0][0] != "k1"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    printed = _cli(app, "rotate-audit-key", "--new-key").output.strip()
    assert logkeys.parse(printed)


def test_keys_that_are_not_id_and_secret_are_refused(app):
    with pytest.raises(logkeys.UnusableKeys):
        logkeys.parse("no-colon-here")
    with pytest.raises(logkeys.UnusableKeys):
        logkeys.parse("k$1:" + "a" * 64)


def _old_mac(message):
    """A MAC made with the original key, as someone who stole it would."""
    return hmac.new(OLD.encode(), message.encode(), hashlib.sha256).hexdigest()
