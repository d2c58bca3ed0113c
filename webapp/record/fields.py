"""Form fields with whole translated messages for values that cannot be read."""

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


class DecimalField(wtforms.DecimalField):
    """A number that accepts a decimal comma, as French people type it."""

    def __init__(self, label=None, validators=None, invalid=None, **kwargs):
        kwargs.setdefault("places", None)
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
        """Accept "72,5" as well as "72.5"; an empty value is None (required() catches it)."""
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        if valuelist:
            valuelist = [valuelist[0].strip().replace(",", ".").replace("\u202f", "")
                         .replace(" ", "")]
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            self.data = None
            raise ValueError(str(self.invalid)) from error
        if self.data is not None and not self.data.is_finite():  # NaN, sNaN, Infinity
            self.data = None
            raise ValueError(str(self.invalid))
