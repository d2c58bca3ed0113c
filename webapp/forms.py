"""Shared form pieces: a base form and translated validators."""

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import Email, InputRequired, Length, StopValidation

from webapp.sessions import kept_forms

NOT_REFILLED = {"CSRFTokenField", "PasswordField", "FileField", "MultipleFileField"}


def _without_nul(value):
    """Text never holds a NUL character (PostgreSQL refuses it): it is dropped."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """Base form: errors are listed in the error summary in field order; text is kept as
    typed, but for NUL characters, which nobody types. On a page shown again after signing
    in, the form sent when the session had ended comes back filled (never sent)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = (*unbound_field.kwargs.get("filters", ()), _without_nul)
            return unbound_field.bind(form=form, filters=filters, **options)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not args and "formdata" not in kwargs:
            self._refill(kwargs)

    def _refill(self, kwargs):
        """Fill the form with what was kept for this page (webapp.sessions.kept_forms)."""
        names = {f.name for f in self if f.type not in NOT_REFILLED}
        kept = kept_forms.take(names)
        if kept is None:
            return
        values, files_dropped = kept
        extra = {k: v for k, v in kwargs.items() if k not in ("prefix", "meta")}
        self.process(MultiDict([(k, v) for k, v in values if k in names]), **extra)
        message = _("Votre session avait pris fin : ce que vous aviez saisi est conservé, "
                    "mais n'est pas encore envoyé. Vérifiez-le, puis envoyez-le.")
        if files_dropped:
            message += " " + ngettext(
                "Le fichier choisi n'a pas été conservé : choisissez-le à nouveau.",
                "Les %(num)d fichiers choisis n'ont pas été conservés : choisissez-les à "
                "nouveau.", files_dropped)
        flash(message, "info")

    def error_list(self):
        """(field id, first error) for each field in error, in page order."""
        return [(f.id, f.errors[0]) for f in self if f.errors and f.type != "CSRFTokenField"]


class _Required(InputRequired):
    """Something must be typed, and text must be more than spaces or NUL characters (the
    filter drops those: a field of them alone would be saved empty)."""

    def __call__(self, form, field):
        super().__call__(form, field)
        if isinstance(field.data, str) and not field.data.strip():
            field.errors[:] = []
            raise StopValidation(self.message)


def required(message):
    """A required-field validator with a whole, translated message."""
    return _Required(message=message)


def email_address():
    """E-mail format check with a translated message."""
    return Email(message=_l("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
                 check_deliverability=False)


def max_length(n, message):
    """Length limit with a translated message."""
    return Length(max=n, message=message)
