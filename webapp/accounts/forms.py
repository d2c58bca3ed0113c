"""The forms of the ways back in (a reset link, a new password, a mediator's assisted
recovery, a lost activation code), of the account page, and of a minor's legal
representatives."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, Length

from webapp.forms import Form, email_address, required

DOCUMENT_KINDS = [
    ("cni", _l("Carte nationale d'identité")),
    ("passeport", _l("Passeport")),
    ("sejour", _l("Titre de séjour")),
    ("permis", _l("Permis de conduire")),
]


def _nir():
    return StringField(_l("Numéro de sécurité sociale"), validators=[
        required(_l("Saisissez le numéro de sécurité sociale (15 chiffres)."))])


def _birth_date():
    return StringField(_l("Date de naissance"), validators=[
        required(_l("Saisissez la date de naissance."))])


def _password():
    return PasswordField(_l("Nouveau mot de passe"), validators=[
        required(_l("Choisissez un mot de passe.")),
        Length(min=12, max=128,
               message=_l("Choisissez un mot de passe de 12 caractères au moins."))])


def _confirm():
    return PasswordField(_l("Confirmez le nouveau mot de passe"), validators=[
        required(_l("Saisissez à nouveau votre mot de passe.")),
        EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques."))])


class ForgotForm(Form):
    email = EmailField(_l("Adresse e-mail de votre compte"), validators=[
        required(_l("Saisissez votre adresse e-mail.")), email_address()])


class NewPasswordForm(Form):
    birth_date = _birth_date()
    password = _password()
    confirm = _confirm()


class CodePasswordForm(Form):
    nir = _nir()
    birth_date = _birth_date()
    code = StringField(_l("Code remis par le conseiller France Services"), validators=[
        required(_l("Saisissez le code qui figure sur l'attestation."))])
    password = _password()
    confirm = _confirm()


class AssistedForm(Form):
    nir = _nir()
    birth_date = _birth_date()
    document_kind = RadioField(_l("Pièce d'identité présentée"),
                               choices=[SelectChoice(k, label) for k, label in DOCUMENT_KINDS],
                               validators=[required(_l("Choisissez la pièce d'identité que "
                                                       "vous avez vérifiée."))])
    document_end = StringField(_l("4 derniers caractères du numéro de la pièce"), validators=[
        required(_l("Saisissez les 4 derniers caractères du numéro de la pièce d'identité.")),
        Length(min=4, max=4, message=_l("Saisissez exactement les 4 derniers caractères du "
                                        "numéro de la pièce d'identité."))])
    present = BooleanField(_l("La personne est présente et sa pièce d'identité correspond à "
                              "son nom, son prénom et sa date de naissance."), validators=[
        required(_l("Cochez la case pour confirmer que vous avez vérifié l'identité de la "
                    "personne présente."))])


class LostCodeForm(Form):
    nir = _nir()
    birth_date = _birth_date()
    postal_code = StringField(_l("Code postal de votre adresse"), validators=[
        required(_l("Saisissez le code postal de votre adresse (5 chiffres)."))])


class EmailForm(Form):
    email = EmailField(_l("Nouvelle adresse e-mail"), validators=[
        required(_l("Saisissez la nouvelle adresse e-mail.")), email_address()])
    password = PasswordField(_l("Mot de passe actuel"), validators=[
        required(_l("Saisissez votre mot de passe actuel."))])


class CodeForm(Form):
    code = StringField(_l("Code de confirmation"), validators=[
        required(_l("Saisissez le code à 6 chiffres reçu sur la nouvelle adresse."))])


class PasswordForm(Form):
    current = PasswordField(_l("Mot de passe actuel"), validators=[
        required(_l("Saisissez votre mot de passe actuel."))])
    password = PasswordField(_l("Nouveau mot de passe"), validators=[
        required(_l("Choisissez un nouveau mot de passe.")),
        Length(min=12, max=128,
               message=_l("Choisissez un mot de passe de 12 caractères au moins."))])
    confirm = PasswordField(_l("Confirmez le nouveau mot de passe"), validators=[
        required(_l("Saisissez à nouveau le nouveau mot de passe.")),
        EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques."))])


class CloseForm(Form):
    keep = RadioField(_l("Que deviennent vos données ?"), choices=[
        SelectChoice("archive", _l("Les garder archivées dix ans : je pourrai rouvrir mon "
                                   "espace pendant cette période")),
        SelectChoice("delete", _l("Les supprimer dès que possible : je ne pourrai pas rouvrir "
                                  "mon espace"))],
        validators=[required(_l("Choisissez ce que deviennent vos données."))])
    password = PasswordField(_l("Mot de passe"), validators=[
        required(_l("Saisissez votre mot de passe pour confirmer."))])
    confirm = BooleanField(_l("Je confirme vouloir fermer mon espace santé."), validators=[
        required(_l("Cochez la case pour confirmer la fermeture."))])


class GuardianInviteForm(Form):
    email = EmailField(_l("Adresse e-mail de l'autre représentant légal"), validators=[
        required(_l("Saisissez l'adresse e-mail de l'autre représentant légal.")),
        email_address()])


class GuardianAcceptForm(Form):
    """Accepting asks for what the inviter knows: the child's birth date (a stranger who
    took over the invited address does not)."""
    birth_date = StringField(_l("Date de naissance de l'enfant"), validators=[
        required(_l("Saisissez la date de naissance de l'enfant."))])
