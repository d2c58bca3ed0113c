"""Mandate rules: durations, consent, replacement, ending, caregiver limits."""

import datetime as dt
import hmac
import secrets

from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from webapp.db import database, utcnow
from webapp.models.assistance import CaregiverInvitation
from webapp.models.mandates import Attestation, ConsentCode, Mandate
from webapp.notify import notify
from webapp.policy import CAREGIVER_SCOPES, MEDIATOR_GRANTABLE, Scope, holders_of
from webapp.security import check_password, hash_password, hasher

SCOPE_LABELS = {
    Scope.DOCUMENTS_READ: _l("Consulter les documents"),
    Scope.DOCUMENTS_ADD: _l("Ajouter un document"),
    Scope.PROFILE_READ: _l("Consulter le profil médical"),
    Scope.AGENDA_READ: _l("Consulter l'agenda"),
    Scope.AGENDA_WRITE: _l("Gérer l'agenda (ajouter, modifier un rendez-vous)"),
    Scope.MESSAGES_READ: _l("Lire les messages"),
    Scope.MESSAGES_REPLY: _l("Répondre aux messages"),
    Scope.SETTINGS_READ: _l("Consulter les paramètres"),
    Scope.SETTINGS_WRITE: _l("Modifier les paramètres (langue, notifications)"),
}
# Order in which scopes are offered and listed.
SCOPE_ORDER = list(SCOPE_LABELS)
MEDIATOR_CHOICES = [s for s in SCOPE_ORDER if s in MEDIATOR_GRANTABLE]
CAREGIVER_CHOICES = [s for s in SCOPE_ORDER if s in CAREGIVER_SCOPES]

DURATION_LABELS = {
    "visit": _l("Cette visite seulement (fin à la déconnexion, au plus tard dans 2 heures)"),
    "day": _l("Une journée"),
    "month": _l("Un mois"),
    "six_months": _l("Six mois"),
    "year": _l("Un an"),
}
SHORT_DURATION_LABELS = {
    "visit": _l("cette visite"), "day": _l("une journée"), "month": _l("un mois"),
    "six_months": _l("six mois"), "year": _l("un an"), "open": _l("sans limite de durée"),
}
VISIT_LENGTH = dt.timedelta(hours=2)
EXPIRING_SOON = dt.timedelta(days=7)
OPEN_END = dt.datetime(9999, 12, 31)

CONSENT_TTL = dt.timedelta(minutes=10)
CONSENT_MAX_ATTEMPTS = 5
CONSENT_CODES_PER_WINDOW = 3  # codes sent for one space by one mediator in CONSENT_TTL

MAX_CAREGIVERS = 3
MAX_HELPED = 5
INVITATION_TTL = dt.timedelta(days=30)


def scope_labels(scopes):
    """Translated labels of scope codes, in the usual order."""
    codes = set(scopes)
    return [str(SCOPE_LABELS[s]) for s in SCOPE_ORDER if s in codes]


def add_months(moment, months):
    """The same day and time `months` later (the last day of a shorter month)."""
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def ends_at(duration, start):
    """When a mandate of this duration started at `start` ends."""
    if duration == "visit":
        return start + VISIT_LENGTH
    if duration == "day":
        return start + dt.timedelta(days=1)
    months = {"month": 1, "six_months": 6, "year": 12}.get(duration)
    if months is None:
        raise ValueError(duration)
    return add_months(start, months)


def expiring_soon(mandate, now=None):
    """A mandate of a month or more that ends within a week."""
    now = now or utcnow()
    return mandate.duration not in ("visit", "day", "open") and \
        mandate.ends_at - now <= EXPIRING_SOON


# ---- Consent ---------------------------------------------------------------------------

def consenters(space, now=None):
    """Who may consent to a mandate on the space: its holder, or for a minor also (or
    only, before the child has an account) the legal representatives; active accounts."""
    return [person for person in holders_of(space, now) if person.active]


def send_consent_code(mediator, space, now=None):
    """Send a 6-digit code to the holders of the space; None when too many were sent."""
    now = now or utcnow()
    recent = ConsentCode.select().where(
        (ConsentCode.space == space) & (ConsentCode.requested_by == mediator)
        & (ConsentCode.method == "code") & (ConsentCode.created_at > now - CONSENT_TTL)).count()
    people = consenters(space, now)
    if recent >= CONSENT_CODES_PER_WINDOW or not people:
        return None
    code = f"{secrets.randbelow(10 ** 6):06d}"
    consent = ConsentCode.create(space=space, requested_by=mediator, code_hash=hash_password(code),
                                 created_at=now, expires_at=now + CONSENT_TTL)
    office = mediator.office.name if mediator.office else ""
    for person in people:
        if person.id == space.owner_id:
            notify(person, "mandate_consent_code", channel="email", code=code, office=office,
                   mediator=mediator.display_name)
        else:  # a legal representative: the text names the child
            notify(person, "mandate_consent_code_child", channel="email", code=code,
                   office=office, mediator=mediator.display_name, name=space.display_name)
    return consent


