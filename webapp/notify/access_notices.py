"""The notices of accesses ("a professional opened your space"), written from the
access log by send-outbox rather than by the pages, which then write nothing for them."""

import datetime as dt

from flask import current_app

from webapp.db import is_sqlite, transaction, utcnow
from webapp.models.audit import AccessLog
from webapp.models.notifications import ACCESS_NOTICES, LogReader
from webapp.models.spaces import Space
from webapp.notify.events import ACCESS_EVENTS
from webapp.notify.handlers import path
from webapp.notify.queue import first_notice_today, notify
from webapp.policy import holders_of

SETTLE = 30  # seconds: a request's transaction commits well within this
BATCH = 100_000  # log entries read at most per run


def queue_access_notices(now=None):
    """Tell the holders of each space, once a day per person and kind, that someone else
    opened it (a professional, a mediator, a caregiver); return how many notices.

    Read from the access log, not sent by the pages (which then write nothing for it):
    send-outbox calls this before it sends, every minute, from where the last run
    stopped (LogReader) to the entries older than SETTLE seconds, so that an entry whose
    request has not committed yet is not passed over. An emergency access is notified
    once, when it opens, and an assisted session by its own notice. Several runs at once:
    on PostgreSQL a run skips the reader another holds (FOR UPDATE SKIP LOCKED)."""
    now = now or utcnow()
    settle = dt.timedelta(seconds=current_app.config.get("ACCESS_NOTICE_SETTLE", SETTLE))
    with transaction():
        LogReader.insert(name=ACCESS_NOTICES).on_conflict_ignore().execute()
        reader = LogReader.select().where(LogReader.name == ACCESS_NOTICES)
        if not is_sqlite():
            reader = reader.for_update(skip_locked=True)
        reader = reader.first()
        if reader is None:  # another run is reading
            return 0
        settled = (AccessLog.select(AccessLog.id).where(AccessLog.created_at <= now - settle)
                   .order_by(AccessLog.created_at.desc(), AccessLog.id.desc()).limit(1).scalar())
        end = min(settled or 0, reader.position + BATCH)
        if end <= reader.position:
            return 0
        count, spaces = 0, {}
        for entry in (AccessLog.select(AccessLog.space, AccessLog.actor, AccessLog.capacity,
                                       AccessLog.created_at)
                      .where((AccessLog.id > reader.position) & (AccessLog.id <= end)
                             & AccessLog.allowed & ~AccessLog.emergency
                             & AccessLog.actor.is_null(False)
                             & AccessLog.capacity.in_(list(ACCESS_EVENTS)))
                      .order_by(AccessLog.id).iterator()):
            event = ACCESS_EVENTS[entry.capacity]
            if not first_notice_today(entry.space_id, entry.actor_id, event,
                                      entry.created_at.date()):
                continue
            space = spaces.get(entry.space_id) or spaces.setdefault(
                entry.space_id, Space.get_by_id(entry.space_id))
            for holder in holders_of(space):
                if holder.id != entry.actor_id:
                    notify(holder, event, link=path("history.index", ref=space.ref))
            count += 1
        reader.position = end
        reader.save()
    return count


def notices_start_now():
    """Move the access notices' reader to the end of the log (the demo's history was
    never announced to anyone)."""
    last = AccessLog.select(AccessLog.id).order_by(AccessLog.id.desc()).limit(1).scalar()
    LogReader.insert(name=ACCESS_NOTICES, position=last or 0).on_conflict(
        conflict_target=[LogReader.name], update={LogReader.position: last or 0}).execute()
