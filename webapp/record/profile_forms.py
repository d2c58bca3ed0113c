"""The form of each medical-profile section, with whole translated messages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from webapp.forms import Form, max_length, required
from webapp.record.fields import DateField, options

TEXT_MAX = 200
NOTE_MAX = 2000


def _text(label, message=None, optional=False):
    checks = [Optional()] if optional else [required(message)]
    return StringField(label, validators=checks + [
        max_length(TEXT_MAX, _l("Ce champ doit faire 200 caractères au maximum."))])


def _date(label, message=None, optional=True):
    return DateField(label, validators=[Optional()] if optional else [required(message)])


class _Period(Form):
    """Start and end dates, the end not before the start."""

    def validate_end_date(self, field):
        """The end cannot come before the start."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("La date de fin doit être après la date de début."))


class IllnessForm(_Period):
    name = _text(_l("Maladie ou sujet de santé"), _l("Saisissez la maladie ou le sujet de santé."))
    status = RadioField(_l("Situation"), choices=options([
        ("ongoing", _l("En cours")), ("past", _l("Passé"))]), default="ongoing",
        validators=[required(_l("Indiquez si c'est en cours ou passé."))])
    start_date = _date(_l("Date de début"))
    end_date = _date(_l("Date de fin"))


class TreatmentForm(Form):
    name = _text(_l("Nom du médicament ou du traitement"),
                 _l("Saisissez le nom du médicament ou du traitement."))
    dosage = _text(_l("Dosage"), optional=True)
    frequency = _text(_l("Fréquence"), optional=True)
    duration = _text(_l("Durée"), optional=True)


class HospitalisationForm(_Period):
    reason = _text(_l("Motif"), _l("Saisissez le motif de l'hospitalisation."))
    place = _text(_l("Établissement"), optional=True)
    start_date = _date(_l("Date d'entrée"), _l("Saisissez la date d'entrée, par exemple "
                                               "14/03/2026."), optional=False)
    end_date = _date(_l("Date de sortie"))


class AllergyForm(Form):
    substance = _text(_l("Allergie ou intolérance"), _l("Saisissez l'allergie ou l'intolérance."))
    reaction = _text(_l("Réaction"), optional=True)


RELATIONSHIPS = [("mother", _l("Mère")), ("father", _l("Père")),
                 ("sibling", _l("Frère ou sœur")), ("grandparent", _l("Grand-parent")),
                 ("child", _l("Enfant")), ("other", _l("Autre membre de la famille"))]


class FamilyHistoryForm(Form):
    relationship = SelectField(_l("Lien de parenté"),
                               choices=options([("", _l("Choisissez le lien de parenté"))]
                                               + RELATIONSHIPS),
                               validators=[required(_l("Choisissez le lien de parenté."))])
    condition = _text(_l("Maladie"), _l("Saisissez la maladie."))


class DisabilityForm(Form):
    description = _text(_l("Handicap"), _l("Décrivez le handicap."))
    note = _text(_l("Aménagements utiles"), optional=True)


BLOOD_GROUPS = ["A+", "A−", "B+", "B−", "AB+", "AB−", "O+", "O−"]


class BloodGroupForm(Form):
    blood_group = RadioField(_l("Groupe sanguin"), choices=options((b, b) for b in BLOOD_GROUPS),
                             validators=[required(_l("Choisissez le groupe sanguin."))])


class VaccinationForm(Form):
    vaccine = _text(_l("Vaccin"), _l("Saisissez le nom du vaccin."))
    date = _date(_l("Date de la vaccination"),
                 _l("Saisissez la date de la vaccination, par exemple 14/03/2026."),
                 optional=False)
    dose = _text(_l("Dose"), optional=True)
    batch = _text(_l("Numéro de lot"), optional=True)
    professional = _text(_l("Vaccinateur"), optional=True)


class DirectivesForm(Form):
    life_support = RadioField(_l("Traitements qui maintiennent artificiellement en vie"),
                              choices=options([
                                  ("continue", _l("Je souhaite qu'ils soient poursuivis")),
                                  ("stop", _l("Je ne souhaite pas qu'ils soient poursuivis")),
                                  ("undecided", _l("Je ne me prononce pas"))]),
        validators=[required(_l("Indiquez votre souhait sur les traitements qui maintiennent "
                                "artificiellement en vie."))])
    wishes = TextAreaField(_l("Mes souhaits"), validators=[Optional(), max_length(
        NOTE_MAX, _l("Ce texte doit faire 2 000 caractères au maximum."))])
    document = SelectField(_l("Document de directives anticipées"), validators=[Optional()])


class OrganDonationForm(Form):
    acknowledged = BooleanField(
        _l("J'ai pris connaissance des informations sur le don d'organes et de tissus"),
        validators=[required(_l("Cochez la case pour confirmer que vous avez pris "
                                "connaissance des informations."))])
    note = _text(_l("Ce que je veux dire à mes proches"), optional=True)


CONTACT_KINDS = [("emergency", _l("Personne à prévenir en cas d'urgence")),
                 ("trusted", _l("Personne de confiance")),
                 ("caregiver", _l("Aidant"))]


class ContactForm(Form):
    name = _text(_l("Nom et prénom"), _l("Saisissez le nom et le prénom."))
    kind = RadioField(_l("Rôle"), choices=options(CONTACT_KINDS),
                      validators=[required(_l("Choisissez le rôle de cette personne."))])
    relationship = _text(_l("Lien avec vous"), optional=True)
    phone = _text(_l("Téléphone"), optional=True)
