"""Forms of the agenda: an appointment or reminder of one's own, a prevention status."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from webapp.forms import Form, max_length, required
from webapp.models.agenda import NOTE_MAX, PREVENTION_STATUSES
from webapp.record.fields import FIRST_YEAR, LAST_YEAR

STATUS_LABELS = {"todo": _l("À planifier"), "done": _l("Fait"), "not_done": _l("Non fait")}


class LocalDate(DateField):
    """A date typed in the page (the browser sends AAAA-MM-JJ), with a whole error; years
    1900 to 2199 (beyond, times no longer convert between time zones)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Saisissez une date valide, par exemple 15/12/2026.")) from None
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(_("Saisissez une date valide, par exemple 15/12/2026."))


class LocalTime(TimeField):
    """A time of day in Paris, with a whole error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Saisissez une heure valide, par exemple 14:30.")) from None


class AppointmentForm(Form):
    kind = RadioField(_l("Type"), default="appointment", choices=[
        SelectChoice("appointment", _l("Rendez-vous")), SelectChoice("reminder", _l("Rappel"))])
    title = StringField(_l("Intitulé"), validators=[
        required(_l("Saisissez l'intitulé du rendez-vous.")),
        max_length(200, _l("L'intitulé doit faire 200 caractères au plus."))])
    day = LocalDate(_l("Date"), validators=[required(_l("Saisissez la date du rendez-vous."))])
    time = LocalTime(_l("Heure"), validators=[
        required(_l("Saisissez l'heure du rendez-vous."))])
    with_whom = StringField(_l("Professionnel ou lieu"), validators=[
        Optional(), max_length(200, _l("Ce champ doit faire 200 caractères au plus."))])
    address = StringField(_l("Adresse"), validators=[
        Optional(), max_length(200, _l("L'adresse doit faire 200 caractères au plus."))])
    note = TextAreaField(_l("Note personnelle"), validators=[Optional(), max_length(
        NOTE_MAX, _l("La note doit faire 1 000 caractères au plus."))])


class PreventionForm(Form):
    status = SelectField(_l("Statut"), choices=[SelectChoice(s, STATUS_LABELS[s])
                                                for s in PREVENTION_STATUSES])
