"""Measurements' changes: a value recorded or deleted, a personal target set or removed."""

import datetime as dt

from flask_babel import to_utc

from webapp.audit import Action
from webapp.db import transaction
from webapp.models.measurements import Measurement, MeasurementTarget


def add_measurement(access, kind, value, value2, measured_on, time=None):
    """Record a value (already checked by the form); `time`, if known, is Paris time on
    the day `measured_on`, stored as its UTC moment."""
    moment = to_utc(dt.datetime.combine(measured_on, time)) if time is not None else None
    with transaction():
        row = Measurement.create(space=access.space, kind=kind.code, value=float(value),
                                 value2=float(value2) if value2 is not None else None,
                                 measured_on=measured_on, measured_at=moment,
                                 author=access.actor)
        access.log(Action.PROFILE_WRITE, row, "add")
    return row


def delete_measurement(access, row):
    """Delete a value."""
    with transaction():
        row.delete_instance()
        access.log(Action.PROFILE_WRITE, row, "delete")


def set_target(access, kind, value):
    """Set or change the personal target (None removes it)."""
    with transaction():
        MeasurementTarget.delete().where((MeasurementTarget.space == access.space)
                                         & (MeasurementTarget.kind == kind.code)).execute()
        if value is not None:
            MeasurementTarget.create(space=access.space, kind=kind.code, value=float(value))
        access.log(Action.PROFILE_WRITE, detail=f"target:{kind.code}")
