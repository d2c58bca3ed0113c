"""AllergyIntolerance and Immunization: entries of the medical profile's "allergies" and
"vaccinations" sections, written through the profile's action (so they show on the
citizen's pages) and read from them (what the citizen typed comes out)."""

import datetime as dt

from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.immunization import Immunization

from webapp.db import utcnow
from webapp.fhir.documents import instant
from webapp.fhir.errors import invalid
from webapp.fhir.search import date_filter
from webapp.models.profile import ProfileEntry
from webapp.record import profile as actions
from webapp.record.profile_forms import TEXT_MAX
from webapp.record.profile_sections import BY_CODE

CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def _text(value, where, required=True):
    text = (value or "").strip()
    if required and not text:
        raise invalid(f"{where}: required")
    if len(text) > TEXT_MAX:
        raise invalid(f"{where}: at most {TEXT_MAX} characters")
    return text


def _concept_text(concept):
    if concept is None:
        return ""
    return concept.text or next((c.display for c in concept.coding or [] if c.display), "")


def _told(text):
    """A CodeableConcept of the text typed; "unknown" (FHIR's data-absent-reason) for a
    text saved blank before blank answers were refused, which FHIR's strings forbid."""
    if (text or "").strip():
        return {"text": text}
    return {"coding": [{"system": ABSENT, "code": "unknown"}]}


def allergy_to_fhir(entry, ref):
    """The AllergyIntolerance of an entry of the allergies section."""
    values = entry.values
    data = {"resourceType": "AllergyIntolerance", "id": f"{ref}-{entry.id}",
            "clinicalStatus": {"coding": [{"system": CLINICAL, "code": "active"}]},
            "code": _told(values.get("substance")),
            "patient": {"reference": f"Patient/{ref}"},
            "recordedDate": instant(entry.created_at)}
    if (values.get("reaction") or "").strip():
        data["reaction"] = [{"manifestation": [{"text": values["reaction"]}]}]
    return AllergyIntolerance.model_validate(data)


def create_allergy(access, resource):
    """Add an allergy to the profile; returns the entry."""
    substance = _text(_concept_text(resource.code), "code.text")
    reactions = [_concept_text(m) for r in resource.reaction or [] for m in r.manifestation]
    reaction = _text(", ".join(r for r in reactions if r), "reaction.manifestation", False)
    return actions.add_entry(access, BY_CODE["allergies"],
                             {"substance": substance, "reaction": reaction}, None)


def immunization_to_fhir(entry, ref):
    """The Immunization of an entry of the vaccinations section."""
    values = entry.values
    day = values.get("date") or entry.sort_date or entry.created_at.date()
    data = {"resourceType": "Immunization", "id": f"{ref}-{entry.id}", "status": "completed",
            "vaccineCode": _told(values.get("vaccine")),
            "patient": {"reference": f"Patient/{ref}"},
            "occurrenceDateTime": day.isoformat()}
    if values.get("batch"):
        data["lotNumber"] = values["batch"]
    if values.get("dose"):
        data["protocolApplied"] = [{"doseNumberString": values["dose"]}]
    if values.get("professional"):
        data["performer"] = [{"actor": {"display": values["professional"]}}]
    return Immunization.model_validate(data)


def create_immunization(access, resource):
    """Add a vaccination to the profile; returns the entry."""
    if resource.status != "completed":
        raise invalid("status: only a vaccination given (completed) is recorded")
    vaccine = _text(_concept_text(resource.vaccineCode), "vaccineCode.text")
    moment = resource.occurrenceDateTime
    if moment is None:
        raise invalid("occurrenceDateTime: the day of the vaccination is required")
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    if day > utcnow().date() + dt.timedelta(days=1):
        raise invalid("occurrenceDateTime: a vaccination cannot be in the future")
    doses = [p.doseNumberString or (str(p.doseNumberPositiveInt)
                                    if p.doseNumberPositiveInt else "")
             for p in resource.protocolApplied or []]
    performers = [p.actor.display or "" for p in resource.performer or []]
    values = {"vaccine": vaccine, "date": day,
              "dose": _text(" ".join(d for d in doses if d), "protocolApplied", False),
              "batch": _text(resource.lotNumber, "lotNumber", False),
              "professional": _text(", ".join(p for p in performers if p), "performer",
                                    False)}
    return actions.add_entry(access, BY_CODE["vaccinations"], values, day)


def search(access, section, args):
    """The entries of a section, latest first (vaccinations by `date`)."""
    query = access.query(ProfileEntry).where(ProfileEntry.section == section)
    condition = date_filter(ProfileEntry.sort_date, args.getlist("date"))
    if condition is not None:
        query = query.where(condition)
    return query.order_by(ProfileEntry.sort_date.desc(), ProfileEntry.id.desc())
