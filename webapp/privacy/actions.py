"""Privacy's changes: a professional blocked or unblocked, the emergency switches, an
access reported, an emergency access opened. One transaction each, with its log entry."""

import datetime as dt

from webapp import audit, policy, signals
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.privacy import AccessReport, EmergencyAccess, EmergencySettings
from webapp.models.spaces import Block
from webapp.pro import professions
from webapp.scopes import Capacity

EMERGENCY_DURATION = dt.timedelta(hours=2)


def block(access, professional):
    """The professional can no longer reach the space."""
    with transaction():
        Block.insert(space=access.space, professional=professional,
                     created_at=utcnow()).on_conflict_ignore().execute()
        access.log(Action.BLOCK, professional)
        block = access.query(Block).where(Block.professional == professional).get()
        after_commit(lambda: signals.professional_blocked.send(block, space=access.space))


def unblock(access, professional):
    """Lift a block."""
    with transaction():
        Block.delete().where((Block.space == access.space)
                             & (Block.professional == professional)).execute()
        access.log(Action.UNBLOCK, professional)
        after_commit(lambda: signals.professional_unblocked.send(
            access.space, professional=professional))


def set_emergency_switches(access, ems_allowed, break_glass_allowed, hidden_readable):
    """The three emergency switches of the space."""
    with transaction():
        settings = access.query(EmergencySettings).first() \
            or EmergencySettings(space=access.space)
        settings.ems_allowed, settings.break_glass_allowed = ems_allowed, break_glass_allowed
        settings.hidden_readable, settings.updated_at = hidden_readable, utcnow()
        settings.save()
        access.log(Action.EMERGENCY_SETTINGS, settings,
                   f"ems={int(ems_allowed)} glass={int(break_glass_allowed)} "
                   f"hidden={int(hidden_readable)}")


def report(access, entry, message):
    """The holder reports an access they did not consent to; the admins review it."""
    with transaction():
        summary = f"{entry.created_at:%Y-%m-%d %H:%M} {entry.actor_name} ({entry.capacity}) " \
                  f"{entry.action} {entry.target_kind}:{entry.target_id or ''} {entry.detail}"
        AccessReport.create(space=access.space, reporter=access.actor, entry=entry,
                            entry_summary=summary[:250], message=message or "")
        access.log(Action.REPORT, entry, f"log:{entry.sequence}")


def open_emergency(professional, space, reason, now=None):
    """Open a professional's emergency access with a stated reason, when the policy allows
    it; logged either way, the holders told after commit. Returns the refusal code
    (see policy.emergency_refusal) or None when opened."""
    now = now or utcnow()
    refusal = policy.emergency_refusal(professional, space, now) if reason.strip() else \
        "refused"
    if refusal == "follows" or (space is None and refusal):
        return refusal
    kind = professions.emergency_kind(professional.profession, professional.specialty)
    with transaction():
        if refusal is None:
            EmergencyAccess.create(space=space, professional=professional, kind=kind,
                                   reason=reason.strip(), started_at=now,
                                   ends_at=now + EMERGENCY_DURATION)
        audit.write(space, action=Action.EMERGENCY_OPEN, capacity=Capacity.PROFESSIONAL,
                    actor=professional, allowed=refusal is None, emergency=refusal is None,
                    detail=reason.strip()[:250] if refusal is None else kind)
        if refusal is None:
            after_commit(lambda: signals.emergency_opened.send(space, professional=professional))
    return refusal
