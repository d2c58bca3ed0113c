"""Queue notifications in the outbox; the sender (webapp.mail) delivers them later, so a
request never waits for mail, except for a code someone is waiting for (`at_once`)."""

import json

from webapp import signals
from webapp.db import after_commit, utcnow
from webapp.models.notifications import AccessNotice, Outbox
from webapp.notify.events import CHANNELS
from webapp.notify.preferences import wanted


def notify(recipient, event, link="", channel=None, at_once=False, **params):
    """Queue a notification on one channel, or on every channel the person wants.

    Returns the outbox row (the e-mail one when several), or None when the person opted
    out. params are plain values the text may show (a one-time code), never medical content.
    With at_once, the e-mail leaves after commit (signals.mail_queued); the outbox keeps
    it until sent, so a failure is retried as usual.
    """
    if recipient is None:
        return None
    rows = []
    channels = [channel] if channel else [
        c for c in CHANNELS if c == "email" or recipient.role == "citizen"]  # app: citizens
    channels = [ch for ch in channels if ch != "email" or _may_email(recipient, params)]
    for ch in wanted(recipient, event, channels):
        now = utcnow()
        values = dict(params)
        if ch == "email":  # the address of now: a later change must not redirect it
            values.setdefault("to", recipient.email)
        rows.append(Outbox.create(
            recipient=recipient, template=event, link=link, channel=ch,
            params=json.dumps(values, default=str), created_at=now,
            sent_at=now if ch == "app" else None))  # shown in the space: delivered
    email = next((r for r in rows if r.channel == "email"), None)
    if at_once and email is not None:
        after_commit(lambda: signals.mail_queued.send(email))
    return email or (rows[0] if rows else None)


def _may_email(recipient, params):
    """A citizen's address gets e-mail only once proven; a code sent to prove an address
    names that address itself (`to`). Other roles' accounts are made by an admin or an
    office manager for an address, and set up from a link sent to it."""
    return recipient.role != "citizen" or recipient.email_verified or "to" in params


def first_notice_today(space, actor, event, day=None):
    """Record that the holders are told of this actor's access on that day (today by
    default); False when they already were (one notice per actor, space, kind and day)."""
    inserted = (AccessNotice.insert(space=space, actor=actor, event=event,
                                    day=day or utcnow().date())
                .on_conflict_ignore().returning(AccessNotice.id).execute())
    return bool(list(inserted))
