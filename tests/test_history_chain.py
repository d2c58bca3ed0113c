"""Access history: the keyed chain and its head checked by verify-log; edited, deleted or
recomputed entries are detected, rows of the first format still verify."""

import datetime as dt
import hashlib
import hmac

from tests.helpers import make_space, make_user
from tests.history_support import world_fixture  # noqa: F401 (the fixture "world")
from webapp import audit
from webapp.audit import Action
from webapp.audit.old_format import split_old_target
from webapp.models.audit import AccessLog, LogHead
from webapp.scopes import Capacity

# verify-log: the keyed chain and its head.

def _verify(app):
    return app.test_cli_runner().invoke(args=["verify-log"])


def _entries(space):
    return list(AccessLog.select().where(AccessLog.space == space).order_by(AccessLog.sequence))


def _rechain(space, digest, start=1):
    """What someone with the database but without the key would do: rewrite the chain
    from `start` with their own MAC function, and the head after it."""
    previous = ""
    for entry in _entries(space):
        if entry.sequence >= start:
            entry.prev_hash = previous
            entry.entry_hash = digest(entry)
            entry.save()
        previous = entry.entry_hash
    last = _entries(space)[-1]
    LogHead.update(sequence=last.sequence, last_hash=last.entry_hash).where(
        LogHead.space == space).execute()


def test_a_clean_chain_passes(app, world):
    result = _verify(app)
    assert result.exit_code == 0 and "intact" in result.output
    assert audit.first_broken(world["space"]) is None


def test_an_edited_entry_is_detected(app, world):
    victim = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(detail="rien").where(AccessLog.id == victim.id).execute()
    assert audit.first_broken(world["space"]).id == victim.id
    result = _verify(app)
    assert result.exit_code == 1
    assert f"entry #{victim.sequence}" in result.output


def test_a_chain_recomputed_with_plain_sha256_is_detected(app, world):
    victim = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(detail="rien").where(AccessLog.id == victim.id).execute()
    _rechain(world["space"], lambda e: hashlib.sha256(e.payload().encode()).hexdigest(),
             start=victim.sequence)
    assert audit.first_broken(world["space"]).id == victim.id
    assert _verify(app).exit_code == 1


def test_keyed_entries_passed_off_as_the_first_format_are_detected(app, world):
    """Marking keyed entries as written before the keyed chain (plain SHA-256) does not
    help: a chain never goes back to the first format."""
    victim = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(format=1, detail="rien").where(
        (AccessLog.space == world["space"]) & (AccessLog.sequence >= victim.sequence)).execute()
    _rechain(world["space"], lambda e: hashlib.sha256(e.payload().encode()).hexdigest(),
             start=victim.sequence)
    assert audit.first_broken(world["space"]).id == victim.id
    assert _verify(app).exit_code == 1


def test_a_chain_recomputed_with_a_wrong_key_is_detected(app, world):
    victim = AccessLog.get(AccessLog.mandate_ref == "ABC123")
    AccessLog.update(actor_name="Quelqu'un d'autre").where(AccessLog.id == victim.id).execute()

    def wrong_key(entry):
        return hmac.new(b"not-the-key", entry.payload().encode(), hashlib.sha256).hexdigest()

    _rechain(world["space"], wrong_key, start=victim.sequence)
    assert audit.first_broken(world["space"]).id == victim.id
    assert _verify(app).exit_code == 1


def test_entries_deleted_from_the_end_are_detected(app, world):
    entries = _entries(world["space"])
    AccessLog.delete().where(AccessLog.id.in_([e.id for e in entries[-2:]])).execute()
    broken = audit.first_broken(world["space"])
    assert broken is not None and broken.sequence == entries[-3].sequence
    result = _verify(app)
    assert result.exit_code == 1 and "chain broken" in result.output


def test_a_missing_head_is_detected(app, world):
    LogHead.delete().where(LogHead.space == world["space"]).execute()
    assert audit.first_broken(world["space"]) is not None
    assert _verify(app).exit_code == 1


def test_a_chain_emptied_of_all_its_entries_is_detected(app, world):
    AccessLog.delete().where(AccessLog.space == world["space"]).execute()
    assert audit.first_broken(world["space"]) is not None
    result = _verify(app)
    assert result.exit_code == 1 and "its entries are missing" in result.output


def test_a_deleted_entry_in_the_middle_is_detected(app, world):
    middle = AccessLog.get(AccessLog.mandate_ref == "ABC123")
    AccessLog.delete().where(AccessLog.id == middle.id).execute()
    result = _verify(app)
    assert result.exit_code == 1 and f"entry #{middle.sequence + 1}" in result.output


def _old_chain(space, targets):
    """Entries written before the keyed chain (format 1, plain SHA-256), their columns
    filled and their head made as migration 3 does."""
    previous = ""
    for sequence, target in enumerate(targets, start=1):
        kind, ident, detail = split_old_target(target)
        entry = AccessLog(space=space, capacity="owner", action="documents.read",
                          target=target, target_kind=kind, target_id=ident, detail=detail,
                          allowed=True, sequence=sequence, prev_hash=previous, format=1,
                          created_at=dt.datetime(2026, 1, sequence))
        entry.entry_hash = hashlib.sha256(entry.payload().encode()).hexdigest()
        entry.save(force_insert=True)
        previous = entry.entry_hash
    LogHead.create(space=space, sequence=len(targets), last_hash=previous,
                   seal=audit.head_seal(space.id, len(targets), previous))


def test_rows_of_the_first_format_still_verify(app, db):
    space = make_space(make_user())
    _old_chain(space, ("document:12:download", "history.index"))
    assert audit.first_broken(space) is None
    assert _verify(app).exit_code == 0
    audit.write(space, action=Action.SPACE_VIEW, capacity=Capacity.OWNER)  # keyed from now
    assert audit.first_broken(space) is None
    assert [e.format for e in _entries(space)] == [1, 1, 2]
    assert _verify(app).exit_code == 0


def test_columns_of_a_row_of_the_first_format_must_match_its_target(app, db):
    """Its MAC covers the old target string, not the columns the history reads."""
    space = make_space(make_user())
    _old_chain(space, ("document:12:download", "history.index"))
    AccessLog.update(detail="delete").where(
        (AccessLog.space == space) & (AccessLog.sequence == 1)).execute()
    assert audit.first_broken(space).sequence == 1
    assert _verify(app).exit_code == 1
