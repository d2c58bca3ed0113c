"""Decisions outside one space's pages: a professional's patients and inbox, who may open
an emergency access, and what an office manager or an admin may see and do."""

from peewee import Select, fn

from webapp.db import database, utcnow
from webapp.models.accounts import Office, User
from webapp.models.agenda import CalendarFeed
from webapp.models.assistance import CaregiverInvitation
from webapp.models.audit import AccessLog
from webapp.models.mandates import Attestation, Mandate
from webapp.models.messages import Conversation
from webapp.models.privacy import (
    AccessReport,
    EmergencyAccess,
    EmergencySettings,
    GuardianInvitation,
)
from webapp.models.spaces import Block, CareRelation, Space
from webapp.policy.grants import OBJECTION_DELAY, follows, grant_for, is_blocked, space_is_open
from webapp.policy.proofs import space_by_identity
from webapp.policy.rows import mark
from webapp.pro import professions
from webapp.scopes import Capacity

REACHABLE_STATES = ("created", "active")


def _reachable_spaces(professional, now=None):
    """Spaces open to professionals that have not blocked this one."""
    now = now or utcnow()
    blocked = Block.select(Block.space).where(Block.professional == professional)
    return ((Space.state == "active")
            | ((Space.state == "created") & (Space.notified_at <= now - OBJECTION_DELAY))) \
        & Space.id.not_in(blocked)


def reachable_among(professional, spaces, now=None):
    """The ids of these spaces a professional may reach: open, and not blocking them."""
    ids = [s.id for s in spaces]
    if not ids:
        return set()
    return {row.id for row in mark(Space.select(Space.id).where(
        Space.id.in_(ids) & _reachable_spaces(professional, now)))}


def patients_of(professional, now=None):
    """The spaces of the professional's patients: a care relation, open, not blocked."""
    return mark(Space.select().join(CareRelation).where(
        (CareRelation.professional == professional) & _reachable_spaces(professional, now))
        .order_by(Space.last_name, Space.first_name))


def conversations_of(professional, now=None):
    """The professional's conversations with patients they may still reach."""
    return mark(Conversation.select(Conversation, Space).join(Space).where(
        (Conversation.professional == professional) & _reachable_spaces(professional, now))
        .order_by(Conversation.last_message_at.desc()))


def done_by(professional):
    """The professional's own entries in their patients' access histories, newest first
    (what they read, deposited, proposed and wrote)."""
    return mark(AccessLog.select(AccessLog, Space).join(Space).where(
        (AccessLog.actor == professional) & (AccessLog.capacity == Capacity.PROFESSIONAL))
        .order_by(AccessLog.created_at.desc(), AccessLog.id.desc()))


def emergency_refusal(professional, space, now=None):
    """Why this professional may not open an emergency access to the space, or None.

    'follows': they already have their patient's record, no emergency access is needed;
    'refused': anything else (blocked, closed, switched off, no such space), said the
    same way so that nothing is learnt about the person.
    """
    if space is None or getattr(professional, "role", "") != "professional":
        return "refused"
    if is_blocked(professional, space) or not space_is_open(space, now):
        return "refused"
    if follows(professional, space):
        return "follows"
    kind = professions.emergency_kind(professional.profession, professional.specialty)
    if not EmergencySettings.for_space(space).allows(kind):
        return "refused"
    return None


def managed_office(user, office_id=None):
    """The office this person manages: their own for an office manager, the one asked
    for (office_id) for an admin; else None."""
    if user.role == "admin":
        return Office.get_or_none(Office.id == (office_id or 0))
    if user.role == "mediator" and user.is_office_manager:
        return user.office
    return None


def sees_citizens_of(user, office):
    """Only the office's own manager sees who holds its mandates; admins never do."""
    return (user.role == "mediator" and user.is_office_manager
            and office is not None and user.office_id == office.id)


def may_handle_mandate(user, mandate):
    """A mediator's mandate: its holder, or the manager of its office."""
    if mandate is None or mandate.kind != Capacity.MEDIATOR or user.role != "mediator":
        return False
    return mandate.holder_id == user.id or (
        user.is_office_manager and user.office_id == mandate.office_id)


def handled_mandate(user, reference):
    """The mediator's mandate with this reference (in force or not) that this person holds
    or whose office they manage, or None."""
    mandate = mark(Mandate.select().where((Mandate.reference == (reference or "")[:20])
                                          & (Mandate.kind == Capacity.MEDIATOR))).first()
    return mandate if may_handle_mandate(user, mandate) else None


def office_mandates(user, office):
    """The mandates of an office in force, for its manager; none for anyone else."""
    if not sees_citizens_of(user, office):
        return mark(Mandate.select().where(Mandate.id == 0))
    return mark(Mandate.active().select_extend(Space).switch(Mandate)
                .join(Space, on=(Mandate.space == Space.id))
                .where((Mandate.office == office) & (Mandate.kind == Capacity.MEDIATOR))
                .order_by(Mandate.ends_at))


