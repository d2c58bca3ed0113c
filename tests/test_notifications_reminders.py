"""Notifications: appointment reminders queued once for the next Paris day, saying what
happened and not what it is."""

import datetime as dt

from flask_babel import force_locale

from tests.helpers import space_path
from tests.notifications_support import (
    _rows,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from webapp.commands.notifications import queue_reminders, tomorrow_bounds
from webapp.models.agenda import Appointment
from webapp.notify import events


def _paris_noon_tomorrow():
    start, _ = tomorrow_bounds()
    return start + dt.timedelta(hours=12)


def test_reminders_are_queued_once(app, world):
    tomorrow = Appointment.create(space=world["space"], title="Cardiologue",
                                  starts_at=_paris_noon_tomorrow())
    Appointment.create(space=world["space"], title="Plus tard",
                       starts_at=_paris_noon_tomorrow() + dt.timedelta(days=1))
    assert queue_reminders() == 1
    assert queue_reminders() == 0
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "0 reminder(s) queued." in result.output
    rows = _rows(world["owner"], "appointment_reminder")
    assert len(rows) == 1 and rows[0].link == space_path(world["space"], f"/agenda/{tomorrow.id}")
    with force_locale("fr"):
        subject, text = events.texts(rows[0])
    assert "Cardiologue" not in subject + text  # says what happened, not what it is
    assert Appointment.get_by_id(tomorrow.id).reminder_queued_at is not None


def test_tomorrow_follows_paris_days(db):
    start, end = tomorrow_bounds(dt.datetime(2026, 11, 23, 23, 30))  # already 24 Nov in Paris
    assert start == dt.datetime(2026, 11, 24, 23, 0) and end - start == dt.timedelta(hours=24)


def test_demo_reminder_is_due_tomorrow(client, demo):
    assert queue_reminders() == 1
    assert queue_reminders() == 0
