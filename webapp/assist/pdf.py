"""Printable attestations as A4 PDF files (fpdf2, DejaVu Sans when installed)."""

import os

from fpdf import FPDF

PDF_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PDF_FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def attestation_document(title, rows, footer):
    """An A4 PDF with a title, label/value rows and a footer line."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    family = "helvetica"
    if os.path.exists(PDF_FONT):
        pdf.add_font("dejavu", "", PDF_FONT)
        pdf.add_font("dejavu", "B", PDF_FONT_BOLD if os.path.exists(PDF_FONT_BOLD) else PDF_FONT)
        family = "dejavu"

    def text(value):
        return value if family == "dejavu" else value.encode("latin-1", "replace").decode(
            "latin-1")

    pdf.set_title(text(title))
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 10, text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in rows:
        pdf.set_font(family, "B", 11)
        pdf.multi_cell(0, 6, text(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 11)
        pdf.multi_cell(0, 6, text(str(value)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(6)
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, text(footer), new_x="LMARGIN", new_y="NEXT")
    return pdf