def office_mandates_on(mediator, space, now=None):
    """The mandates in force that the mediator's office holds on this space: a new
    mandate of this office replaces them (the wizard says so before consent)."""
    if mediator is None or mediator.role != "mediator" or not mediator.office_id:
        return []
    return list(mark(Mandate.active(now).where(
        (Mandate.space == space) & (Mandate.kind == Capacity.MEDIATOR)
        & (Mandate.office == mediator.office_id)).order_by(Mandate.id)))


def dormant_mandates(mediator, now=None):
    """The mandates of a deactivated mediator that would be in force again were the account
    reactivated (not revoked, not over)."""
    now = now or utcnow()
    return mark(Mandate.select().where(
        (Mandate.holder == mediator) & (Mandate.kind == Capacity.MEDIATOR)
        & Mandate.revoked_at.is_null() & (Mandate.ends_at > now)))


def mediator_mandates(mediator):
    """The mediator's own mandates in force, with their spaces."""
    return mark(Mandate.active().select_extend(Space).switch(Mandate)
                .join(Space, on=(Mandate.space == Space.id))
                .where((Mandate.holder == mediator) & (Mandate.kind == Capacity.MEDIATOR))
                .order_by(Space.last_name, Space.first_name, Mandate.ends_at))


def attestation_of(mandate):
    """The attestation of a mandate already decided on (its holder, its office manager,
    or the citizen's access), or None."""
    return mark(Attestation.select().where(Attestation.mandate == mandate)).first()


def helped_by(user, now=None):
    """The caregiver mandates this person holds now, with the spaces of the people helped."""
    return mark(Mandate.active(now).select_extend(Space).switch(Mandate)
                .join(Space, on=(Mandate.space == Space.id))
                .where((Mandate.holder == user) & (Mandate.kind == Capacity.CAREGIVER)))


def account_proving(email):
    """The active citizen's account that proved this address, or None: invitations to an
    address are for it alone."""
    user = User.by_email(email)
    if user is None or not user.active or user.role != "citizen" or not user.email_verified:
        return None
    return user


def _proven_address(user):
    """The address this account proved, or None (nothing sent to an address is its own
    before it proves it)."""
    proven = user.active and user.role == "citizen" and user.email_verified
    return user.email if proven else None


def invitations_to_help(user, now=None):
    """Invitations to help a relative sent to the address this person proved, that they
    may still answer."""
    address = _proven_address(user) or ""
    return mark(CaregiverInvitation.pending(now).where(
        (CaregiverInvitation.email == address) & (CaregiverInvitation.email != "")))


def invited_or_helping(user, now=None):
    """(invited to help a relative, helping one now): the home card's two facts, one query."""
    row = Select(columns=[fn.EXISTS(invitations_to_help(user, now)),
                          fn.EXISTS(helped_by(user, now))]).bind(database).tuples()
    return tuple(bool(v) for v in row.execute()[0])


def guardian_invitations_to(user, now=None):
    """Invitations to become a child's legal representative sent to the address this
    person proved."""
    return mark(GuardianInvitation.open_for(_proven_address(user) or "", now).where(
        GuardianInvitation.email != ""))


def calendar_feed(token):
    """The live calendar feed this secret token opens, or None (the token is the key)."""
    if not token or len(token) > 100:
        return None
    return mark(CalendarFeed.select().where(
        (CalendarFeed.token_hash == CalendarFeed.hash_token(token))
        & CalendarFeed.revoked_at.is_null())).first()


def access_reports(user, limit=200):
    """The reports of accesses holders did not consent to, for the platform's admins: the
    space is named by its reference, never by the person's name."""
    if user.role != "admin":
        return mark(AccessReport.select().where(AccessReport.id == 0))
    return mark(AccessReport.select(AccessReport, Space.ref).join(Space)
                .order_by(AccessReport.created_at.desc()).limit(limit))


def attestation_by_code(code):
    """The attestation a printed verification code names (anyone holding the paper may
    check it: it says the mandate's parties, scopes and dates), or None."""
    printed = Attestation.normalise_code(code)
    if printed is None:
        return None
    return mark(Attestation.select().where(Attestation.code == printed)).first()


def space_for_mandate(nir, birth_date, now=None):
    """The open space with this NIR and birth date, on which a mediator may ask the person
    for a mandate; else None (unknown, closed or objected answer the same)."""
    space = space_by_identity(nir, birth_date)
    return space if space is not None and space_is_open(space, now) else None


def running_emergencies(professional, now=None):
    """The professional's emergency accesses still running and still allowed (the holder
    may have blocked them or switched emergency access off since), latest per space."""
    running = (EmergencyAccess.select(EmergencyAccess, Space).join(Space)
               .where((EmergencyAccess.professional == professional)
                      & (EmergencyAccess.ends_at > (now or utcnow())))
               .order_by(EmergencyAccess.started_at.desc()))
    latest = {}
    for access in running:
        latest.setdefault(access.space_id, access)
    return [a for a in latest.values() if grant_for(professional, a.space, now) is not None]


def closed_space_of(user):
    """The citizen's own space when it is closed (the page that reopens it), or None."""
    return Space.get_or_none((Space.owner == user) & (Space.state == "closed"))
