"""Mandate rules: scopes and durations as shown, when a mandate ends, and the citizen's
consent (a one-time code sent to them, or their own sign-in on the mediator's screen)."""

import datetime as dt
import hashlib
import hmac
import json
import secrets

from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from webapp import signals
from webapp.db import after_commit, transaction, utcnow
from webapp.models.mandates import ConsentCode
from webapp.policy import holders_of, office_mandates_on
from webapp.scopes import CAREGIVER_SCOPES, MEDIATOR_GRANTABLE, Scope
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


def scopes_of(mandates_in_force):
    """The rubriques of these mandates that a mediator may be given, in the usual order."""
    codes = set().union(*(m.scope_set for m in mandates_in_force)) & MEDIATOR_GRANTABLE
    return [str(s) for s in MEDIATOR_CHOICES if s in codes]


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


def masked(people):
    """The consenters' e-mail addresses, each shown as a•••@domain."""
    return ", ".join(f"{p.email[:1]}•••@{p.email.partition('@')[2]}" for p in people)


def terms_digest(mediator, space, scopes, duration, now=None):
    """What a consent binds: this mediator of this office, in this space, for these scopes
    and this duration, replacing exactly the office's mandates in force now. Any change
    after consent needs a new consent."""
    replaced = [m.id for m in office_mandates_on(mediator, space, now)]
    terms = [mediator.id, mediator.office_id, space.id, sorted(set(scopes)), duration,
             replaced]
    return hashlib.sha256(json.dumps(terms).encode()).hexdigest()


def _terms(mediator, space, scopes, duration, now=None):
    scopes = sorted(set(scopes) & MEDIATOR_GRANTABLE)
    return dict(office=mediator.office_id, scopes=" ".join(scopes), duration=duration,
                terms=terms_digest(mediator, space, scopes, duration, now))


def send_consent_code(mediator, space, scopes, duration, now=None):
    """Send a 6-digit code to the holders of the space, with what it agrees to; None when
    too many were sent."""
    now = now or utcnow()
    recent = ConsentCode.select().where(
        (ConsentCode.space == space) & (ConsentCode.requested_by == mediator)
        & (ConsentCode.method == "code") & (ConsentCode.created_at > now - CONSENT_TTL)).count()
    people = consenters(space, now)
    if recent >= CONSENT_CODES_PER_WINDOW or not people:
        return None
    code = f"{secrets.randbelow(10 ** 6):06d}"
    consent = ConsentCode.create(space=space, requested_by=mediator, code_hash=hash_password(code),
                                 created_at=now, expires_at=now + CONSENT_TTL,
                                 **_terms(mediator, space, scopes, duration, now))
    after_commit(lambda: signals.consent_code_sent.send(consent, code=code, people=people))
    return consent


def check_consent_code(consent, typed, now=None):
    """'ok', 'wrong', 'expired', 'used' or 'locked' for a code typed by the citizen.

    Each try is taken from the code's five by one conditional UPDATE before the code is
    compared, so that parallel guesses get five tries in all, never more; confirming is
    a conditional UPDATE too, so that a code confirms once.
    """
    now = now or utcnow()
    if consent.confirmed_at or consent.mandate_id:
        return "used"
    if consent.expires_at <= now:
        return "expired"
    unused = (ConsentCode.id == consent.id) & ConsentCode.confirmed_at.is_null() \
        & ConsentCode.mandate.is_null()
    with transaction():
        took = (ConsentCode.update(attempts=ConsentCode.attempts + 1)
                .where(unused & (ConsentCode.attempts < CONSENT_MAX_ATTEMPTS)).execute())
    fresh = ConsentCode.get_by_id(consent.id)
    if not took:
        return "used" if fresh.confirmed_at or fresh.mandate_id else "locked"
    typed = "".join(ch for ch in (typed or "") if ch.isdigit())
    try:
        ok = len(typed) == 6 and hasher().verify(consent.code_hash, typed)
    except (VerificationError, InvalidHashError):
        ok = False
    consent.attempts = fresh.attempts
    if not ok:
        return "locked" if fresh.attempts >= CONSENT_MAX_ATTEMPTS else "wrong"
    with transaction():
        confirmed = ConsentCode.update(confirmed_at=now).where(unused).execute()
    consent.confirmed_at = now if confirmed else None
    return "ok" if confirmed else "used"


def consent_by_login(mediator, space, email, password, scopes, duration, now=None):
    """A holder signs in on the mediator's screen; a consent row, or None if wrong."""
    now = now or utcnow()
    typed = (email or "").strip().lower()
    person = next((p for p in consenters(space, now) if hmac.compare_digest(p.email, typed)),
                  None)
    if person is None or not check_password(person, password):
        return None
    return ConsentCode.create(space=space, requested_by=mediator, method="login", created_at=now,
                              expires_at=now + CONSENT_TTL, confirmed_at=now,
                              **_terms(mediator, space, scopes, duration, now))


def usable_consent(consent_id, mediator, space, scopes, duration, now=None):
    """A confirmed, unexpired, unused consent for exactly these terms, or None."""
    now = now or utcnow()
    consent = ConsentCode.get_or_none(ConsentCode.id == (consent_id or 0))
    if consent is None or not hmac.compare_digest(
            consent.terms, terms_digest(mediator, space, sorted(
                set(scopes) & MEDIATOR_GRANTABLE), duration, now)):
        return None
    if consent.confirmed_at is None or consent.mandate_id or \
            consent.confirmed_at + CONSENT_TTL <= now:
        return None
    return consent
