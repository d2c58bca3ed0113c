"""The form of linking a national sign-in to an existing account."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField

from webapp.forms import Form, required


class ConfirmForm(Form):
    password = PasswordField(_l("Mot de passe de votre compte Mon espace santé"), validators=[
        required(_l("Saisissez le mot de passe de votre compte."))])
