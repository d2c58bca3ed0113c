"""Measurements' changes: a value recorded or deleted, a personal target set or removed."""

from webapp.audit import Action
from webapp.db import transaction
from webapp.models.measurements import Measurement, MeasurementTarget


def add_measurement(access, kind, value, value2, measured_on):
    """Record a value (already checked by the form)."""
    with transaction():
        row = Measurement.create(space=access.space, kind=kind.code, value=float(value),
                                 value2=float(value2) if value2 is not None else None,
                                 measured_on=measured_on, author=access.actor)
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
