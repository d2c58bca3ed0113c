"""Types of documents a professional deposits: a short list of LOINC codes, each with its
usual category of the record."""

from flask_babel import lazy_gettext as _l

# LOINC code -> (label, the category it usually goes in)
TYPES = {
    "11488-4": (_l("Compte rendu de consultation"), "CPT_REND"),
    "57833-6": (_l("Ordonnance de médicaments"), "ORD_SOIN"),
    "11502-2": (_l("Compte rendu d'examens de biologie"), "BIOLOGIE"),
    "18748-4": (_l("Compte rendu d'imagerie"), "RADIO_SC"),
    "18842-5": (_l("Lettre de liaison de sortie d'hospitalisation"), "CPT_REND"),
    "60591-5": (_l("Synthèse médicale"), "SYNTHESE"),
    "11369-6": (_l("Vaccinations"), "DEPISTAG"),
}
# What a professional may deposit: a PDF or an image.
DEPOSIT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/tiff"})
DEPOSIT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.heic,.heif"  # HEIC: converted to JPEG


def label(code):
    """The translated label of a LOINC code ('' when none)."""
    return TYPES[code][0] if code in TYPES else code


def choices():
    """(code, "label (code)") pairs for forms."""
    return [(code, f"{name} ({code})") for code, (name, _category) in TYPES.items()]
