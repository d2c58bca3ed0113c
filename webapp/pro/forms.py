"""Forms of the professionals' pages: find a patient, declare the care relation, deposit
a document, propose an appointment."""

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from webapp.agenda.forms import LocalDate, LocalTime
from webapp.db import utcnow
from webapp.forms import Form, max_length, required
from webapp.models.agenda import NOTE_MAX
from webapp.models.documents import TITLE_MAX
from webapp.pro import ins
from webapp.record import categories, types
from webapp.record.fields import DateField, options

SEXES = [("F", _l("Féminin")), ("M", _l("Masculin"))]
DURATIONS = [(15, _l("15 minutes")), (20, _l("20 minutes")), (30, _l("30 minutes")),
             (45, _l("45 minutes")), (60, _l("1 heure"))]


def _today():
    """Today in the reader's time zone (Paris): a document of 00:30 is of today."""
    return to_user_timezone(utcnow()).date()


def _past_birth(form, field):
    if field.data and field.data > utcnow().date():
        raise ValidationError(_l("La date de naissance ne peut pas être dans le futur."))


class InsLookupForm(Form):
    """The matricule (NIR or NIA) and the birth date, as on the patient's card."""

    matricule = StringField(_l("Numéro de sécurité sociale (NIR ou NIA)"), validators=[
        required(_l("Saisissez le numéro de sécurité sociale du patient (15 caractères)."))])
    birth_date = DateField(_l("Date de naissance"), validators=[
        required(_l("Saisissez la date de naissance du patient.")), _past_birth])

    def validate_matricule(self, field):
        """Format and key; then its agreement with the birth date."""
        value = ins.normalize(field.data)
        if not ins.key_ok(value):
            raise ValidationError(_l("Ce numéro n'est pas valide : vérifiez les 15 caractères, "
                                     "clé comprise."))
        field.data = value

    def validate_birth_date(self, field):
        """The year and month the matricule carries must be the birth date's."""
        value = ins.normalize(self.matricule.data)
        if field.data and ins.key_ok(value) and set(
                ins.problems(value, field.data, "", kind="NIA")) & {"year", "month", "corsica"}:
            raise ValidationError(_l("Cette date ne correspond pas au numéro de sécurité "
                                     "sociale : vérifiez l'un et l'autre."))


class TraitsLookupForm(Form):
    """The reference traits, for a patient whose card is not at hand."""

    birth_name = StringField(_l("Nom de naissance"), validators=[
        required(_l("Saisissez le nom de naissance du patient.")),
        max_length(100, _l("Le nom doit faire 100 caractères au plus."))])
    first_name = StringField(_l("Premier prénom de naissance"), validators=[
        required(_l("Saisissez le premier prénom de naissance du patient.")),
        max_length(100, _l("Le prénom doit faire 100 caractères au plus."))])
    birth_date = DateField(_l("Date de naissance"), validators=[
        required(_l("Saisissez la date de naissance du patient.")), _past_birth])
    sex = RadioField(_l("Sexe"), choices=options(SEXES), validators=[
        required(_l("Indiquez le sexe du patient."))])


class DeclareForm(Form):
    """The care relation, declared with the patient present."""

    token = HiddenField()
    informed = BooleanField(_l("Le patient a été informé et ne s'y oppose pas"), validators=[
        required(_l("Cochez la case : le patient doit avoir été informé et ne pas s'y "
                    "opposer."))])


class DepositForm(Form):
    """A document for the patient's record."""

    file = FileField(_l("Fichier (PDF ou image)"))
    received = None  # the file kept for this form (webapp.record.uploads), set by the view
    title = StringField(_l("Titre du document"), validators=[
        required(_l("Saisissez le titre du document.")),
        max_length(TITLE_MAX, _l("Le titre doit faire 200 caractères au maximum."))])
    loinc = SelectField(_l("Type de document"), validate_choice=False, validators=[
        required(_l("Choisissez le type de document."))])
    category = SelectField(_l("Catégorie"), validate_choice=False, validators=[Optional()])
    document_date = DateField(_l("Date du document"), default=_today,
                              validators=[required(_l("Saisissez la date du document, par "
                                                      "exemple 14/03/2026."))])
    withheld = BooleanField(_l("Ne pas montrer ce document au patient avant la consultation "
                               "d'annonce"))
    release_on = DateField(_l("Le montrer au patient automatiquement le"),
                           validators=[Optional()])

    def __init__(self, *args, writable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.writable = writable
        self.loinc.choices = options([("", _l("Choisissez un type"))] + types.choices())
        self.category.choices = options([("", _l("Celle du type de document"))] + [
            (code, label) for code, label in categories.choices() if code in writable])

    def validate_file(self, field):
        """A file must be chosen or kept (its content is checked when it is stored)."""
        if self.received is None and not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choisissez le fichier à déposer."))

    def validate_loinc(self, field):
        """Only the types of the list."""
        if field.data not in types.TYPES:
            raise ValidationError(_l("Choisissez le type de document."))

    def validate(self, extra_validators=None):
        """The fields, then the category: the one chosen, else the type's usual one."""
        valid = super().validate(extra_validators)
        if not self.category.data and self.loinc.data in types.TYPES:
            self.category.data = types.TYPES[self.loinc.data][1]
            if self.category.data not in self.writable:
                self.category.errors = [_l("Choisissez la catégorie : votre profession ne "
                                           "dépose pas dans celle de ce type de document.")]
                return False
        return valid

    def validate_category(self, field):
        """Only the categories the profession may write in."""
        if field.data not in self.writable:
            raise ValidationError(_l("Choisissez une catégorie de la liste : votre profession "
                                     "ne dépose que dans celles-ci."))

    def validate_document_date(self, field):
        """Not in the future."""
        if field.data and field.data > _today():
            raise ValidationError(_l("La date du document ne peut pas être dans le futur."))

    def validate_release_on(self, field):
        """A day to come, and only for a document kept from the patient."""
        if field.data and not self.withheld.data:
            raise ValidationError(_l("Cochez d'abord la case au-dessus, ou effacez cette "
                                     "date."))
        if field.data and field.data <= utcnow().date():
            raise ValidationError(_l("Choisissez une date à venir, par exemple dans 15 jours."))


class ProposeForm(Form):
    """An appointment proposed to the patient."""

    title = StringField(_l("Intitulé"), default=_l("Consultation"), validators=[
        required(_l("Saisissez l'intitulé du rendez-vous.")),
        max_length(200, _l("L'intitulé doit faire 200 caractères au plus."))])
    day = LocalDate(_l("Date"), validators=[required(_l("Saisissez la date du rendez-vous."))])
    time = LocalTime(_l("Heure"), validators=[
        required(_l("Saisissez l'heure du rendez-vous."))])
    minutes = SelectField(_l("Durée"), coerce=int, default=20, choices=options(DURATIONS),
                          validate_choice=False)
    address = StringField(_l("Adresse"), validators=[
        Optional(), max_length(200, _l("L'adresse doit faire 200 caractères au plus."))])
    note = TextAreaField(_l("Message au patient"), validators=[Optional(), max_length(
        NOTE_MAX, _l("Le message doit faire 1 000 caractères au plus."))])

    def validate_minutes(self, field):
        """One of the durations of the list."""
        if field.data not in dict(DURATIONS):
            raise ValidationError(_l("Choisissez une durée dans la liste."))

    def validate_day(self, field):
        """Today or later."""
        if field.data and field.data < utcnow().date():
            raise ValidationError(_l("Choisissez une date à venir."))
