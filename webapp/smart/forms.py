"""Forms of the authorisation (which space, an answer for each scope asked), of a report,
and of the administrators' client registry."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from webapp.forms import Form, max_length, required
from webapp.models.catalogue import CATEGORIES
from webapp.models.smart import CLIENT_STATUSES
from webapp.smart import scopes as smart_scopes

ANSWERS = [SelectChoice("oui", _l("Autoriser")), SelectChoice("non", _l("Refuser"))]


class SpaceForm(Form):
    """Which space the app will reach (a citizen's own, or a child's); read from the
    query string, as the rest of the authorisation request."""

    class Meta:
        csrf = False

    espace = RadioField(_l("Pour quel espace ?"), validators=[
        required(_l("Choisissez l'espace auquel l'application aura accès."))])

    def __init__(self, spaces, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.espace.choices = [SelectChoice(s.ref, s.display_name) for s in spaces]


class ConsentForm(Form):
    """One accept/refuse question per scope not answered before (fields `q0`, `q1`…: no
    field may share a name with an OAuth parameter)."""

    @classmethod
    def build(cls, asked):
        """A form asking about these scopes."""
        fields = {f"q{n}": RadioField(smart_scopes.describe(scope), choices=ANSWERS,
                                      validators=[required(_l(
                                          "Choisissez « Autoriser » ou « Refuser » pour : "
                                          "%(what)s.", what=smart_scopes.describe(scope)))])
                  for n, scope in enumerate(asked)}
        form = type("AskedConsentForm", (cls,), fields)()
        form.asked = list(asked)
        return form

    def answers(self):
        """(granted, refused) scopes."""
        granted, refused = [], []
        for n, scope in enumerate(self.asked):
            (granted if self[f"q{n}"].data == "oui" else refused).append(scope)
        return granted, refused

    def questions(self):
        """(scope, field) pairs, in order."""
        return [(scope, self[f"q{n}"]) for n, scope in enumerate(self.asked)]


class ReportForm(Form):
    """A citizen's report of an app to the administrators."""

    reason = TextAreaField(_l("Ce qui vous inquiète dans cette application"), validators=[
        required(_l("Décrivez en quelques mots ce qui vous inquiète.")),
        max_length(2000, _l("Votre message doit faire moins de 2 000 caractères."))])


def _redirect_uri_ok(uri):
    """https, loopback http (RFC 8252 §7.3) or a private-use scheme (reverse domain)."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return False
    if parts.fragment or not parts.scheme or " " in uri:
        return False
    if parts.scheme == "https":
        return bool(parts.hostname)
    if parts.scheme == "http":
        return parts.hostname in ("127.0.0.1", "::1") and port is None
    return "." in parts.scheme and not parts.netloc


class ClientForm(Form):
    """An app or a professional software, as the administrators reference it."""

    name = StringField(_l("Nom"), validators=[
        required(_l("Saisissez le nom de l'application.")),
        max_length(120, _l("Le nom doit faire moins de 120 caractères."))])
    publisher = StringField(_l("Éditeur"), validators=[
        required(_l("Saisissez le nom de l'éditeur.")),
        max_length(120, _l("Le nom de l'éditeur doit faire moins de 120 caractères."))])
    description = TextAreaField(_l("Description"), validators=[
        required(_l("Décrivez en une ou deux phrases à quoi sert l'application.")),
        max_length(300, _l("La description doit faire moins de 300 caractères."))])
    category = SelectField(_l("Thème (applications du catalogue)"), validators=[Optional()])
    scopes = TextAreaField(_l("Données demandées (scopes SMART, séparés par des espaces)"),
                           validators=[required(_l("Saisissez au moins un scope SMART, par "
                                                   "exemple patient/Observation.rs."))])
    redirect_uris = TextAreaField(_l("Adresses de retour (une par ligne)"), validators=[
        required(_l("Saisissez au moins une adresse de retour."))])

    def __init__(self, kind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.category.choices = [SelectChoice(code, label) for code, label in CATEGORIES.items()]

    def validate_scopes(self, field):
        context = "patient" if self.kind == "app" else "user"
        offered, unknown = smart_scopes.split(field.data)
        wrong = unknown + [s for s in offered if isinstance(smart_scopes.parse(s),
                                                            smart_scopes.ResourceScope)
                           and smart_scopes.parse(s).context != context]
        if wrong:
            raise ValidationError(_l("Ces scopes ne sont pas proposés pour ce type de "
                                     "client : %(wrong)s.", wrong=" ".join(wrong)))
        field.data = " ".join(offered)

    def validate_redirect_uris(self, field):
        uris = [u.strip() for u in (field.data or "").splitlines() if u.strip()]
        wrong = [u for u in uris if len(u) > 500 or not _redirect_uri_ok(u)]
        if wrong or not uris:
            raise ValidationError(_l(
                "Adresse de retour refusée : %(uri)s. Utilisez https, http://127.0.0.1/… sans "
                "port pour une application installée, ou un schéma privé (com.editeur.app:/…).",
                uri=(wrong or [""])[0]))
        field.data = "\n".join(uris)


class NewClientForm(ClientForm):
    """A new client: also whether it keeps a secret (a server) or not (public)."""

    confidential = BooleanField(_l("Client confidentiel (un serveur qui garde un secret)"))


class StatusForm(Form):
    """Online, suspended or dereferenced."""

    status = RadioField(_l("État"), choices=[SelectChoice(code, label)
                                             for code, label in CLIENT_STATUSES.items()],
                        validators=[required(_l("Choisissez un état."))])
