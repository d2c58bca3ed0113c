"""Shared form pieces: a base form and translated validators."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Email, InputRequired, Length


def _without_nul(value):
    """Text never holds a NUL character (PostgreSQL refuses it): it is dropped."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """Base form: errors are listed in the error summary in field order; text is kept as
    typed, but for NUL characters, which nobody types."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = (*unbound_field.kwargs.get("filters", ()), _without_nul)
            return unbound_field.bind(form=form, filters=filters, **options)

    def error_list(self):
        """(field id, first error) for each field in error, in page order."""
        return [(f.id, f.errors[0]) for f in self if f.errors and f.type != "CSRFTokenField"]


def required(message):
    """A required-field validator with a whole, translated message."""
    return InputRequired(message=message)


def email_address():
    """E-mail format check with a translated message."""
    return Email(message=_l("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
                 check_deliverability=False)


def max_length(n, message):
    """Length limit with a translated message."""
    return Length(max=n, message=message)
