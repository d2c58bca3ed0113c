"""Commands a scheduler (cron, systemd timer) runs: queue tomorrow's appointment reminders,
and deliver the queued e-mails. For example, in a crontab:

    0 18 * * *   flask --app webapp send-reminders   # once a day; running it again is harmless
    * * * * *    flask --app webapp send-outbox      # every minute; retries wait their turn
"""

import datetime as dt
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp import mail
from webapp.db import database, transaction, utcnow
from webapp.models.agenda import Appointment
from webapp.notify.access_notices import queue_access_notices
from webapp.notify.handlers import path
from webapp.notify.queue import notify
from webapp.policy import holders_of


def tomorrow_bounds(now=None):
    """Start and end (naive UTC) of tomorrow in the service's time zone."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    local_today = (now or utcnow()).replace(tzinfo=dt.UTC).astimezone(zone).date()
    start = dt.datetime.combine(local_today + dt.timedelta(days=1), dt.time(), zone)
    end = dt.datetime.combine(local_today + dt.timedelta(days=2), dt.time(), zone)
    return (start.astimezone(dt.UTC).replace(tzinfo=None),
            end.astimezone(dt.UTC).replace(tzinfo=None))


def queue_reminders(now=None):
    """Queue one reminder per appointment of tomorrow, once (a marker on the appointment)."""
    now = now or utcnow()
    start, end = tomorrow_bounds(now)
    queued = 0
    due = Appointment.select().where(
        (Appointment.starts_at >= start) & (Appointment.starts_at < end)
        & (Appointment.kind == "appointment") & Appointment.reminder_queued_at.is_null()
        & Appointment.status.not_in(("proposed", "declined", "withdrawn")))  # those that hold
    for entry in due:
        with transaction():
            # Claim the appointment first: a second run at the same time claims nothing.
            claimed = (Appointment.update(reminder_queued_at=now)
                       .where((Appointment.id == entry.id)
                              & Appointment.reminder_queued_at.is_null()).execute())
            if not claimed:
                continue
            for holder in holders_of(entry.space, now):
                notify(holder, "appointment_reminder",
                       link=path("agenda.show", ref=entry.space.ref, entry_id=entry.id))
            queued += 1
    return queued


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Queue reminders for tomorrow's appointments (safe to run several times)."""
    with database.connection_context():
        n = queue_reminders()
    click.echo(f"{n} reminder(s) queued.")


@click.command("send-outbox")
@with_appcontext
def send_outbox_command():
    """Write the notices of today's accesses, then deliver the queued e-mails that are
    due; failed ones are retried later."""
    with database.connection_context():
        noticed = queue_access_notices()
        sent, failed = mail.send_due()
    click.echo(f"{sent} sent, {failed} failed (will be retried); "
               f"{noticed} access notice(s) written.")
