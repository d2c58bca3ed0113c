"""The agenda as an iCalendar file (RFC 5545), for a download or a calendar app."""

import datetime as dt

from icalendar import Calendar, Event

from webapp.db import utcnow

ICAL_STATUS = {"proposed": "TENTATIVE", "declined": "CANCELLED", "withdrawn": "CANCELLED"}


def to_ical(entries, name):
    """An iCalendar (RFC 5545) file of agenda entries, as bytes."""
    cal = Calendar()
    cal.add("prodid", "-//Mon espace santé//Agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = utcnow().replace(tzinfo=dt.UTC)
    for entry in entries:
        event = Event()
        event.add("uid", f"agenda-{entry.id}@mon-espace-sante")
        event.add("dtstamp", stamp)
        start = entry.starts_at.replace(tzinfo=dt.UTC)
        end = entry.ends_at.replace(tzinfo=dt.UTC) if entry.ends_at else \
            start + dt.timedelta(minutes=30)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", entry.title)
        place = ", ".join(p for p in (entry.with_whom, entry.address) if p)
        if place:
            event.add("location", place)
        if entry.note:
            event.add("description", entry.note)
        if entry.status in ICAL_STATUS:  # a professional's proposal not accepted (yet)
            event.add("status", ICAL_STATUS[entry.status])
        event.add("last-modified", entry.updated_at.replace(tzinfo=dt.UTC))
        cal.add_component(event)
    return cal.to_ical()
