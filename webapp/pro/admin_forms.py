"""Forms of the admins' pages on professionals, and of a new professional's set-up."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, Length, Optional, ValidationError

from webapp.forms import Form, email_address, max_length, required
from webapp.models.accounts import User
from webapp.pro import identifiers, professions
from webapp.record.fields import options


class ProfessionalForm(Form):
    """A professional's account, created by an admin."""

    last_name = StringField(_l("Nom"), validators=[
        required(_l("Saisissez le nom du professionnel.")),
        max_length(100, _l("Le nom doit faire 100 caractères au plus."))])
    first_name = StringField(_l("Prénom"), validators=[
        required(_l("Saisissez le prénom du professionnel.")),
        max_length(100, _l("Le prénom doit faire 100 caractères au plus."))])
    email = EmailField(_l("Adresse e-mail"), validators=[
        required(_l("Saisissez l'adresse e-mail du professionnel.")), email_address()])
    rpps = StringField(_l("Numéro RPPS"), validators=[
        required(_l("Saisissez le numéro RPPS (11 chiffres)."))])
    profession = SelectField(_l("Profession"), validate_choice=False, validators=[
        required(_l("Choisissez la profession."))])
    specialty = SelectField(_l("Spécialité (médecins)"), validate_choice=False,
                            validators=[Optional()])
    structure = StringField(_l("Lieu d'exercice"), validators=[
        required(_l("Saisissez le nom du lieu d'exercice (cabinet, officine, laboratoire…).")),
        max_length(200, _l("Le nom doit faire 200 caractères au plus."))])
    address = StringField(_l("Adresse du lieu d'exercice"), validators=[
        Optional(), max_length(200, _l("L'adresse doit faire 200 caractères au plus."))])
    finess = StringField(_l("Numéro FINESS"), validators=[Optional()])
    siret = StringField(_l("Numéro SIRET"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.profession.choices = options([("", _l("Choisissez une profession"))] + [
            (code.value, label) for code, (_rpps, label) in professions.PROFESSIONS.items()])
        self.specialty.choices = options([("", _l("Aucune"))] + [
            (code.value, label) for code, label in professions.SPECIALTIES.items()])

    def validate_email(self, field):
        """One account per address."""
        if User.by_email(field.data):
            raise ValidationError(_l("Un compte existe déjà avec cette adresse."))

    def validate_rpps(self, field):
        """11 digits with a right key, and not already used."""
        value = identifiers.digits_only(field.data)
        if not identifiers.rpps_ok(value):
            raise ValidationError(_l("Ce numéro RPPS n'est pas valide : 11 chiffres, le "
                                     "dernier étant la clé."))
        if User.get_or_none((User.rpps == value) & (User.role == "professional")):
            raise ValidationError(_l("Un professionnel a déjà ce numéro RPPS."))
        field.data = value

    def validate_profession(self, field):
        """Only the professions of the list."""
        if field.data not in {p.value for p in professions.Profession}:
            raise ValidationError(_l("Choisissez la profession."))

    def validate_specialty(self, field):
        """A specialty only where the profession has them."""
        allowed = professions.SPECIALTIES_OF.get(self.profession.data, ())
        if field.data and field.data not in allowed:
            raise ValidationError(_l("Cette profession n'a pas de spécialité : choisissez "
                                     "« Aucune »."))

    def validate(self, extra_validators=None):
        """The fields, then: a place is named by its FINESS, or failing that its SIRET."""
        valid = super().validate(extra_validators)
        if not (self.finess.data or "").strip() and not (self.siret.data or "").strip():
            self.finess.errors = [_l("Saisissez le numéro FINESS du lieu d'exercice, ou à "
                                     "défaut son numéro SIRET.")]
            return False
        return valid

    def validate_finess(self, field):
        """9 characters with a right key (when given)."""
        value = identifiers.digits_only(field.data)
        if not identifiers.finess_ok(value):
            raise ValidationError(_l("Ce numéro FINESS n'est pas valide : 9 caractères, le "
                                     "dernier étant la clé."))
        field.data = value

    def validate_siret(self, field):
        """14 digits with a right key, when given."""
        value = identifiers.digits_only(field.data)
        if not identifiers.siret_ok(value):
            raise ValidationError(_l("Ce numéro SIRET n'est pas valide : 14 chiffres, le "
                                     "dernier étant la clé."))
        field.data = value


class SetupForm(Form):
    """The new professional's password."""

    password = PasswordField(_l("Mot de passe"), validators=[
        required(_l("Choisissez un mot de passe.")),
        Length(min=12, max=128, message=_l("Choisissez un mot de passe de 12 caractères au "
                                           "moins."))])
    confirm = PasswordField(_l("Confirmez le mot de passe"), validators=[
        required(_l("Saisissez à nouveau le mot de passe.")),
        EqualTo("password", message=_l("Les deux mots de passe ne sont pas les mêmes."))])
