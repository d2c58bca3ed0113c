"""Actions and capacities are enums: the log's writer takes nothing else, views and
templates compare with the members (never a string typed again), and every action has
its words in the history, in French and in English."""

import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from tests.helpers import make_space
from webapp import audit
from webapp.audit import Action
from webapp.models.audit import AccessLog
from webapp.models.mandates import MANDATE_KINDS
from webapp.privacy.history import ACTIONS, CAPACITIES
from webapp.scopes import Capacity, Scope

ROOT = Path(audit.__file__).parent
# A capacity, an entry's action or a mandate's kind tested against a typed string.
_NAME = r"(?:capacity|\.action)\b"
_TEXT = r"""["'][^"']*["']"""
_KINDS = "|".join(MANDATE_KINDS)
_KIND = rf"""kind\b\s*(?:==|!=)\s*["'](?:{_KINDS})["']"""
TYPED = re.compile("|".join([
    rf"{_NAME}\s*(?:==|!=)\s*{_TEXT}",
    rf"{_TEXT}\s*(?:==|!=)\s*[\w.()]*{_NAME}",
    rf"{_NAME}\s*(?:not\s+)?in\s*[(\[{{]\s*{_TEXT}",
    rf"{_NAME}\.in_\(\s*[(\[{{]\s*{_TEXT}",
    _KIND,
]))
# Actions worded the same in both languages on purpose (none yet).
SAME_IN_ENGLISH = set()


def _sources():
    yield from sorted((ROOT / "views").glob("*.py"))
    yield from sorted((ROOT / "templates").rglob("*.html"))


def test_the_writer_refuses_a_bare_string_action(db):
    space = make_space()
    with pytest.raises(TypeError):
        audit.write(space, action="documents.read", capacity=Capacity.OWNER)
    with pytest.raises(TypeError):
        audit.write(space, action="account.franceconnect_link", capacity=Capacity.OWNER)
    assert AccessLog.select().where(AccessLog.space == space).count() == 0


def test_the_writer_refuses_a_bare_string_capacity(db):
    space = make_space()
    for capacity in ("owner", "citizen", "", None):
        with pytest.raises(TypeError):
            audit.write(space, action=Action.SPACE_VIEW, capacity=capacity)
    assert AccessLog.select().where(AccessLog.space == space).count() == 0


def test_the_writer_takes_members_and_a_scope_as_its_action(db):
    space = make_space()
    audit.write(space, action=Scope.DOCUMENTS_READ, capacity=Capacity.CITIZEN)
    audit.write(space, action=Action.FRANCECONNECT_LINK, capacity=Capacity.OWNER)
    rows = AccessLog.select().where(AccessLog.space == space).order_by(AccessLog.sequence)
    assert [(e.action, e.capacity) for e in rows] == [
        ("documents.read", "citizen"), ("account.franceconnect_link", "owner")]
    assert audit.first_broken(space) is None


def test_the_pattern_sees_typed_comparisons():
    """Not blind: each way of typing a capacity or an action again is caught."""
    for bad in ('grant.capacity != "owner"', "{% if entry.action == 'emergency.open' %}",
                'AccessLog.capacity.in_(("owner", "guardian"))', '"owner" == access.capacity',
                'm.author_capacity in ("guardian", "caregiver")', 'm.kind == "caregiver"'):
        assert TYPED.search(bad), bad
    for good in ("grant.capacity != Capacity.OWNER", "entry.action == Action.EMERGENCY_OPEN",
                 'client.kind == "app"', 'entry.kind == "reminder"'):
        assert not TYPED.search(good), good


def test_no_view_or_template_compares_a_capacity_or_an_action_with_a_string():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:90]}"
             for path in _sources()
             for n, line in enumerate(path.read_text().splitlines(), start=1)
             if TYPED.search(line)]
    assert not found, "compare with Capacity./Action. members:\n" + "\n".join(found)


def test_every_action_has_its_words_in_french_and_english(app):
    missing = [a.name for a in Action if a not in ACTIONS]
    assert not missing, f"add their wording to webapp.privacy.history.ACTIONS: {missing}"
    with app.test_request_context():
        for action in Action:
            with force_locale("fr"):
                french = str(ACTIONS[action])
            with force_locale("en"):
                english = str(ACTIONS[action])
            assert french and english
            assert english != french or action in SAME_IN_ENGLISH, (action, french)


def test_every_capacity_that_acts_on_a_space_has_its_words(app):
    """Who acted is told by role: every capacity is named, the service's own too."""
    with app.test_request_context():
        for capacity in Capacity:
            with force_locale("fr"):
                french = str(CAPACITIES[capacity])
            with force_locale("en"):
                assert str(CAPACITIES[capacity]) != french, capacity
