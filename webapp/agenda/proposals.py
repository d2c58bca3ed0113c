"""Appointments a professional proposes: they appear in the patient's agenda as proposed,
the holder's side accepts or declines, and the professional sees the answer; the
professional may withdraw (cancel) it, and the holders are told."""

import datetime as dt

from flask_babel import to_utc

from webapp import signals
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.agenda import Appointment
from webapp.pro.accounts import practice_of, profession_words

ANSWERS = {"accept": "accepted", "decline": "declined"}
WITHDRAWABLE = ("proposed", "accepted")


def propose(access, *, title, day, time, minutes, address, note):
    """A proposal of the professional acting on this space, logged and announced."""
    professional = access.actor
    starts = to_utc(dt.datetime.combine(day, time))
    place = practice_of(professional)
    with transaction():
        entry = Appointment.create(
            space=access.space, kind="appointment", title=title.strip(),
            with_whom=", ".join(p for p in (professional.display_name,
                                            profession_words(professional),
                                            place.name if place else "") if p),
            address=(address or "").strip(), starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes), note=(note or "").strip(),
            owner_kind="professional", owner_name=professional.display_name,
            created_by=professional, status="proposed")
        access.log(Action.AGENDA_PROPOSE, entry)
        after_commit(lambda: signals.appointment_proposed.send(entry))
    return entry


def answer(access, entry, choice):
    """The holder's side accepts or declines a proposal still waiting; the professional
    is told. Returns False when there was nothing to answer."""
    if entry.status != "proposed" or choice not in ANSWERS:
        return False
    with transaction():
        entry.status, entry.answered_at = ANSWERS[choice], utcnow()
        entry.updated_at = entry.answered_at
        entry.save(only=[Appointment.status, Appointment.answered_at, Appointment.updated_at])
        access.log(Action.AGENDA_ANSWER, entry, choice)
        after_commit(lambda: signals.appointment_answered.send(entry))
    return True


def withdraw(access, entry):
    """The professional who proposed an appointment cancels it (waiting or accepted); the
    holders are told. Returns False when it was not theirs to cancel or already over."""
    if entry.created_by_id != access.actor.id or entry.status not in WITHDRAWABLE:
        return False
    with transaction():
        entry.status, entry.updated_at = "withdrawn", utcnow()
        entry.save(only=[Appointment.status, Appointment.updated_at])
        access.log(Action.AGENDA_WITHDRAW, entry)
        after_commit(lambda: signals.appointment_withdrawn.send(entry))
    return True


def proposed_by_me(access):
    """The professional's proposals to this patient, the coming ones first."""
    return (access.query(Appointment).where(Appointment.status != "")
            .order_by(Appointment.starts_at.desc()))
