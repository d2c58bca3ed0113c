"""Forms of the documents area: add, edit, and the list's filters."""

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError

from webapp.db import utcnow
from webapp.forms import Form, max_length, required
from webapp.models.documents import TITLE_MAX
from webapp.record import categories
from webapp.record.fields import DateField, options


def _not_in_future(form, field):
    if field.data and field.data > to_user_timezone(utcnow()).date():  # today in Paris
        raise ValidationError(_l("La date du document ne peut pas être dans le futur."))


class DocumentDetailsForm(Form):
    """Title, date and category: what the citizen may change on a document they added."""

    title = StringField(_l("Titre du document"), validators=[
        required(_l("Saisissez le titre du document.")),
        max_length(TITLE_MAX, _l("Le titre doit faire 200 caractères au maximum."))])
    document_date = DateField(_l("Date du document"), validators=[
        required(_l("Saisissez la date du document, par exemple 14/03/2026.")),
        _not_in_future])
    category = SelectField(_l("Catégorie"), validators=[
        required(_l("Choisissez la catégorie du document."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = options([("", _l("Choisissez une catégorie"))]
                                       + categories.choices())

    def validate_category(self, field):
        """Only known codes."""
        if field.data not in categories.CATEGORIES:
            raise ValidationError(_l("Choisissez la catégorie du document."))


class UploadForm(DocumentDetailsForm):
    """A new document: the file and its details."""

    file = FileField(_l("Fichier"))
    received = None  # the file kept for this form (webapp.record.uploads), set by the view

    def validate_file(self, field):
        """A file must be chosen or kept (its content is checked when it is stored)."""
        if self.received is None and not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choisissez le fichier à ajouter."))


class FilterForm(Form):
    """The list's filters, read from the query string (no CSRF: it only reads)."""

    class Meta:
        csrf = False

    q = StringField(_l("Rechercher dans les titres"), validators=[Optional()])
    categorie = SelectField(_l("Catégorie"), validators=[Optional()])
    du = DateField(_l("Du"), validators=[Optional()])
    au = DateField(_l("Au"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categorie.choices = options([("", _l("Toutes les catégories"))]
                                        + categories.choices())

    def validate_categorie(self, field):
        """Unknown codes are ignored rather than refused."""
        if field.data not in categories.CATEGORIES:
            field.data = ""

    def validate_au(self, field):
        """The end of the range cannot come before its start."""
        if field.data and self.du.data and field.data < self.du.data:
            raise ValidationError(_l("La date de fin doit être après la date de début."))

    def filters(self):
        """The valid filters as query-string values (for links and pagination)."""
        # no title is longer than TITLE_MAX: a longer search finds nothing more, and a very
        # long pattern is too complex for SQLite's LIKE
        values = {"q": (self.q.data or "").strip()[:TITLE_MAX],
                  "categorie": self.categorie.data or ""}
        if self.du.data and not self.du.errors:
            values["du"] = self.du.data.isoformat()
        if self.au.data and not self.au.errors:
            values["au"] = self.au.data.isoformat()
        return {k: v for k, v in values.items() if v}
