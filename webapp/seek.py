"""Keyset ("seek") pagination: a page is the rows after (or before) a row's sort key, read
from the list's index with LIMIT, never COUNT + OFFSET; its cost does not grow with the
page's depth, and rows inserted between two loads neither repeat nor disappear.

The cursor in the URL (`apres` / `avant`) is the boundary row's key: opaque (base64url)
but not secret, and checked: a malformed or tampered one is ignored (the first page),
never an error. It only positions the reading; what is read stays the access's query.
"""

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

MAX_CURSOR = 80
MAX_INT = 2**63 - 1  # beyond, PostgreSQL's bigint would refuse the comparison


def encode(*key):
    """The cursor of a key (dates and integers)."""
    text = "~".join(value.isoformat() if isinstance(value, dt.date) else str(value)
                    for value in key)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor, *kinds):
    """The key a cursor holds, each part of the given kind (`dt.date` or `int`), or None
    when it is missing, malformed or out of range."""
    if not cursor or len(cursor) > MAX_CURSOR:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    parts = text.split("~")
    if len(parts) != len(kinds):
        return None
    key = []
    for kind, part in zip(kinds, parts, strict=True):
        if kind is int:
            if not part.isascii() or not part.isdigit() or not 0 < int(part) <= MAX_INT:
                return None
            key.append(int(part))
        else:
            try:
                key.append(dt.date.fromisoformat(part))
            except ValueError:
                return None
    return tuple(key)


def _beyond(fields, key, later):
    """(f1, f2, …) < key (or > key when `later`), written out as ORs (portable SQL), with
    the first field's bound repeated outside them: the index is then read as a range
    from the key (without it, SQLite reads the space's rows from the top and filters)."""
    condition = None
    for field, value in reversed(list(zip(fields, key, strict=True))):
        strict = field > value if later else field < value
        condition = strict if condition is None else strict | ((field == value) & condition)
    if len(fields) == 1:
        return condition
    first, value = fields[0], key[0]
    return ((first >= value) if later else (first <= value)) & condition


@dataclass
class Page:
    rows: list
    previous: tuple | None  # the key to read before (the first row's), None on page 1
    next: tuple | None  # the key to read after (the last row's), None on the last page


def page(query, fields, key_of, *, after=None, before=None, size=20):
    """One page of `query` in descending order of `fields` (the last one unique), after
    the key `after` or before the key `before`; one statement (two when going back
    reaches the start, which then reads the first page)."""
    if before is not None:
        rows = list(query.where(_beyond(fields, before, later=True))
                    .order_by(*fields).limit(size + 1))
        if len(rows) > size:
            rows = rows[:size][::-1]
            return Page(rows, key_of(rows[0]), key_of(rows[-1]))
        after = None  # back at the start: the first page, with what was added since
    selected = query.where(_beyond(fields, after, later=False)) if after is not None else query
    rows = list(selected.order_by(*[field.desc() for field in fields]).limit(size + 1))
    if not rows and after is not None:  # past the end (a made-up key): the first page
        return page(query, fields, key_of, size=size)
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, key_of(rows[0]) if after is not None and rows else None,
                key_of(rows[-1]) if more else None)
