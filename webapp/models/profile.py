"""The medical profile: entries of each section (illnesses, treatments, vaccinations…) and
the sections a holder marked as "not concerned"."""

import datetime as dt
import json

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class ProfileEntry(BaseModel):
    """One entry of a profile section; its fields, as the section's form defines them, in JSON."""

    space = ForeignKeyField(Space, backref="profile_entries", on_delete="CASCADE")
    section = CharField(max_length=32)  # a code of webapp.record.profile_sections
    data = TextField(default="{}")
    sort_date = DateField(null=True)  # the entry's main date, to list the latest first
    author = ForeignKeyField(User, null=True, backref="profile_entries", on_delete="SET NULL")
    author_kind = CharField(default="citizen")  # citizen, professional, system
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "section"), False),)

    @property
    def values(self):
        """The fields as a dict; dates come back as datetime.date."""
        raw = json.loads(self.data or "{}")
        return {k: _from_json(v) for k, v in raw.items()}

    @values.setter
    def values(self, mapping):
        self.data = json.dumps({k: _to_json(v) for k, v in mapping.items()}, ensure_ascii=False)


def _to_json(value):
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if hasattr(value, "is_finite"):  # Decimal
        return str(value)
    return value


def _from_json(value):
    if isinstance(value, dict) and "date" in value:
        return dt.date.fromisoformat(value["date"])
    return value


class SectionStatus(BaseModel):
    """A section the holder said does not concern them (no allergy, no treatment…)."""

    space = ForeignKeyField(Space, backref="profile_statuses", on_delete="CASCADE")
    section = CharField(max_length=32)
    not_concerned = BooleanField(default=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "section"), True),)


def entries_by_section(entries):
    """{section code: [entries, latest first]} from a query of a space's entries."""
    grouped = {}
    for entry in entries:
        grouped.setdefault(entry.section, []).append(entry)
    for entries in grouped.values():
        entries.sort(key=lambda e: (e.sort_date or dt.date.min, e.id), reverse=True)
    return grouped


def not_concerned_sections(statuses):
    """The set of section codes marked "not concerned", from a query of a space's statuses."""
    return {s.section for s in statuses.where(SectionStatus.not_concerned)}
