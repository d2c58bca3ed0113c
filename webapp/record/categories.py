"""Document categories: stable codes (as in the national record) and translated labels."""

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "SYNTHESE": _l("Ma santé en résumé"),
    "ORD_SOIN": _l("Ordonnances et soins"),
    "RADIO_SC": _l("Radio, écho, scanner, IRM"),
    "BIOLOGIE": _l("Résultats de biologie"),
    "CPT_REND": _l("Comptes rendus"),
    "DEPISTAG": _l("Prévention et dépistages"),
    "CERT_MED": _l("Certificats médicaux"),
    "DOC_ADM": _l("Pièces administratives"),
    "AUTR_DOC": _l("Autres documents"),
}


def label(code):
    """The translated label of a category code (the code itself when unknown)."""
    return CATEGORIES.get(code, code)


def choices():
    """(code, label) pairs in display order, for forms."""
    return list(CATEGORIES.items())
