"""Forms of the messages: a reply (with attachments), a new message, a professional's
new conversation and its closing."""

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField

from webapp.forms import Form, max_length, required
from webapp.models.messages import BODY_MAX, REASON_MAX, SUBJECT_MAX

MAX_FILES = 3
REFUSALS = {
    "empty": _l("Le fichier « %(name)s » est vide."),
    "too_large": _l("Le fichier « %(name)s » dépasse 5 Mo."),
    "type": _l("Le fichier « %(name)s » n'est pas d'un type accepté : PDF, JPEG, PNG, TIFF, "
               "RTF ou texte."),
}


class ReplyForm(Form):
    body = TextAreaField(_l("Votre message"), validators=[
        required(_l("Écrivez votre message.")),
        max_length(BODY_MAX, _l("Le message doit faire 5 000 caractères au plus."))])
    files = MultipleFileField(_l("Pièces jointes"))


class NewForm(Form):
    professional = SelectField(_l("Professionnel de santé"), coerce=int, validate_choice=False)
    subject = StringField(_l("Objet"), validators=[
        required(_l("Saisissez l'objet du message.")),
        max_length(SUBJECT_MAX, _l("L'objet doit faire 120 caractères au plus."))])
    body = ReplyForm.body
    files = ReplyForm.files


class StartForm(Form):
    subject = StringField(_l("Objet"), validators=[
        required(_l("Saisissez l'objet du message.")),
        max_length(SUBJECT_MAX, _l("L'objet doit faire 120 caractères au plus."))])
    body = TextAreaField(_l("Message"), validators=[
        required(_l("Écrivez votre message.")),
        max_length(BODY_MAX, _l("Le message doit faire 5 000 caractères au plus."))])
    files = ReplyForm.files


class CloseForm(Form):
    reason = TextAreaField(_l("Motif de la clôture"), validators=[
        required(_l("Indiquez pourquoi vous closez la conversation : le patient le lira.")),
        max_length(REASON_MAX, _l("Le motif doit faire 500 caractères au plus."))])
