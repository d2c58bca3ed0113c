"""Every way a mandate ends goes through one action (webapp.assist.actions.end_mandates):
a new mandate replacing the office's, the space closed, the visit over at sign-out. Each
ended mandate gets its own log entry, and the signal that tells people, after commit."""

import ast
import datetime as dt
import pathlib
from contextlib import contextmanager

import pytest

from tests.helpers import logged, make_user
from tests.test_mandate_support import citizen_with_space, mandate_for
from webapp import audit, signals
from webapp.access import Access
from webapp.accounts import lifecycle
from webapp.assist import actions
from webapp.db import database, utcnow
from webapp.models.mandates import ConsentCode, Mandate
from webapp.models.notifications import Outbox

WEBAPP = pathlib.Path(__file__).resolve().parent.parent / "webapp"


@contextmanager
def ended_signals():
    """The (mandate, by, in a transaction?) of each mandate_ended sent meanwhile."""
    seen = []

    def receiver(mandate, by):
        seen.append((mandate.id, by.id, database.in_transaction()))

    with signals.mandate_ended.connected_to(receiver):
        yield seen


def _told(person, event="mandate_ended"):
    return Outbox.select().where((Outbox.recipient == person) & (Outbox.template == event))


def _consent(mediator, space):
    return ConsentCode.create(space=space, requested_by=mediator, office=mediator.office,
                              scopes="documents.read", duration="month", method="code",
                              expires_at=utcnow() + dt.timedelta(minutes=10),
                              confirmed_at=utcnow())


def test_a_replaced_mandate_is_logged_and_its_people_are_told(db):
    citizen, space = citizen_with_space()
    first = make_user("mediator")
    second = make_user("mediator", office=first.office)
    old = mandate_for(first, space, ["documents.read"], duration="month")
    with ended_signals() as seen:
        new = actions.create_mediator_mandate(second, space, ["documents.read"], "month",
                                              _consent(second, space))
    assert Mandate.get_by_id(old.id).state() == "revoked"
    assert Mandate.get_by_id(new.id).state() == "active"
    assert seen == [(old.id, second.id, False)]  # sent once, after commit
    assert _told(citizen).exists()
    assert _told(first).exists()  # the colleague whose mandate was replaced
    assert not _told(second).exists()  # not the one who replaced it
    assert logged(target=old, action="mandate.end", space=space.id).count() == 1


def test_closing_a_space_writes_one_entry_per_ended_mandate(db):
    owner, space = citizen_with_space()
    mediator, caregiver = make_user("mediator"), make_user()
    ended = [mandate_for(mediator, space, ["documents.read"], duration="month"),
             mandate_for(caregiver, space, ["documents.read"], kind="caregiver")]
    gone = mandate_for(mediator, space, ["documents.read"],
                       ends_at=utcnow() - dt.timedelta(days=1))
    with ended_signals() as seen:
        lifecycle.close(Access.open(owner, space.ref))
    assert sorted(m for m, _by, _tx in seen) == sorted(m.id for m in ended)
    assert all(by == owner.id and not tx for _m, by, tx in seen)
    for mandate in ended:
        entry = logged(target=mandate, action="mandate.end", space=space.id).get()
        assert entry.actor_id == owner.id and entry.mandate_ref == mandate.reference
    assert not logged(target=gone, action="mandate.end").exists()
    assert logged(action="account.close", space=space.id).count() == 1
    assert audit.first_broken(space) is None


def test_the_end_of_a_visit_is_logged_and_the_citizen_told(client, db):
    citizen, space = citizen_with_space()
    mediator = make_user("mediator")
    visit = mandate_for(mediator, space, ["profile.read"], duration="visit")
    month = mandate_for(mediator, space, ["documents.read"], duration="month")
    client.sign_in(mediator.email)
    with ended_signals() as seen:
        client.submit("/deconnexion")
    assert Mandate.get_by_id(visit.id).state() == "expired"
    assert Mandate.get_by_id(month.id).state() == "active"
    assert seen == [(visit.id, mediator.id, False)]
    entry = logged(target=visit, action="mandate.end", space=space.id).get()
    assert entry.actor_id == mediator.id and entry.capacity == "mediator"
    assert _told(citizen).exists()
    assert audit.first_broken(space) is None


def test_an_ended_mandate_ends_once(db):
    owner, space = citizen_with_space()
    mandate = mandate_for(make_user("mediator"), space, ["documents.read"])
    with ended_signals() as seen:
        assert actions.end_mandate(mandate, owner)
        assert not actions.end_mandate(Mandate.get_by_id(mandate.id), owner)
    assert len(seen) == 1 and logged(target=mandate, action="mandate.end").count() == 1


def _ending_writes(path):
    """(line, what) of each place in a module that writes a mandate's end."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "Mandate" \
                and node.func.attr in ("update", "insert", "insert_many", "replace"):
            found.append((node.lineno, f"Mandate.{node.func.attr}"))
        targets = node.targets if isinstance(node, ast.Assign) else [
            node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr in ("revoked_at", "ends_at"):
                    found.append((part.lineno, f".{part.attr} ="))
    return found


def _function_lines(path, name):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    function = next(n for n in ast.walk(tree)
                    if isinstance(n, ast.FunctionDef) and n.name == name)
    return range(function.lineno, function.end_lineno + 1)


@pytest.mark.parametrize("module", sorted(
    str(p.relative_to(WEBAPP)) for p in WEBAPP.rglob("*.py")
    if "Mandate" in p.read_text(encoding="utf-8")))
def test_only_end_mandates_writes_that_a_mandate_ended(module):
    """A second copy of 'end a mandate' (no log entry, nobody told) fails here."""
    path = WEBAPP / module
    allowed = _function_lines(WEBAPP / "assist/actions.py", "end_mandates") \
        if module == "assist/actions.py" else range(0)
    stray = [(line, what) for line, what in _ending_writes(path) if line not in allowed]
    assert stray == [], f"webapp/{module}: end mandates through actions.end_mandates"


def test_the_one_place_is_where_the_check_looks():
    path = WEBAPP / "assist/actions.py"
    inside = [w for line, w in _ending_writes(path)
              if line in _function_lines(path, "end_mandates")]
    assert "Mandate.update" in inside and ".revoked_at =" in inside
