"""Search parameters: dates with prefixes (ge2026-01-01), tokens (system|code), paging."""

import datetime as dt
import re

from webapp.fhir.errors import invalid

DATE = re.compile(r"(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
                  r"(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?")
DEFAULT_COUNT, MAX_COUNT = 20, 100
MAX_OFFSET = 10 ** 6


def _bounds(year, month, day):
    """First and last day a date of this precision covers."""
    y = int(year)
    if day:
        first = dt.date(y, int(month), int(day))
        return first, first
    if month:
        first = dt.date(y, int(month), 1)
        following = dt.date(y + (first.month == 12), first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def date_filter(field, values, name="date", moments=False):
    """A peewee condition for every value of a date parameter (all must hold), or None;
    `moments` for a column of datetimes (the days are then half-open ranges)."""
    condition = None
    for value in values:
        match = DATE.fullmatch(value or "")
        try:
            if match is None:
                raise ValueError(value)
            prefix = match.group(1) or "eq"
            first, last = _bounds(*match.groups()[1:])
            start, end = first, last + dt.timedelta(days=1)
        except (ValueError, OverflowError):
            raise invalid(f"{name}: {value!r} is not a FHIR date (e.g. ge2026-01-31)") from None
        if prefix in ("sa", "eb", "ap", "ne"):
            raise invalid(f"{name}: the prefix {prefix!r} is not supported (eq, gt, lt, ge, le)")
        if moments:
            start, end = (dt.datetime.combine(d, dt.time()) for d in (start, end))
        part = {"eq": (field >= start) & (field < end), "gt": field >= end,
                "lt": field < start, "ge": field >= start, "le": field < end}[prefix]
        condition = part if condition is None else condition & part
    return condition


def token(value):
    """(system or None, code) of a token parameter."""
    system, bar, code = (value or "").rpartition("|")
    return (system if bar else None), code


def paging(args):
    """(count, offset) from _count and _offset, within bounds."""
    try:
        count = int(args.get("_count", DEFAULT_COUNT))
        offset = int(args.get("_offset", 0))
    except ValueError:
        raise invalid("_count and _offset must be whole numbers") from None
    if not 0 <= offset <= MAX_OFFSET or count < 0:
        raise invalid("_count and _offset must be zero or more")
    return min(count, MAX_COUNT), offset
