"""Statements whose SQL is made once (webapp.compiled): same rows, ids and counts as
peewee's own execution, the SQL generated only for the first call, and a value built
into the statement instead of passed as an argument caught in testing."""

import pytest

from tests.helpers import make_space, make_user
from webapp import compiled
from webapp.compiled import Compiled
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.audit import LogHead
from webapp.models.spaces import Space


def _by_email(calls):
    def build(email):
        calls.append(email)
        return User.select().where(User.email == email).limit(1)
    return build


def test_rows_are_the_models_peewee_gives(app, db):
    alice, bob = make_user(email="alice@example.org"), make_user(email="bob@example.org")
    space = make_space(alice)
    query = Compiled(lambda ref: Space.select(Space, User).join(User).where(Space.ref == ref)
                     .limit(1), "\0probe")
    row = query.first(space.ref)
    assert (row.id, row.owner.email) == (space.id, alice.email)  # the join is a model
    assert query.first("missing") is None
    assert Compiled(_by_email([]), "\0probe").first(bob.email).id == bob.id


def test_the_sql_is_generated_for_the_first_call_only(app, db, monkeypatch):
    users = [make_user(email=f"u{i}@example.org") for i in range(3)]
    calls, made = [], []
    original = compiled._prepare
    monkeypatch.setattr(compiled, "_prepare", lambda q: made.append(1) or original(q))
    query = Compiled(_by_email(calls), "\0probe")
    app.testing = False  # no check against a fresh build: what production does
    try:
        found = [query.first(u.email).id for u in users]
    finally:
        app.testing = True
    assert found == [u.id for u in users]
    assert calls == ["\0probe"] and made == [1]  # built and generated once, with the probe


def test_inserts_give_their_id_and_updates_their_count(app, db):
    space = make_space(make_user())
    insert = Compiled(lambda space_id, sequence: LogHead.insert(
        space=space_id, sequence=sequence, last_hash="", seal=""), -1, -2)
    insert.run(space.id, 4)
    move = Compiled(lambda space_id, old, new: LogHead.update(sequence=new).where(
        (LogHead.space == space_id) & (LogHead.sequence == old)), -1, -2, -3)
    assert move.run(space.id, 4, 5) == 1
    assert move.run(space.id, 4, 6) == 0  # the compare-and-set lost: nothing moved
    assert LogHead.get(LogHead.space == space.id).sequence == 5


def test_a_value_built_into_the_statement_fails_in_testing(app, db):
    make_user(email="alice@example.org")
    clock = Compiled(lambda email: User.select().where(
        (User.email == email) & (User.created_at < utcnow())).limit(1), "\0probe")
    with pytest.raises(AssertionError, match="compiled statement differs"):
        clock.first("alice@example.org")


def test_a_probe_that_is_not_a_parameter_is_refused(app, db):
    with pytest.raises(ValueError, match="not parameters"):
        Compiled(lambda email: User.select().where(User.email == "fixed"), "\0probe").first("x")
