"""Privacy forms: a professional's emergency access request, the holder's emergency
switches, and the report of an access the holder did not consent to."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from webapp.forms import Form, max_length, required


class EmergencyRequestForm(Form):
    nir = StringField(_l("Numéro de sécurité sociale du patient"), validators=[
        required(_l("Saisissez le numéro de sécurité sociale du patient (15 chiffres)."))])
    birth_date = StringField(_l("Date de naissance du patient"), validators=[
        required(_l("Saisissez la date de naissance du patient."))])
    reason = TextAreaField(_l("Motif de l'accès en urgence"), validators=[
        required(_l("Indiquez le motif de l'accès en urgence.")),
        Length(min=10, max=500, message=_l("Décrivez le motif en 10 à 500 caractères."))])


class EmergencySwitchesForm(Form):
    ems_allowed = BooleanField(_l("Autoriser les services d'aide médicale urgente (SAMU – "
                                  "Centre 15) à consulter mon espace"))
    break_glass_allowed = BooleanField(_l("Autoriser les autres professionnels de santé à "
                                          "consulter mon espace en cas d'urgence (« bris de "
                                          "glace »)"))
    hidden_readable = BooleanField(_l("Permettre de lire aussi mes documents masqués lors "
                                      "d'un accès en urgence"))


class ReportForm(Form):
    message = TextAreaField(_l("Ce que vous voulez nous dire (facultatif)"), validators=[
        max_length(2000, _l("Votre message doit faire 2 000 caractères au plus."))])
