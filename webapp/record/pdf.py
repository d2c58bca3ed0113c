"""The health summary as a PDF, generated on the server with fpdf2."""

from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _pdf():
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    if FONT.exists():
        pdf.add_font("body", "", str(FONT))
        pdf.add_font("body", "B", str(FONT_BOLD if FONT_BOLD.exists() else FONT))
        return pdf, "body", lambda text: text
    # Core fonts only know Latin-1: replace what they cannot print.
    table = str.maketrans({"−": "-", "’": "'", "«": '"', "»": '"', "\u202f": " ",
                           "…": "...", "•": "-"})
    return pdf, "helvetica", lambda text: text.translate(table).encode(
        "latin-1", "replace").decode("latin-1")


def summary_pdf(space_name, birth_date_text, generated_text, blocks):
    """The PDF bytes of a summary (blocks as built by webapp.record.summary.build)."""
    pdf, font, clean = _pdf()
    pdf.set_title(clean(_("Synthèse de santé de %(name)s", name=space_name)))
    pdf.set_lang("fr")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(font, "B", 16)
    pdf.multi_cell(width, 9, clean(_("Synthèse de santé de %(name)s", name=space_name)),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 10)
    pdf.multi_cell(width, 6, clean(birth_date_text), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width, 6, clean(generated_text), new_x="LMARGIN", new_y="NEXT")
    for title, items, empty in blocks:
        pdf.ln(4)
        pdf.set_font(font, "B", 13)
        pdf.multi_cell(width, 8, clean(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font, "", 10)
        if not items:
            pdf.multi_cell(width, 6, clean(empty), new_x="LMARGIN", new_y="NEXT")
        for heading, rows in items:
            pdf.set_font(font, "B", 10)
            pdf.multi_cell(width, 6, clean("• " + heading), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(font, "", 10)
            for label, text in rows:
                pdf.set_x(pdf.l_margin + 5)
                line = _("%(label)s : %(text)s", label=label, text=text)
                pdf.multi_cell(width - 5, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
