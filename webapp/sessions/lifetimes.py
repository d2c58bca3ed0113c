"""How long a session lasts, by role, and what is left of it.

Every session ends at an absolute limit (a mediator's working day, else 12 hours). A
citizen's also ends after 30 idle minutes (shared computers); a mediator idle for 15
minutes must type a new TOTP code (the session goes on); professionals and admins have
no idle limit. "Rester connecté" moves the idle limit, never the absolute one.
"""

import datetime as dt

from webapp.db import utcnow

ABSOLUTE = {"mediator": dt.timedelta(hours=10)}
DEFAULT_ABSOLUTE = dt.timedelta(hours=12)
IDLE = {"citizen": dt.timedelta(minutes=30), "mediator": dt.timedelta(minutes=15)}
IDLE_ENDS_SESSION = {"citizen"}  # for mediators, idleness asks for a new code instead
WARN_BEFORE = dt.timedelta(minutes=2)


def absolute_end(row, role):
    """When the session ends whatever the person does."""
    return row.created_at + ABSOLUTE.get(role, DEFAULT_ABSOLUTE)


def idle_end(row, role):
    """When idleness ends the session (or asks a mediator for a code), or None."""
    idle = IDLE.get(role)
    return row.last_seen + idle if idle else None


def past_absolute(row, role, now=None):
    """True once the absolute limit is reached."""
    return (now or utcnow()) >= absolute_end(row, role)


def past_idle(row, role, now=None):
    """True once the person has been idle too long."""
    end = idle_end(row, role)
    return end is not None and (now or utcnow()) > end


def remaining(row, role, now=None):
    """What the warning dialog needs: seconds before the next end, which end it is
    ("absolute", "idle" or "reverify"), and whether staying is capped by the absolute
    limit (the idle limit cannot be moved past it)."""
    now = now or utcnow()
    absolute = absolute_end(row, role)
    idle = idle_end(row, role)
    kind, end = "absolute", absolute
    if idle is not None and idle < absolute:
        kind, end = ("idle" if role in IDLE_ENDS_SESSION else "reverify"), idle
    capped = idle is not None and now + IDLE[role] >= absolute
    return {"seconds": max(0, int((end - now).total_seconds())), "kind": kind,
            "capped": capped or idle is None,
            "absolute_seconds": max(0, int((absolute - now).total_seconds())),
            "warn_seconds": int(WARN_BEFORE.total_seconds())}


def stay(row, now=None):
    """The person is here: the idle limit starts again (the absolute one does not move)."""
    row.last_seen = now or utcnow()
    row.save(only=[type(row).last_seen])
