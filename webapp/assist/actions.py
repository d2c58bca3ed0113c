"""Assisted access's changes: a mediator's mandate created, any mandate ended (by the
citizen, its holder, the office manager, the clock or sign-out), assisted sessions
started and left. Each is one transaction with its log entry; people are told after
commit through webapp.signals."""

import datetime as dt

from webapp import audit, signals
from webapp.assist.mandates import ends_at
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.mandates import Attestation, ConsentCode, Mandate
from webapp.policy import mediator_mandates, office_mandates_on
from webapp.scopes import MEDIATOR_GRANTABLE, Capacity


def _office_name(mandate, actor):
    office = mandate.office if mandate.office_id else getattr(actor, "office", None)
    return office.name if office else ""


def log(mandate, actor, action, capacity=None, allowed=True, detail=None):
    """An assisted-access event in the space's log, with the mandate and its office."""
    if capacity is None:
        capacity = mandate.kind if mandate.holder_id == actor.id else actor.role
    return audit.write(mandate.space, action=action, capacity=Capacity(capacity), actor=actor,
                       allowed=allowed, target=mandate,
                       detail=mandate.reference if detail is None else detail,
                       office_name=_office_name(mandate, actor),
                       mandate_ref=mandate.reference)


class ConsentUsed(Exception):
    """The citizen's consent already made a mandate: nothing more is created."""


def create_mediator_mandate(mediator, space, scopes, duration, consent, now=None):
    """Start a mandate, replacing the office's mandates in force on the space (the person
    was told, and consented to exactly that); return it."""
    now = now or utcnow()
    # exactly what the person consented to (usable_consent checked it is what is asked)
    scopes = sorted(set(consent.scopes.split() or scopes) & MEDIATOR_GRANTABLE)
    duration = consent.duration or duration
    office = mediator.office
    with transaction():
        end_mandates(office_mandates_on(mediator, space, now), by=mediator, now=now)
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
        claimed = (ConsentCode.update(mandate=mandate)
                   .where((ConsentCode.id == consent.id) & ConsentCode.mandate.is_null())
                   .execute())
        if not claimed:  # the same consent confirmed twice (a double click, two tabs)
            raise ConsentUsed()
        consent.mandate = mandate
        log(mandate, mediator, Action.MANDATE_CREATE)
        after_commit(lambda: signals.mandate_created.send(mandate))
    return mandate


def end_mandates(mandates, *, by, action=Action.MANDATE_END, capacity=None, access=None,
                 expire=False, now=None):
    """End each of these mandates still in force now, in one transaction: its end recorded
    (revoked, or with expire its end date brought to now), one log entry each (the
    request's access when given, else in the name of `by`), and whoever did not end it
    told after commit. The one place a mandate ends; return the mandates ended."""
    now = now or utcnow()
    ended = []
    with transaction():
        for mandate in list(mandates):
            change = {Mandate.ends_at: now} if expire else {Mandate.revoked_at: now}
            if not (Mandate.update(change)
                    .where((Mandate.id == mandate.id) & Mandate.revoked_at.is_null()
                           & (Mandate.ends_at > now)).execute()):
                continue  # already ended (another tab, the clock)
            if expire:
                mandate.ends_at = now
            else:
                mandate.revoked_at = now
            if access is not None:  # the request's entry, naming the mandate ended
                access.log(action, mandate, mandate.reference, mandate_ref=mandate.reference,
                           office_name=_office_name(mandate, None))
            else:
                log(mandate, by, action, capacity=capacity)
            after_commit(lambda m=mandate: signals.mandate_ended.send(m, by=by))
            ended.append(mandate)
    return ended


def end_mandate(mandate, by, action=Action.MANDATE_END, capacity=None, access=None,
                now=None):
    """End a mandate now, whoever asks (the citizen revokes from their space's access,
    the holder or the office manager ends it); False when it had already ended."""
    return bool(end_mandates([mandate], by=by, action=action, capacity=capacity,
                             access=access, now=now))


def end_visit_mandates(user, now=None):
    """'This visit only' mandates end when their mediator signs out; return how many."""
    if user is None or getattr(user, "role", None) != "mediator":
        return 0
    visits = mediator_mandates(user).where(Mandate.duration == "visit")
    return len(end_mandates(visits, by=user, expire=True, now=now))


def start_session(mandate, user):
    """The holder of a mandate starts acting for the citizen (the holders are told)."""
    with transaction():
        log(mandate, user, Action.SESSION_START)
        after_commit(lambda: signals.assisted_session_started.send(mandate))


def end_session(access):
    """The holder of a mandate stops acting for the citizen (the request's entry)."""
    mandate = access.grant.mandates[0]
    with transaction():
        access.log(Action.SESSION_END, mandate, mandate.reference)
