"""Measurements of a space (weight, blood pressure…) and personal targets per type."""

from peewee import CharField, DateField, DateTimeField, FloatField, ForeignKeyField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class Measurement(BaseModel):
    """One measurement; blood pressure keeps the diastolic value in `value2`."""

    space = ForeignKeyField(Space, backref="measurements", on_delete="CASCADE")
    kind = CharField(max_length=32)  # a code of webapp.record.measures.TYPES
    value = FloatField()
    value2 = FloatField(null=True)
    measured_on = DateField()  # the day in Paris
    # the moment (naive UTC, like every timestamp) when the time of day was given, else None
    measured_at = DateTimeField(null=True)
    author = ForeignKeyField(User, null=True, backref="measurements", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "kind", "measured_on"), False),)


class MeasurementTarget(BaseModel):
    """A personal target for one type of measurement (e.g. 70 kg)."""

    space = ForeignKeyField(Space, backref="measurement_targets", on_delete="CASCADE")
    kind = CharField(max_length=32)
    value = FloatField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "kind"), True),)


def chronological(latest_first=False):
    """The order of measurements: by day, then by time (a day's untimed ones first), then
    as entered; NULLS placement is spelt out, SQLite and PostgreSQL differ on it."""
    if latest_first:
        return (Measurement.measured_on.desc(), Measurement.measured_at.desc(nulls="last"),
                Measurement.id.desc())
    return (Measurement.measured_on, Measurement.measured_at.asc(nulls="first"),
            Measurement.id)


def latest_by_kind(measurements):
    """{kind: latest Measurement} from a query of a space's measurements, in one query."""
    latest = {}
    rows = measurements.order_by(*chronological())
    for row in rows:
        latest[row.kind] = row
    return latest
