"""The agenda's changes: entries of one's own added, changed, deleted; prevention
statuses; the private calendar feed created or revoked."""

import datetime as dt

from flask_babel import to_utc

from webapp.agenda.queries import live_feed
from webapp.audit import Action
from webapp.db import transaction, utcnow
from webapp.models.agenda import Appointment, CalendarFeed, PreventionStatus


def _fill(entry, form):
    entry.starts_at = to_utc(dt.datetime.combine(form.day.data, form.time.data))
    entry.kind, entry.title = form.kind.data, form.title.data.strip()
    entry.with_whom = (form.with_whom.data or "").strip()
    entry.address = (form.address.data or "").strip()
    entry.note = (form.note.data or "").strip()
    entry.updated_at = utcnow()


def add_entry(access, form):
    """An appointment or reminder of the holder's side."""
    with transaction():
        entry = Appointment(space=access.space, created_by=access.actor, owner_kind="citizen")
        _fill(entry, form)
        entry.save()
        access.log(Action.AGENDA_WRITE, entry, "add")
    return entry


def edit_entry(access, entry, form):
    """Change an entry of the holder's side."""
    with transaction():
        _fill(entry, form)
        entry.save()
        access.log(Action.AGENDA_WRITE, entry, "edit")


def delete_entry(access, entry):
    """Delete an entry of the holder's side."""
    with transaction():
        entry.delete_instance()
        access.log(Action.AGENDA_WRITE, entry, "delete")


def set_prevention_status(access, code, status):
    """Mark an item of the prevention calendar as to plan, done or not done."""
    with transaction():
        row = access.query(PreventionStatus).where(PreventionStatus.item == code).first() \
            or PreventionStatus(space=access.space, item=code)
        row.status, row.updated_at = status, utcnow()
        row.save()
        access.log(Action.AGENDA_WRITE, row, f"prevention:{code}")
    return row


def start_feed(access):
    """Create (or replace) the person's private calendar feed; returns the token."""
    with transaction():
        feed, token = CalendarFeed.start(access.actor, access.space)
        access.log(Action.FEED_CREATE, feed)
    return token


def revoke_feed(access):
    """Stop the person's calendar feed."""
    with transaction():
        live = live_feed(access)
        if live is not None:
            live.revoked_at = utcnow()
            live.save(only=[CalendarFeed.revoked_at])
        access.log(Action.FEED_REVOKE, live)


def feed_read(access, feed):
    """A calendar app read the feed: noted in the request's entry, and when it last did."""
    access.note(target=feed, detail="calendar feed")
    CalendarFeed.update(last_used_at=utcnow()).where(CalendarFeed.id == feed.id).execute()
