"""Notifications: the mandatory access notices, written from the access log once its
entries have settled, at most once a day per professional, an emergency access never
skipped, and nothing told again of what was logged before."""

import datetime as dt

from tests.helpers import act_for, make_child, make_user, sign_in_on, space_path
from tests.notifications_support import (
    _rows,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from webapp import policy
from webapp.db import utcnow
from webapp.models.spaces import CareRelation
from webapp.notify import access_notices
from webapp.privacy.actions import open_emergency


def test_professional_access_notified_once_a_day(app, world):
    space = world["space"]
    pro = app.test_client()
    prefix = sign_in_on(pro, world["pro"], space)
    pro.page(prefix + "/documents")
    pro.page(prefix + "/profil")
    assert not _rows(world["owner"], "professional_access")  # the pages only log
    assert access_notices.queue_access_notices(_later()) == 1  # send-outbox reads the log
    rows = _rows(world["owner"], "professional_access")
    assert len(rows) == 1 and rows[0].link == space_path(space, "/historique")
    assert _rows(world["owner"], "professional_access", "app")
    pro.page(prefix + "/documents")
    owner = app.test_client()
    owner.sign_in(world["owner"].email)
    owner.page(prefix + "/documents")
    assert access_notices.queue_access_notices(_later()) == 0  # once a day; her own: never
    assert len(_rows(world["owner"])) == 1


def _later():
    """A moment when the entries logged until now have settled."""
    return utcnow() + dt.timedelta(seconds=access_notices.SETTLE + 1)


def test_an_entry_younger_than_the_settle_time_waits_for_the_next_run(app, world):
    """Entries are read once they are SETTLE seconds old: a request that logged earlier
    but has not committed yet is not passed over."""
    pro = app.test_client()
    pro.page(sign_in_on(pro, world["pro"], world["space"]) + "/documents")
    assert access_notices.queue_access_notices() == 0
    assert not _rows(world["owner"], "professional_access")
    assert access_notices.queue_access_notices(_later()) == 1


def test_send_outbox_writes_the_access_notices_then_sends_them(app, world):
    pro = app.test_client()
    pro.page(sign_in_on(pro, world["pro"], world["space"]) + "/documents")
    app.config["ACCESS_NOTICE_SETTLE"] = 0
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 0 and "1 access notice(s) written" in result.output
    assert "1 sent" in result.output  # the e-mail of that notice, in the same run
    assert app.extensions["mail_sent"][0]["To"] == world["owner"].email


def test_two_runs_at_once_write_each_notice_once(app, world):
    from tests.test_workers import _at_once

    for _ in range(3):
        pro = make_user("professional")
        CareRelation.create(professional=pro, space=world["space"])
        client = app.test_client()
        client.page(sign_in_on(client, pro, world["space"]) + "/documents")
    later = _later()
    assert sum(_at_once(app, lambda: access_notices.queue_access_notices(later), 4)) == 3
    assert len(_rows(world["owner"], "professional_access")) == 3


def test_the_demo_history_is_not_announced(app, demo):
    assert access_notices.queue_access_notices(_later()) == 0


def test_mediator_access_notified_to_a_minors_guardians(app, world):
    parent = make_user()
    child = make_child(parent, dt.date(2015, 1, 1))
    client = app.test_client()
    prefix = act_for(client, make_user("mediator"), child, ["agenda.read"])
    client.page(prefix + "/agenda")
    client.page(prefix + "/agenda")
    access_notices.queue_access_notices(_later())
    assert len(_rows(parent, "mediator_access")) == 1


def test_each_emergency_access_is_notified_once_when_it_opens(app, world):
    urgentist = make_user("professional")  # who does not follow the patient
    assert open_emergency(urgentist, world["space"], "Patiente inconsciente") is None
    first = policy.grant_for(urgentist, world["space"])
    assert first is not None and first.emergency
    client = app.test_client()
    client.sign_in(urgentist.email)
    client.page(space_path(world["space"], "/documents"))
    client.page(space_path(world["space"], "/profil"))
    access_notices.queue_access_notices(_later())  # the pages it reads are not notified again
    assert len(_rows(world["owner"], "emergency_access")) == 1
    assert not _rows(world["owner"], "professional_access")
    # a second emergency access is a new event: notified again, the same day
    assert open_emergency(urgentist, world["space"], "Second appel du SAMU") is None
    assert len(_rows(world["owner"], "emergency_access")) == 2


def test_migration_16_starts_the_notices_after_what_was_logged_before(app, world):
    """What was logged before migration 16 was notified then: nothing is told again."""
    from webapp.db import SchemaVersion
    from webapp.migrations import create_schema
    from webapp.models.notifications import LogReader

    pro = app.test_client()
    pro.page(sign_in_on(pro, world["pro"], world["space"]) + "/documents")
    LogReader.delete().execute()
    SchemaVersion.delete().where(SchemaVersion.version == 16).execute()
    create_schema()
    assert access_notices.queue_access_notices(_later()) == 0
    assert not _rows(world["owner"], "professional_access")