def check_consent_code(consent, typed, now=None):
    """'ok', 'wrong', 'expired', 'used' or 'locked' for a code typed by the citizen."""
    now = now or utcnow()
    if consent.confirmed_at or consent.mandate_id:
        return "used"
    if consent.expires_at <= now:
        return "expired"
    if consent.attempts >= CONSENT_MAX_ATTEMPTS:
        return "locked"
    typed = "".join(ch for ch in (typed or "") if ch.isdigit())
    try:
        ok = len(typed) == 6 and hasher().verify(consent.code_hash, typed)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        consent.attempts += 1
        consent.save(only=[ConsentCode.attempts])
        return "locked" if consent.attempts >= CONSENT_MAX_ATTEMPTS else "wrong"
    consent.confirmed_at = now
    consent.save(only=[ConsentCode.confirmed_at])
    return "ok"


def consent_by_login(mediator, space, email, password, now=None):
    """A holder signs in on the mediator's screen; a consent row, or None if wrong."""
    now = now or utcnow()
    typed = (email or "").strip().lower()
    person = next((p for p in consenters(space, now) if hmac.compare_digest(p.email, typed)),
                  None)
    if person is None or not check_password(person, password):
        return None
    return ConsentCode.create(space=space, requested_by=mediator, method="login", created_at=now,
                              expires_at=now + CONSENT_TTL, confirmed_at=now)


def usable_consent(consent_id, mediator, space, now=None):
    """A confirmed, unexpired, unused consent for this mediator and space, or None."""
    now = now or utcnow()
    consent = ConsentCode.get_or_none(ConsentCode.id == (consent_id or 0))
    if consent is None or consent.requested_by_id != mediator.id or consent.space_id != space.id:
        return None
    if consent.confirmed_at is None or consent.mandate_id or \
            consent.confirmed_at + CONSENT_TTL <= now:
        return None
    return consent


# ---- Mediator mandates -----------------------------------------------------------------

def create_mediator_mandate(mediator, space, scopes, duration, consent, now=None):
    """Start a mandate (replacing the same office's one for the same scopes); return it."""
    now = now or utcnow()
    scopes = sorted(set(scopes) & MEDIATOR_GRANTABLE)
    office = mediator.office
    with database.atomic():
        for old in Mandate.active(now).where(
                (Mandate.space == space) & (Mandate.kind == "mediator")
                & (Mandate.office == office)):
            if old.scope_set == frozenset(scopes):
                old.revoked_at = now
                old.save(only=[Mandate.revoked_at])
        end = ends_at(duration, now)
        if space.is_minor(now.date()):  # the representatives' consent lapses at 18
            end = min(end, dt.datetime.combine(space.adult_on(), dt.time()))
        mandate = Mandate.create(space=space, holder=mediator, office=office, kind="mediator",
                                 scopes=" ".join(scopes), duration=duration, starts_at=now,
                                 ends_at=end, created_at=now)
        Attestation.create(
            mandate=mandate, consent_method=consent.method, citizen_name=space.display_name,
            holder_name=mediator.display_name, office_name=office.name if office else "",
            office_address=office.address if office else "",
            office_siret=office.siret if office else "",
            office_label=office.label_number if office else "", created_at=now)
        consent.mandate = mandate
        consent.save(only=[ConsentCode.mandate])
    for person in holders_of(space, now):
        notify(person, "mandate_created", office=office.name if office else "",
               mediator=mediator.display_name, until=mandate.ends_at.isoformat())
    return mandate


def replaced_by(mandate):
    """Active mandates that a new one with the same office and scopes would replace."""
    return [m for m in Mandate.active().where(
        (Mandate.space == mandate.space) & (Mandate.kind == mandate.kind)
        & (Mandate.office == mandate.office) & (Mandate.id != mandate.id))
        if m.scope_set == mandate.scope_set]


def end_mandate(mandate, now=None):
    """End a mandate now (revocation by the citizen, the holder or the office manager)."""
    if mandate.state(now) in ("revoked", "expired"):
        return False
    mandate.revoked_at = now or utcnow()
    mandate.save(only=[Mandate.revoked_at])
    return True


