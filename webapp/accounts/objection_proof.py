"""The proof of an objection: its sentences, shown on the page and printed as a PDF."""

from flask_babel import format_datetime
from flask_babel import gettext as _
from fpdf import FPDF


def lines(proof):
    """The sentences of the proof, shared by the page and the PDF."""
    return [
        _("Nom : %(name)s", name=proof.holder_name),
        _("Référence : %(ref)s", ref=proof.reference),
        _("Date de l'opposition : %(date)s", date=format_datetime(proof.objected_at, "long")),
        _("Cette personne s'est opposée à la création de son espace Mon espace santé. "
          "L'espace n'a jamais été ouvert et ses données ont été supprimées."),
        _("Conservez cette attestation : elle prouve votre opposition."),
    ]


def pdf(proof):
    """The proof as the bytes of a one-page PDF."""
    document = FPDF(format="A4")
    document.set_title(_latin(_("Attestation d'opposition")))
    document.add_page()
    document.set_font("helvetica", "B", 16)
    document.multi_cell(0, 10, _latin(_("Mon espace santé – Attestation d'opposition")))
    document.ln(4)
    document.set_font("helvetica", size=12)
    for line in lines(proof):
        document.multi_cell(0, 8, _latin(line))
        document.ln(1)
    return bytes(document.output())


def _latin(text):
    """The PDF core fonts know Latin-1 only: typographic signs become plain ones."""
    text = text.replace("–", "-").replace("’", "'").replace("\u202f", " ").replace("\xa0", " ")
    return text.encode("latin-1", "replace").decode("latin-1")
