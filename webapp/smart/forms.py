"""Forms of the authorisation: which space, and an answer for each scope asked."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from webapp.forms import Form, max_length, required
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