def end_visit_mandates(user, now=None):
    """'This visit only' mandates end when their mediator signs out."""
    if user is None or getattr(user, "role", None) != "mediator":
        return 0
    now = now or utcnow()
    return Mandate.update(ends_at=now).where(
        (Mandate.holder == user) & (Mandate.duration == "visit") & (Mandate.ends_at > now)
        & Mandate.revoked_at.is_null()).execute()


# ---- Caregivers ------------------------------------------------------------------------

class LimitReached(Exception):
    """A caregiver limit would be exceeded; str() is the message to show."""


def caregiver_mandates(space, now=None):
    """Caregivers' mandates in force on a space."""
    return Mandate.active(now).where((Mandate.space == space) & (Mandate.kind == "caregiver"))


def helped_mandates(user, now=None):
    """Caregiver mandates this person holds now."""
    return Mandate.active(now).where((Mandate.holder == user) & (Mandate.kind == "caregiver"))


def invite_caregiver(space, inviter, invitee, scopes, now=None):
    """Create an invitation, or raise LimitReached with a message for the form."""
    now = now or utcnow()
    if invitee.id == inviter.id or invitee.id == space.owner_id:
        raise LimitReached(_l("Vous ne pouvez pas vous inviter vous-même."))
    taken = caregiver_mandates(space, now).count() + CaregiverInvitation.pending(now).where(
        CaregiverInvitation.space == space).count()
    if taken >= MAX_CAREGIVERS:
        raise LimitReached(_l("Vous avez déjà 3 aidants ou invitations en attente. Mettez fin à "
                              "l'un d'eux avant d'en inviter un autre."))
    if caregiver_mandates(space, now).where(Mandate.holder == invitee).exists() or \
            CaregiverInvitation.pending(now).where((CaregiverInvitation.space == space) & (
                CaregiverInvitation.invitee == invitee)).exists():
        raise LimitReached(_l("Cette personne est déjà votre aidant ou a déjà une invitation "
                              "en attente."))
    if helped_mandates(invitee, now).count() >= MAX_HELPED:
        raise LimitReached(_l("Cette personne aide déjà 5 proches, le maximum possible."))
    invitation = CaregiverInvitation.create(
        space=space, invited_by=inviter, invitee=invitee,
        scopes=" ".join(sorted(set(scopes) & CAREGIVER_SCOPES)), created_at=now,
        expires_at=now + INVITATION_TTL)
    notify(invitee, "caregiver_invitation", name=inviter.display_name)
    return invitation


def accept_invitation(invitation, now=None):
    """The invitee accepts: a caregiver mandate starts. Raises LimitReached."""
    now = now or utcnow()
    if helped_mandates(invitation.invitee, now).count() >= MAX_HELPED:
        raise LimitReached(_l("Vous aidez déjà 5 proches, le maximum possible. Arrêtez d'aider "
                              "l'un d'eux avant d'accepter."))
    with database.atomic():
        mandate = Mandate.create(space=invitation.space, holder=invitation.invitee,
                                 kind="caregiver", scopes=invitation.scopes, duration="open",
                                 starts_at=now, ends_at=OPEN_END, created_at=now)
        invitation.answered_at, invitation.mandate = now, mandate
        invitation.save(only=[CaregiverInvitation.answered_at, CaregiverInvitation.mandate])
    notify(invitation.invited_by, "caregiver_answer", name=invitation.invitee.display_name,
           accepted=True)
    return mandate


def refuse_invitation(invitation, now=None):
    """The invitee refuses; the inviter is told."""
    invitation.answered_at = now or utcnow()
    invitation.save(only=[CaregiverInvitation.answered_at])
    notify(invitation.invited_by, "caregiver_answer", name=invitation.invitee.display_name,
           accepted=False)


def log(space, actor, action, mandate=None, capacity=None, target="", allowed=True):
    """Write an assisted-access event (creation, session, ending) to the space's log."""
    from webapp.models.audit import AccessLog

    office = mandate.office if mandate is not None and mandate.office_id else None
    if office is None and getattr(actor, "role", "") == "mediator":
        office = actor.office
    if capacity is None:
        capacity = mandate.kind if mandate is not None and mandate.holder_id == actor.id \
            else actor.role
    return AccessLog.append(space=space, actor=actor, actor_name=actor.display_name,
                            capacity=capacity, office_name=office.name if office else "",
                            action=action, target=target, allowed=allowed,
                            mandate_ref=mandate.reference if mandate is not None else "")
