"""Who may do what on whose space. Every decision on a citizen's data is made and logged here."""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from flask import abort, request

from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.mandates import Mandate
from webapp.models.spaces import Block, CareRelation, Guardianship, Space

OBJECTION_DELAY = dt.timedelta(weeks=6)


class Scope(StrEnum):
    """Things one can do on a space. Mandates grant a subset of these."""

    SPACE_VIEW = "space.view"
    DOCUMENTS_READ = "documents.read"
    DOCUMENTS_ADD = "documents.add"
    DOCUMENTS_MANAGE = "documents.manage"
    PROFILE_READ = "profile.read"
    PROFILE_WRITE = "profile.write"
    AGENDA_READ = "agenda.read"
    AGENDA_WRITE = "agenda.write"
    MESSAGES_READ = "messages.read"
    MESSAGES_REPLY = "messages.reply"
    SETTINGS_READ = "settings.read"
    SETTINGS_WRITE = "settings.write"
    PRIVACY = "privacy"  # access history, blocking, mandates, emergency, export, closing, apps


ALL_SCOPES = frozenset(Scope)
# What a mediator's mandate may ever hold: never PRIVACY nor DOCUMENTS_MANAGE.
MEDIATOR_GRANTABLE = frozenset({
    Scope.DOCUMENTS_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_READ, Scope.AGENDA_READ,
    Scope.AGENDA_WRITE, Scope.MESSAGES_READ, Scope.MESSAGES_REPLY, Scope.SETTINGS_READ,
    Scope.SETTINGS_WRITE})
CAREGIVER_SCOPES = frozenset({
    Scope.DOCUMENTS_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_READ, Scope.AGENDA_READ,
    Scope.AGENDA_WRITE, Scope.MESSAGES_READ, Scope.MESSAGES_REPLY})
PROFESSIONAL_SCOPES = frozenset({
    Scope.DOCUMENTS_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_READ, Scope.PROFILE_WRITE,
    Scope.AGENDA_WRITE, Scope.MESSAGES_READ, Scope.MESSAGES_REPLY})


@dataclass(frozen=True)
class Grant:
    """What one actor may do on one space right now, and in which capacity."""

    actor: object
    space: Space
    capacity: str  # owner, guardian, mediator, caregiver, professional
    scopes: frozenset = field(default_factory=frozenset)
    mandates: tuple = ()
    emergency: bool = False
    hidden_in_emergency: bool = False  # the holder lets hidden documents be read in emergency

    def allows(self, scope):
        """True when this grant covers the scope."""
        return scope == Scope.SPACE_VIEW or scope in self.scopes

    @property
    def sees_hidden(self):
        """Documents hidden from professionals stay visible only to the holder's side."""
        return self.capacity in ("owner", "guardian") or self.hidden_in_emergency

    @property
    def is_assisted(self):
        """True when someone acts for the holder under a mandate."""
        return self.capacity in ("mediator", "caregiver")

    def mandate_for(self, scope):
        """The mandate that covers a scope, for the log."""
        return next((m for m in self.mandates if scope in m.scope_set), None)


def space_is_open(space, now=None):
    """Active, or created and past the objection deadline (opt-out)."""
    now = now or utcnow()
    if space.state == "active":
        return True
    return space.state == "created" and now >= space.notified_at + OBJECTION_DELAY


def grant_for(user, space, now=None):
    """The grant a signed-in user has on a space, or None. Decides only; logs nothing."""
    if user is None or not getattr(user, "active", False) or space is None:
        return None
    now = now or utcnow()
    if space.state in ("objected", "closed"):
        return None
    if user.role == "citizen":
        if space.owner_id == user.id and space.state == "active":
            return Grant(user, space, "owner", ALL_SCOPES)
        if Guardianship.active_for(user, now.date()).where(Space.id == space.id).exists():
            return Grant(user, space, "guardian", ALL_SCOPES)
        return _mandate_grant(user, space, "caregiver", now)
    if user.role == "mediator":
        return _mandate_grant(user, space, "mediator", now)
    if user.role == "professional" and space_is_open(space, now):
        known = CareRelation.select().where(
            (CareRelation.professional == user) & (CareRelation.space == space)).exists()
        blocked = Block.select().where(
            (Block.professional == user) & (Block.space == space)).exists()
        if known and not blocked:
            return Grant(user, space, "professional", PROFESSIONAL_SCOPES)
        if not blocked:
            return _emergency_grant(user, space, now)
    return None


