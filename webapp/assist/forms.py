"""Forms of assisted access: the mandate wizard's steps, a caregiver's invitation and
scopes, the attestation's verification, an office's mediators and their set-up."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from webapp.assist import mandates
from webapp.forms import Form, email_address, required


class BirthDateField(DateField):
    """A date typed as DD/MM/YYYY in a text box (easier than a date picker, any locale)."""

    widget = TextInput()

    def __init__(self, label, **kwargs):
        super().__init__(label, format=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"], **kwargs)

    def _value(self):
        return self.data.strftime("%d/%m/%Y") if self.data else " ".join(self.raw_data or [])

    def process_formdata(self, valuelist):
        text = " ".join(valuelist or []).strip().replace(" ", "/").replace(".", "/")
        self.data = None
        for fmt in self.strptime_format:
            try:
                self.data = dt.datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        if text:
            raise ValueError(_l("Saisissez une date réelle au format JJ/MM/AAAA, par exemple "
                                "14/05/1984."))


class CitizenForm(Form):
    nir = StringField(_l("Numéro de sécurité sociale"), validators=[
        required(_l("Saisissez le numéro de sécurité sociale de la personne."))])
    birth_date = BirthDateField(_l("Date de naissance"), validators=[
        required(_l("Saisissez la date de naissance de la personne."))])


class ScopesForm(Form):
    scopes = SelectMultipleField(_l("Rubriques"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(), validators=[DataRequired(
                                     _l("Cochez au moins une rubrique."))])

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = [SelectChoice(str(s), mandates.SCOPE_LABELS[s]) for s in choices]


class DurationForm(Form):
    duration = RadioField(_l("Durée du mandat"), choices=[SelectChoice(k, v) for k, v in
                                                   mandates.DURATION_LABELS.items()],
                          validators=[required(_l("Choisissez la durée du mandat."))])


class TermsForm(Form):
    read = BooleanField(_l("J'ai lu ces conditions à la personne et elle les a comprises."),
                        validators=[DataRequired(_l("Lisez les conditions à la personne, puis "
                                                    "cochez la case pour continuer."))])


class CodeForm(Form):
    code = StringField(_l("Code reçu par la personne"), validators=[
        required(_l("Saisissez le code à 6 chiffres reçu par la personne."))])


class LoginConsentForm(Form):
    email = EmailField(_l("Adresse e-mail de la personne"), validators=[
        required(_l("Saisissez l'adresse e-mail du compte de la personne."))])
    password = PasswordField(_l("Mot de passe de la personne"), validators=[
        required(_l("Saisissez le mot de passe du compte de la personne."))])


class TotpForm(Form):
    code = StringField(_l("Votre code de sécurité"), validators=[
        required(_l("Saisissez le code à 6 chiffres affiché par votre application."))])



class VerifyForm(Form):
    class Meta:
        csrf = False  # a GET search form

    code = StringField(_l("Code de vérification"), validators=[
        required(_l("Saisissez le code de vérification imprimé sur l'attestation."))])


class CaregiverInviteForm(ScopesForm):
    email = EmailField(_l("Adresse e-mail de votre proche"), validators=[
        required(_l("Saisissez l'adresse e-mail de votre proche.")), email_address()])


class InviteMediatorForm(Form):
    first_name = StringField(_l("Prénom"), validators=[required(_l("Saisissez le prénom."))])
    last_name = StringField(_l("Nom"), validators=[required(_l("Saisissez le nom."))])
    email = EmailField(_l("Adresse e-mail professionnelle"), validators=[
        required(_l("Saisissez l'adresse e-mail.")), email_address()])


class PasswordSetupForm(Form):
    password = PasswordField(_l("Mot de passe"), validators=[
        required(_l("Choisissez un mot de passe.")),
        Length(min=12, max=128, message=_l("Choisissez un mot de passe de 12 caractères au "
                                           "moins."))])


class CodeSetupForm(Form):
    code = StringField(_l("Code affiché par votre application"), validators=[
        required(_l("Saisissez le code à 6 chiffres affiché par votre application."))])
