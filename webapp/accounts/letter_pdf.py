"""The printed letters: one A4 page per person, in plain French, with the address in the
envelope's window, the activation code and, while it runs, the objection deadline."""

import os

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from webapp.accounts import lifecycle
from webapp.assist.pdf import PDF_FONT, PDF_FONT_BOLD
from webapp.db import utcnow

SUBJECTS = {
    "activation": _l("Votre espace santé est créé : voici votre code d'activation"),
    "new_code": _l("Votre nouveau code d'activation"),
    "adult": _l("Vous avez 18 ans : votre espace santé est à vous"),
}


def _url(endpoint):
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + current_app.url_map.bind("localhost").build(endpoint)


def _intro(kind):
    if kind == "new_code":
        return [_("Vous avez demandé un nouveau code d'activation pour votre espace santé. "
                  "Le code précédent ne fonctionne plus.")]
    if kind == "adult":
        return [_("Jusqu'à vos 18 ans, votre espace santé était géré par vos représentants "
                  "légaux. Leurs droits ont pris fin à votre anniversaire : c'est maintenant "
                  "vous qui l'utilisez, et vous qui décidez qui peut le consulter.")]
    return [_("Mon espace santé est votre espace personnel et sécurisé pour conserver vos "
              "documents de santé, suivre vos rendez-vous et échanger avec les professionnels "
              "qui vous soignent. Il a été créé pour vous, gratuitement.")]


def letter_text(letter, now=None):
    """The letter as (subject, paragraphs before the code, paragraphs after it), in French."""
    now = now or utcnow()
    space = letter.space
    with force_locale("fr"):
        subject = str(SUBJECTS[letter.kind])
        before = _intro(letter.kind) + [_(
            "Pour activer votre espace, allez sur %(url)s et saisissez votre numéro de "
            "sécurité sociale, votre date de naissance et ce code :",
            url=_url("activation.start"))]
        after = [_("Ce code est personnel et ne fonctionne qu'une fois. Il est valable "
                   "jusqu'au %(date)s.", date=format_date(space.activation_expires_at, "long"))]
        if lifecycle.can_object(space, now):
            after.append(_(
                "Vous ne souhaitez pas de cet espace ? Vous pouvez vous y opposer jusqu'au "
                "%(date)s sur %(url)s, avec ce même code. Sans opposition de votre part, il "
                "sera ouvert après cette date : les professionnels qui vous soignent pourront "
                "y déposer vos documents.",
                date=format_date(lifecycle.objection_deadline(space), "long"),
                url=_url("activation.objection")))
        after.append(_("Besoin d'aide ? Appelez le 3422 (service gratuit + prix d'un appel), "
                       "ou rendez-vous dans un espace France Services près de chez vous."))
        dated = _("Le %(date)s", date=format_date(now, "long"))
    return subject, before, after, dated


class _Letters:
    """An A4 document of letters, in DejaVu Sans when installed."""

    def __init__(self):
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(20, 15, 20)
        self.family = "helvetica"
        self.lines = {}
        if os.path.exists(PDF_FONT):
            self.pdf.add_font("dejavu", "", PDF_FONT)
            self.pdf.add_font("dejavu", "B", PDF_FONT_BOLD if os.path.exists(PDF_FONT_BOLD)
                              else PDF_FONT)
            self.family = "dejavu"

    def text(self, value):
        if self.family == "dejavu":
            return value
        return value.replace("\u202f", " ").encode("latin-1", "replace").decode("latin-1")

    def write(self, value, size=11, style="", height=5.5, x=None, width=0):
        """A paragraph; its line breaks are computed once per text, size and width, since
        most paragraphs are the same on every letter of a batch (fpdf2's are slow)."""
        pdf = self.pdf
        pdf.set_font(self.family, style, size)
        key = (value, size, style, x, width)
        if key not in self.lines:
            pdf.set_x(x if x is not None else pdf.l_margin)
            self.lines[key] = pdf.multi_cell(width, height, self.text(value), dry_run=True,
                                             output="LINES")
        for line in self.lines[key]:
            pdf.set_x(x if x is not None else pdf.l_margin)
            pdf.cell(width, height, line, new_x="LMARGIN", new_y="NEXT")

    def page(self, letter, code, now):
        pdf = self.pdf
        subject, before, after, dated = letter_text(letter, now)
        pdf.add_page()
        self.write("Mon espace santé", size=14, style="B")
        self.write("Assurance Maladie", size=10)
        pdf.set_y(45)
        for line in letter.space.address.lines(letter.space.display_name):
            self.write(line, x=110, width=85)
        pdf.set_y(95)
        self.write(dated, x=110, width=85)
        pdf.ln(6)
        self.write(subject, size=12, style="B")
        pdf.ln(4)
        self.write(_greeting())
        for paragraph in before:
            pdf.ln(2)
            self.write(paragraph)
        pdf.ln(4)
        self.write(code, size=22, style="B", height=12)
        for paragraph in after:
            pdf.ln(3)
            self.write(paragraph)

    def output(self):
        return bytes(self.pdf.output())


def _greeting():
    with force_locale("fr"):
        return _("Madame, Monsieur,")


def render(issued, now=None):
    """One PDF for a batch: one page per (letter, code)."""
    now = now or utcnow()
    document = _Letters()
    document.pdf.set_title("Mon espace santé – codes d'activation")
    for letter, code in issued:
        document.page(letter, code, now)
    return document.output()
