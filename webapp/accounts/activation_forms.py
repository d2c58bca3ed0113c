"""The forms of activating a space (identity and code, then e-mail and password, then the
code sent to that address) and of objecting to it."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, Length

from webapp.forms import Form, email_address, required


class IdentityForm(Form):
    nir = StringField(_l("Numéro de sécurité sociale"), validators=[
        required(_l("Saisissez votre numéro de sécurité sociale (15 chiffres)."))])
    birth_date = StringField(_l("Date de naissance"), validators=[
        required(_l("Saisissez votre date de naissance."))])
    code = StringField(_l("Code d'activation"), validators=[
        required(_l("Saisissez le code d'activation reçu par courrier ou par e-mail."))])


class AccountForm(Form):
    email = EmailField(_l("Adresse e-mail"), validators=[
        required(_l("Saisissez votre adresse e-mail.")), email_address()])
    password = PasswordField(_l("Mot de passe"), validators=[
        required(_l("Choisissez un mot de passe.")),
        Length(min=12, max=128,
               message=_l("Choisissez un mot de passe de 12 caractères au moins."))])
    confirm = PasswordField(_l("Confirmez le mot de passe"), validators=[
        required(_l("Saisissez à nouveau votre mot de passe.")),
        EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques."))])


class CodeForm(Form):
    code = StringField(_l("Code de confirmation"), validators=[
        required(_l("Saisissez le code à 6 chiffres reçu par e-mail."))])


class ConfirmForm(Form):
    confirm = BooleanField(_l("J'ai compris que mon espace ne sera jamais ouvert et que ses "
                              "données seront supprimées."), validators=[
        required(_l("Cochez la case pour confirmer votre opposition."))])
