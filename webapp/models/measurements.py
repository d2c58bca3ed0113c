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
    measured_on = DateField()
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


def latest_by_kind(measurements):
    """{kind: latest Measurement} from a query of a space's measurements, in one query."""
    latest = {}
    rows = measurements.order_by(Measurement.measured_on, Measurement.id)
    for row in rows:
        latest[row.kind] = row
    return latest
