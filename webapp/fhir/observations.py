"""Observation: the measurements of the record (webapp.record.measures) as vital signs
with their LOINC codes and UCUM units; an app's Observation is recorded through the
measurements' action, so it shows on the citizen's pages."""

import datetime as dt

from fhir.resources.R4B.observation import Observation
from flask_babel import to_user_timezone

from webapp.db import utcnow
from webapp.fhir.errors import invalid
from webapp.fhir.search import date_filter, token
from webapp.models.measurements import Measurement, chronological
from webapp.record import measurements as actions
from webapp.record import measures

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
BLOOD_PRESSURE, SYSTOLIC, DIASTOLIC = "85354-9", "8480-6", "8462-4"
# LOINC code -> (kind of the record, UCUM unit)
CODES = {
    "29463-7": ("poids", "kg"),
    "8302-2": ("taille", "cm"),
    "8280-0": ("tour-de-taille", "cm"),
    "8310-5": ("temperature", "Cel"),
    BLOOD_PRESSURE: ("tension", "mm[Hg]"),
    "8867-4": ("frequence-cardiaque", "/min"),
    "2339-0": ("glycemie", "g/L"),
    "4548-4": ("hba1c", "%"),
    "72514-3": ("douleur", "{score}"),
    "55423-8": ("pas", "{steps}/d"),
    "9843-4": ("perimetre-cranien", "cm"),
}
LOINC_OF = {kind: code for code, (kind, _unit) in CODES.items()}
VITAL_SIGNS = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                     "observation-category", "code": "vital-signs"}]}


def _quantity(value, unit):
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def to_fhir(row, ref):
    """The Observation of a measurement of the space with this reference."""
    code = LOINC_OF.get(row.kind)
    kind = measures.BY_CODE.get(row.kind)
    unit = CODES[code][1] if code else ""
    data = {
        "resourceType": "Observation", "id": f"{ref}-{row.id}", "status": "final",
        "category": [VITAL_SIGNS],
        "code": {"coding": [{"system": LOINC, "code": code, "display": str(kind.label)}]
                 if code else [], "text": str(kind.label) if kind else row.kind},
        "subject": {"reference": f"Patient/{ref}"},
        # the moment when its time is known (UTC, as FHIR wants a zone with a time)
        "effectiveDateTime": row.measured_at.replace(tzinfo=dt.UTC).isoformat()
        if row.measured_at else row.measured_on.isoformat(),
    }
    if row.kind == "tension":
        data["component"] = [
            {"code": {"coding": [{"system": LOINC, "code": SYSTOLIC}]},
             "valueQuantity": _quantity(row.value, unit)},
            {"code": {"coding": [{"system": LOINC, "code": DIASTOLIC}]},
             "valueQuantity": _quantity(row.value2, unit)}]
    else:
        data["valueQuantity"] = _quantity(row.value, unit)
    return Observation.model_validate(data)


def _loinc(concept):
    codes = [c.code for c in (concept.coding if concept else None) or []
             if c.system == LOINC and c.code in CODES]
    return codes[0] if codes else None


def _value(quantity, unit, where):
    if quantity is None or quantity.value is None:
        raise invalid(f"{where}: a valueQuantity is required")
    given = quantity.code or quantity.unit
    if given != unit:
        raise invalid(f"{where}: the unit must be UCUM {unit!r}, not {given!r}")
    return float(quantity.value)


def _when(resource):
    """The day and, for a moment with its zone, the time (both in Paris)."""
    moment = resource.effectiveDateTime
    if moment is None:
        return utcnow().date(), None
    time = None
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        moment = to_user_timezone(moment)
        time = moment.time().replace(tzinfo=None)
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    if day > utcnow().date() + dt.timedelta(days=1):
        raise invalid("effectiveDateTime: a measurement cannot be in the future")
    return day, time


def create(access, resource):
    """Record the measurement an Observation carries; returns the row."""
    code = _loinc(resource.code)
    if code is None:
        raise invalid("code: a LOINC code among " + ", ".join(CODES))
    kind = measures.BY_CODE[CODES[code][0]]
    unit = CODES[code][1]
    if not kind.offered_to(access.space):
        raise invalid("code: head circumference is recorded for children only")
    second = None
    if code == BLOOD_PRESSURE:
        parts = {c.code: comp for comp in resource.component or []
                 for c in comp.code.coding or [] if c.system == LOINC}
        if SYSTOLIC not in parts or DIASTOLIC not in parts:
            raise invalid("component: blood pressure needs 8480-6 (systolic) and 8462-4")
        value = _value(parts[SYSTOLIC].valueQuantity, unit, "component[8480-6]")
        second = _value(parts[DIASTOLIC].valueQuantity, unit, "component[8462-4]")
        if not kind.second_low <= second <= kind.second_high:
            raise invalid(f"component[8462-4]: between {kind.second_low} and "
                          f"{kind.second_high} {unit}")
    else:
        value = _value(resource.valueQuantity, unit, "valueQuantity")
    if not kind.low <= value <= kind.high:
        raise invalid(f"value: between {kind.low:g} and {kind.high:g} {unit}")
    return actions.add_measurement(access, kind, value, second, *_when(resource))


def search(access, args):
    """The measurements matching code and date, the latest first."""
    query = access.query(Measurement)
    for value in args.getlist("code"):
        kinds = []
        for part in value.split(","):
            system, code = token(part)
            if system in (None, LOINC) and code in CODES:
                kinds.append(CODES[code][0])
        query = query.where(Measurement.kind.in_(kinds))
    for value in args.getlist("category"):
        if token(value)[1] != "vital-signs":
            query = query.where(False)
    condition = date_filter(Measurement.measured_on, args.getlist("date"))
    if condition is not None:
        query = query.where(condition)
    return query.order_by(*chronological(latest_first=True))
