"""Queue notifications in the outbox; the sender (webapp.mail) delivers them later, so a
request never waits for mail."""

import json

from webapp.db import utcnow
from webapp.models.notifications import AccessNotice, Outbox
from webapp.notify.events import CHANNELS
from webapp.notify.preferences import wants


def notify(recipient, event, link="", channel=None, **params):
    """Queue a notification on one channel, or on every channel the person wants.

    Returns the outbox row (the e-mail one when several), or None when the person opted
    out. params are plain values the text may show (a one-time code), never medical content.
    """
    if recipient is None:
        return None
    rows = []
    channels = [channel] if channel else [
        c for c in CHANNELS if c == "email" or recipient.role == "citizen"]  # app: citizens
    for ch in channels:
        if wants(recipient, event, ch):
            now = utcnow()
            values = dict(params)
            if ch == "email":  # the address of now: a later change must not redirect it
                values.setdefault("to", recipient.email)
            rows.append(Outbox.create(
                recipient=recipient, template=event, link=link, channel=ch,
                params=json.dumps(values, default=str), created_at=now,
                sent_at=now if ch == "app" else None))  # shown in the space: delivered
    return next((r for r in rows if r.channel == "email"), rows[0] if rows else None)


def first_notice_today(space, actor, event):
    """Record that the holders are told of this actor's access today; False when they
    already were (one notice per actor, space, kind and day)."""
    inserted = (AccessNotice.insert(space=space, actor=actor, event=event, day=utcnow().date())
                .on_conflict_ignore().returning(AccessNotice.id).execute())
    return bool(list(inserted))