# A professional's emergency access reads, never writes.
EMERGENCY_SCOPES = frozenset({Scope.DOCUMENTS_READ, Scope.PROFILE_READ})
EMERGENCY_DURATION = dt.timedelta(hours=2)


def _emergency_grant(user, space, now):
    from webapp.models.privacy import EmergencyAccess, EmergencySettings

    access = EmergencyAccess.in_force(user, space, now)
    settings = EmergencySettings.for_space(space)
    if access is None or not settings.allows(access.kind):
        return None
    return Grant(user, space, "professional", EMERGENCY_SCOPES, emergency=True,
                 hidden_in_emergency=settings.hidden_readable)


def emergency_grant(user, space, reason, kind, now=None):
    """Open a professional's emergency access with a stated reason when the space's
    switches allow it; log it and notify the holders. Returns the grant, or None."""
    from webapp.models.privacy import EmergencyAccess, EmergencySettings
    from webapp.notify import notify

    now = now or utcnow()
    blocked = Block.select().where((Block.professional == user) & (Block.space == space)).exists()
    switches = EmergencySettings.for_space(space)
    if (getattr(user, "role", "") != "professional" or not reason.strip() or blocked
            or not space_is_open(space, now) or not switches.allows(kind)):
        record(None, space, "emergency.open", kind, allowed=False, actor=user)
        return None
    EmergencyAccess.create(space=space, professional=user, kind=kind, reason=reason.strip(),
                           started_at=now, ends_at=now + EMERGENCY_DURATION)
    grant = _emergency_grant(user, space, now)
    record(grant, space, "emergency.open", reason.strip()[:250])
    for holder in holders_of(space, now):
        notify(holder, "emergency_access", link="/historique")
    return grant


def _mandate_grant(user, space, kind, now):
    if space.state != "active" and not space_is_open(space, now):
        return None
    mandates = tuple(Mandate.active(now).where(
        (Mandate.holder == user) & (Mandate.space == space) & (Mandate.kind == kind)))
    if not mandates:
        return None
    allowed = MEDIATOR_GRANTABLE if kind == "mediator" else CAREGIVER_SCOPES
    scopes = frozenset().union(*(m.scope_set for m in mandates)) & allowed
    return Grant(user, space, kind, frozenset(Scope(s) for s in scopes), mandates)


def record(grant_or_none, space, action, target="", allowed=True, actor=None):
    """Append one entry to the space's access log."""
    actor = grant_or_none.actor if grant_or_none else actor
    mandate = grant_or_none.mandate_for(action) if grant_or_none else None
    office = getattr(mandate, "office", None) if mandate else None
    if office is None and actor is not None and getattr(actor, "role", "") == "mediator":
        office = actor.office
    return AccessLog.append(
        space=space, actor=actor, actor_name=actor.display_name if actor else "",
        capacity=grant_or_none.capacity if grant_or_none else _capacity_of(actor),
        office_name=office.name if office else "", action=str(action), target=target,
        allowed=allowed, emergency=bool(grant_or_none and grant_or_none.emergency),
        mandate_ref=mandate.reference if mandate else "")


def _capacity_of(actor):
    return getattr(actor, "role", None) or "anonymous"


# Functions (grant, scope) called after each allowed access, e.g. to notify the holder
# of a professional's or a mediator's access. Areas append to it at start-up.
ACCESS_HOOKS = []


def authorize(user, space, scope, target=""):
    """Decide, log, and return the grant; refuse with 404 so nothing leaks."""
    grant = grant_for(user, space)
    allowed = bool(grant and grant.allows(scope))
    if space is not None and (user is not None or allowed):
        record(grant, space, scope, target or (request.endpoint or ""), allowed, actor=user)
    if not allowed:
        abort(404)
    for hook in ACCESS_HOOKS:
        hook(grant, scope)
    return grant


def holders_of(space, now=None):
    """The people who hold a space: its owner, or a minor's legal representatives."""
    from webapp.models.accounts import User

    people = [space.owner] if space.owner_id else []
    today = (now or utcnow()).date()
    if space.is_minor(today):
        people += list(User.select().join(Guardianship, on=(Guardianship.guardian == User.id))
                       .where((Guardianship.child == space) & Guardianship.ended_at.is_null()))
    return people


def spaces_for(user, now=None):
    """Spaces a citizen may switch between: their own, then their children's."""
    if user is None or user.role != "citizen":
        return []
    own = list(Space.select().where((Space.owner == user) & (Space.state == "active")))
    return own + list(Guardianship.active_for(user, (now or utcnow()).date())
                      .order_by(Space.birth_date))
