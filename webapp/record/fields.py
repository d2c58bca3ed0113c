"""Form fields with whole translated messages for values that cannot be read."""

import decimal
import re

import wtforms
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice


def options(pairs):
    """SelectChoice objects from (value, label) pairs (tuples are deprecated in WTForms)."""
    return [SelectChoice(value, label) for value, label in pairs]


def choice_label(choices, value):
    """The label of a value among a field's choices (the value itself when unknown)."""
    for choice in choices or []:
        if str(choice.value) == str(value):
            return choice.label
    return value


# Dates people type for their health: a year outside these is a typing slip (or a probe),
# and beyond them dates no longer convert to time zones or compare safely.
FIRST_YEAR, LAST_YEAR = 1900, 2199


class DateField(wtforms.DateField):
    """A date (input type=date, ISO value) whose unreadable value gets a clear message."""

    def __init__(self, label=None, validators=None, invalid=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid or _l("Saisissez une date valide, par exemple 14/03/2026.")

    def process_formdata(self, valuelist):
        """Parse, replacing the library's English message by ours; years 1900 to 2199."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.invalid)) from error
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(str(self.invalid))


# A decimal as a person types it: digits, at most one comma or point (no exponent, no sign
# other than minus); spaces between thousands are dropped first.
DECIMAL = re.compile(r"-?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
DECIMAL_MAX = 20  # characters: more is a slip or a probe


class DecimalField(wtforms.DecimalField):
    """A number typed in a text input (inputmode=decimal: a type=number input may refuse
    the comma French people type); "72,5" and "72.5" are the same value."""

    widget = wtforms.widgets.TextInput()

    def __init__(self, label=None, validators=None, invalid=None, **kwargs):
        kwargs.setdefault("places", None)
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid or _l("Saisissez un nombre, par exemple 72,5.")

    def _value(self):
        """What was typed, else the value in the reader's locale (63,5 in French)."""
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_decimal(self.data, format="0.###")

    def process_formdata(self, valuelist):
        """Digits with a comma or a point; an empty value is None (required() catches it);
        anything else (1e400, inf, NaN, a long string) is refused with a whole message."""
        if not valuelist:
            return
        text = valuelist[0].strip()
        if not text:  # spaces only: empty for required() and Optional() alike
            self.data, self.raw_data = None, [""]
            return
        text = re.sub(r"[\s\u202f\u00a0]", "", text)
        self.data = None
        if len(text) > DECIMAL_MAX or not DECIMAL.fullmatch(text):
            raise ValueError(str(self.invalid))
        self.data = decimal.Decimal(text.replace(",", "."))


class TimeField(wtforms.TimeField):
    """A time of day (input type=time: 14:30, or 14:30:00) with a whole error message."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%H:%M", "%H:%M:%S"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        """Parse, replacing the library's English message by ours."""
        if valuelist and len(valuelist[0]) > DECIMAL_MAX:
            valuelist = ["?"]
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            self.data = None
            raise ValueError(str(_l("Saisissez une heure valide, par exemple 14:30."))) from error
