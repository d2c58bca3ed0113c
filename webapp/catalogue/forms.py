"""Forms of the catalogue: the list's search and category filter, and the consent to
connect an app."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Optional

from webapp.forms import Form, required
from webapp.models.catalogue import CATEGORIES


class FilterForm(Form):
    """Search and category filter, read from the query string (no CSRF: it only reads)."""

    class Meta:
        csrf = False

    q = StringField(_l("Rechercher par nom ou mot-clé"), validators=[Optional()])
    categorie = SelectField(_l("Catégorie"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categorie.choices = [("", _l("Toutes les catégories"))] + list(CATEGORIES.items())

    def validate_categorie(self, field):
        """Unknown codes are ignored rather than refused."""
        if field.data not in CATEGORIES:
            field.data = ""

    def filters(self):
        """The filters in use, as query-string values (for links and pagination)."""
        values = {"q": (self.q.data or "").strip()[:100], "categorie": self.categorie.data or ""}
        return {k: v for k, v in values.items() if v}


class ConsentForm(Form):
    """The holder's explicit agreement to share the listed data with the app."""

    accept = BooleanField(_l("J'autorise cette application à accéder aux données listées "
                             "ci-dessus."),
                          validators=[required(_l("Cochez la case pour autoriser "
                                                  "l'application, ou revenez au catalogue."))])
