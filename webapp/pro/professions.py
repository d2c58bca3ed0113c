"""Professions and specialties of health professionals, as structured codes.

Codes are stable (stored, compared); labels are translated. The RPPS profession code is
kept beside each profession for the directory look-ups of the national service.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Profession(StrEnum):
    """A health profession (RPPS code in PROFESSIONS)."""

    MEDECIN = "medecin"
    PHARMACIEN = "pharmacien"
    CHIRURGIEN_DENTISTE = "chirurgien_dentiste"
    SAGE_FEMME = "sage_femme"
    INFIRMIER = "infirmier"
    MASSEUR_KINESITHERAPEUTE = "masseur_kinesitherapeute"
    BIOLOGISTE = "biologiste"


class Specialty(StrEnum):
    """A specialty, where the profession has them."""

    NONE = ""
    MEDECINE_GENERALE = "medecine_generale"
    MEDECINE_URGENCE = "medecine_urgence"
    PEDIATRIE = "pediatrie"
    CARDIOLOGIE = "cardiologie"
    RADIOLOGIE = "radiologie"
    GYNECOLOGIE = "gynecologie"
    PSYCHIATRIE = "psychiatrie"


# profession -> (RPPS profession code, label)
PROFESSIONS = {
    Profession.MEDECIN: ("10", _l("Médecin")),
    Profession.PHARMACIEN: ("21", _l("Pharmacien")),
    Profession.CHIRURGIEN_DENTISTE: ("40", _l("Chirurgien-dentiste")),
    Profession.SAGE_FEMME: ("50", _l("Sage-femme")),
    Profession.INFIRMIER: ("60", _l("Infirmier")),
    Profession.MASSEUR_KINESITHERAPEUTE: ("70", _l("Masseur-kinésithérapeute")),
    Profession.BIOLOGISTE: ("", _l("Biologiste médical")),
}
SPECIALTIES = {
    Specialty.MEDECINE_GENERALE: _l("Médecine générale"),
    Specialty.MEDECINE_URGENCE: _l("Médecine d'urgence"),
    Specialty.PEDIATRIE: _l("Pédiatrie"),
    Specialty.CARDIOLOGIE: _l("Cardiologie"),
    Specialty.RADIOLOGIE: _l("Radiologie"),
    Specialty.GYNECOLOGIE: _l("Gynécologie"),
    Specialty.PSYCHIATRIE: _l("Psychiatrie"),
}
# Which specialties a profession may have.
SPECIALTIES_OF = {
    Profession.MEDECIN: tuple(SPECIALTIES),
}
# Specialties whose holders work for the emergency medical services (SAMU – Centre 15):
# their emergency access is of the "ems" kind, the others' is "break the glass".
EMS_SPECIALTIES = frozenset({Specialty.MEDECINE_URGENCE})


def label(profession, specialty=""):
    """The profession as shown, with its specialty: "Médecin (Médecine générale)"."""
    try:
        name = str(PROFESSIONS[Profession(profession)][1])
    except ValueError:
        return ""
    if specialty and specialty in SPECIALTIES:
        return f"{name} ({SPECIALTIES[Specialty(specialty)]})"
    return name


def emergency_kind(profession, specialty):
    """'ems' for emergency medical services, else 'break_glass'."""
    return "ems" if profession == Profession.MEDECIN and specialty in EMS_SPECIALTIES \
        else "break_glass"
