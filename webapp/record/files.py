"""What a person is told about a file, in their language: refusals, types and sizes."""

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

REFUSALS = {
    "empty": _l("Le fichier choisi est vide. Choisissez un autre fichier."),
    "too_large": _l("Le fichier doit faire 5 Mo au maximum. Choisissez un fichier plus léger."),
    "type": _l("Le fichier doit être un PDF, une image JPEG, PNG, TIFF ou HEIC, un texte TXT "
               "ou RTF. Son contenu ne correspond à aucun de ces formats."),
}
TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "text/plain": "TXT",
    "application/rtf": "RTF",
}
# HEIC/HEIF: phones' photos, converted to JPEG when received (webapp.record.photos)
ACCEPT = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.heic,.heif,.txt,.rtf"


def refusal(reason):
    """The message for a storage refusal reason ('empty', 'too_large', 'type')."""
    return REFUSALS[reason]


def type_name(mime):
    """A short, familiar name for a MIME type (PDF, JPEG…)."""
    return TYPE_NAMES.get(mime, mime)


def human_size(size):
    """A size in kB or MB, locale-formatted."""
    if size < 1024 * 1024:
        return _("%(n)s ko", n=format_decimal(max(1, round(size / 1024))))
    return _("%(n)s Mo", n=format_decimal(round(size / (1024 * 1024), 1)))
