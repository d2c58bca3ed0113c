"""Types of measurement: unit, valid range, decimals; and the BMI computed from them."""

from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class MeasureType:
    """A type of measurement and the values it accepts."""

    code: str
    label: object
    unit: str
    low: float
    high: float
    decimals: int = 0
    children_only: bool = False
    # blood pressure: a second value (diastolic) with its own range
    second_label: object = None
    second_low: float = 0
    second_high: float = 0

    def offered_to(self, space, today=None):
        """Head circumference is for children only."""
        return not self.children_only or space.is_minor(today)

    def format(self, value):
        """A value with the type's precision, locale-formatted, without the unit."""
        return format_decimal(round(value, self.decimals),
                              format="#,##0" + ("." + "0" * self.decimals if self.decimals else ""))


TYPES = [
    MeasureType("poids", _l("Poids"), "kg", 0.5, 400, 1),
    MeasureType("taille", _l("Taille"), "cm", 20, 260),
    MeasureType("tour-de-taille", _l("Tour de taille"), "cm", 30, 250),
    MeasureType("temperature", _l("Température"), "°C", 34, 43, 1),
    MeasureType("tension", _l("Tension artérielle"), "mmHg", 50, 260,
                second_label=_l("Diastolique"), second_low=30, second_high=160),
    MeasureType("frequence-cardiaque", _l("Fréquence cardiaque"), "bpm", 25, 250),
    MeasureType("glycemie", _l("Glycémie"), "g/L", 0.2, 6, 2),
    MeasureType("hba1c", _l("Hémoglobine glyquée (HbA1c)"), "%", 3, 20, 1),
    MeasureType("douleur", _l("Douleur (de 0 à 10)"), "/10", 0, 10),
    MeasureType("pas", _l("Nombre de pas par jour"), _l("pas"), 0, 100000),
    MeasureType("perimetre-cranien", _l("Périmètre crânien"), "cm", 25, 60, 1,
                children_only=True),
]
BY_CODE = {t.code: t for t in TYPES}


def offered(space):
    """Types offered for a space (head circumference only for minors)."""
    return [t for t in TYPES if t.offered_to(space)]


def bmi(weight_kg, height_cm):
    """Body-mass index, one decimal, or None when a value is missing."""
    if not weight_kg or not height_cm:
        return None
    return round(weight_kg / (height_cm / 100) ** 2, 1)
