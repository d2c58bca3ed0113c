"""Appointment: the space's agenda; a professional's software proposes an appointment
(status proposed) through the same action as the pages, the holder's side answers it on
the agenda page (accepted: booked, declined). Cancelling is an update (PUT) of the
resource as read with status "cancelled" and nothing else changed: the professional's
software withdraws its own proposal, a citizen's app declines a proposal still waiting,
as the pages allow."""

from zoneinfo import ZoneInfo

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from flask import current_app

from webapp.agenda import proposals
from webapp.db import utcnow
from webapp.fhir.documents import instant
from webapp.fhir.errors import forbidden, invalid, not_found, unprocessable
from webapp.fhir.search import date_filter
from webapp.models.agenda import NOTE_MAX, Appointment
from webapp.scopes import HOLDER_AND_HELPERS, Capacity

STATUS = {"proposed": "proposed", "accepted": "booked", "declined": "cancelled",
          "withdrawn": "cancelled", "": "booked"}
TITLE_MAX = 200


def to_fhir(entry, ref):
    """The Appointment of an agenda entry."""
    data = {"resourceType": "Appointment", "id": f"{ref}-{entry.id}",
            "status": STATUS.get(entry.status, "booked"), "description": entry.title,
            "start": instant(entry.starts_at),
            "participant": [{"actor": {"reference": f"Patient/{ref}"}, "status":
                             "needs-action" if entry.status == "proposed" else "accepted"}]}
    if entry.ends_at:
        data["end"] = instant(entry.ends_at)
    if entry.with_whom:
        data["participant"].append({"actor": {"display": entry.with_whom},
                                    "status": "accepted"})
    if entry.note or entry.address:
        data["comment"] = "\n".join(p for p in (entry.address, entry.note) if p)
    return FhirAppointment.model_validate(data)


def create(access, resource):
    """A professional's proposal; returns the agenda entry."""
    if access.capacity != Capacity.PROFESSIONAL:
        raise forbidden("Only a professional's software proposes appointments")
    if resource.status != "proposed":
        raise invalid("status: an appointment is created as proposed")
    title = (resource.description or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise invalid(f"description: the appointment's title (at most {TITLE_MAX} characters)")
    if resource.start is None:
        raise invalid("start: required")
    start = resource.start
    if start.tzinfo is None:
        raise invalid("start: an instant with its time zone")
    if start.replace(tzinfo=None) - start.utcoffset() < utcnow():
        raise invalid("start: an appointment is proposed in the future")
    minutes = resource.minutesDuration or (
        int((resource.end - start).total_seconds() // 60) if resource.end else 30)
    if not 5 <= minutes <= 600:
        raise invalid("end: an appointment lasts from 5 minutes to 10 hours")
    note = (resource.comment or "").strip()
    if len(note) > NOTE_MAX:
        raise invalid(f"comment: at most {NOTE_MAX} characters")
    local = start.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return proposals.propose(access, title=title, day=local.date(),
                             time=local.time().replace(tzinfo=None, second=0, microsecond=0),
                             minutes=minutes, address="", note=note)


def search(access, args):
    """The agenda entries the caller may see (a professional: their proposals), by date."""
    query = access.query(Appointment).where(Appointment.kind == "appointment")
    condition = date_filter(Appointment.starts_at, args.getlist("date"), moments=True)
    if condition is not None:
        query = query.where(condition)
    if args.get("status"):
        wanted = set(args.get("status").split(","))
        query = query.where(Appointment.status.in_(
            [s for s, fhir in STATUS.items() if fhir in wanted]))
    return query.order_by(Appointment.starts_at.desc(), Appointment.id.desc())


def _comparable(resource):
    """The resource without what a cancel may change or add (status, the participants'
    answers, a reason, the narrative and meta)."""
    data = resource.model_dump(exclude_none=True)
    for key in ("status", "cancelationReason", "meta", "text"):
        data.pop(key, None)
    for participant in data.get("participant", []):
        participant.pop("status", None)
    return data


def cancel(access, entry, resource):
    """Cancel the appointment (PUT with status "cancelled"); returns the entry. The same
    resource again is a no-op; any other change is refused (422)."""
    current = to_fhir(entry, access.space.ref)
    if resource.id != current.id:
        raise invalid("id: the resource's id must be the one in the URL")
    if _comparable(resource) != _comparable(current):
        raise unprocessable("Only the status may change, to cancelled: send the "
                            "Appointment as read with status cancelled")
    if resource.status == current.status:
        return entry
    if resource.status != "cancelled":
        raise unprocessable("status: an appointment may only be cancelled here")
    if access.capacity == Capacity.PROFESSIONAL:
        if entry.created_by_id != access.actor.id:
            raise not_found()
        done = proposals.withdraw(access, entry)
    elif access.capacity in HOLDER_AND_HELPERS:
        done = proposals.answer(access, entry, "decline")
    else:
        done = False
    if not done:
        raise unprocessable("This appointment cannot be cancelled: a professional cancels "
                            "the ones they proposed, the patient a proposal still waiting")
    return entry
