"""The sign-in forms: e-mail and password, then a mediator's security code."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField

from webapp.forms import Form, email_address, required


class LoginForm(Form):
    email = EmailField(_l("Adresse e-mail"), validators=[
        required(_l("Saisissez votre adresse e-mail.")), email_address()])
    password = PasswordField(_l("Mot de passe"), validators=[
        required(_l("Saisissez votre mot de passe."))])


class CodeForm(Form):
    code = StringField(_l("Code de sécurité"), validators=[
        required(_l("Saisissez le code à 6 chiffres affiché par votre application."))])
