"""Forms of the measurements area: a new measurement (range-checked) and a target."""

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from wtforms.validators import Optional, ValidationError

from webapp.db import utcnow
from webapp.forms import Form, required
from webapp.record.fields import DateField, DecimalField, TimeField


def _in_range(field, low, high, kind):
    if field.data is None or field.errors:  # unreadable: already explained
        return
    value = float(field.data)
    if not low <= value <= high:
        raise ValidationError(_(
            "La valeur doit être comprise entre %(low)s et %(high)s %(unit)s.",
            low=kind.format(low), high=kind.format(high), unit=kind.unit))


class MeasurementForm(Form):
    """A value (two for blood pressure), the day it was measured and, if known, the time
    (Paris time, like the day)."""

    value = DecimalField(_l("Valeur"), validators=[required(_l("Saisissez la valeur mesurée."))])
    value2 = DecimalField(_l("Diastolique"))
    measured_on = DateField(_l("Date de la mesure"), validators=[
        required(_l("Saisissez la date de la mesure, par exemple 14/03/2026."))])
    measured_at = TimeField(_l("Heure de la mesure"), validators=[Optional()])

    def __init__(self, kind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        unit = str(kind.unit)
        if kind.second_label:
            self.value.label.text = _("Systolique (%(unit)s)", unit=unit)
            self.value2.label.text = _("Diastolique (%(unit)s)", unit=unit)
        else:
            self.value.label.text = _("%(label)s (%(unit)s)", label=kind.label, unit=unit)

    def validate_value(self, field):
        """Within the type's range."""
        _in_range(field, self.kind.low, self.kind.high, self.kind)

    def validate_value2(self, field):
        """Blood pressure needs the diastolic value, lower than the systolic."""
        if not self.kind.second_label:
            return
        if field.data is None:
            if not field.errors:
                raise ValidationError(_("Saisissez la valeur diastolique."))
            return
        _in_range(field, self.kind.second_low, self.kind.second_high, self.kind)
        if self.value.data is not None and not field.errors and field.data >= self.value.data:
            raise ValidationError(_("La valeur diastolique doit être plus basse que la "
                                    "systolique."))

    def validate_measured_on(self, field):
        """Not in the future."""
        if field.data and field.data > to_user_timezone(utcnow()).date():  # today in Paris
            raise ValidationError(_("La date de la mesure ne peut pas être dans le futur."))

    def validate_measured_at(self, field):
        """Not later than now when the day is today (a minute's grace for clocks)."""
        day = self.measured_on.data
        if field.data is None or day is None or self.measured_on.errors:
            return
        now = to_user_timezone(utcnow()).replace(tzinfo=None)
        if dt.datetime.combine(day, field.data) > now + dt.timedelta(minutes=1):
            raise ValidationError(_("L'heure de la mesure ne peut pas être dans le futur."))


class TargetForm(Form):
    """A personal target; empty to remove it."""

    target = DecimalField(_l("Mon objectif"), validators=[Optional()])

    def __init__(self, kind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.target.label.text = _("Mon objectif (%(unit)s)", unit=str(kind.unit))

    def validate_target(self, field):
        """Within the type's range."""
        if field.data is not None:
            _in_range(field, self.kind.low, self.kind.high, self.kind)
