"""The resource types served alike (search, read, and for some create): for each, the
model of its rows, the record's scopes that reading and writing need, and the functions
that map, search, create and update. The views register one route per interaction from this
table, and the CapabilityStatement is written from it too."""

from dataclasses import dataclass

from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.communication import Communication
from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.observation import Observation

from webapp.fhir import agenda, history, messages, observations, profile
from webapp.models.agenda import Appointment
from webapp.models.audit import AccessLog
from webapp.models.measurements import Measurement
from webapp.models.messages import Attachment, Message
from webapp.models.profile import ProfileEntry
from webapp.scopes import Scope


@dataclass(frozen=True)
class Kind:
    """One resource type mapped onto rows of a space."""

    name: str
    row_model: type
    read_scope: object  # a Scope, or a tuple of them: the first the grant allows
    to_fhir: object  # (row, ref, access) -> resource
    search: object  # (access, args) -> query
    params: tuple  # (name, type, documentation) of its search parameters
    model: type = None  # the fhir.resources model a create reads
    write_scope: Scope = None
    create: object = None  # (access, resource) -> row
    update: object = None  # (access, row, resource) -> row, with write_scope


def _message(row, ref, access):
    files = access.query(Attachment).where(Attachment.message == row.id)
    return messages.to_fhir(row, ref, list(files))


PATIENT = (("patient", "reference", "Patient/<id>"), ("subject", "reference", "same"))
DATE = ("date", "date", "ge, le, gt, lt, eq")
KINDS = {k.name: k for k in (
    Kind("Observation", Measurement, Scope.PROFILE_READ,
         lambda row, ref, _a: observations.to_fhir(row, ref), observations.search,
         PATIENT + (("code", "token", "LOINC code (29463-7 body weight…)"),
                    ("category", "token", "vital-signs"), ("date", "date", "the day measured")),
         Observation, Scope.PROFILE_WRITE, observations.create),
    Kind("AllergyIntolerance", ProfileEntry, Scope.PROFILE_READ,
         lambda row, ref, _a: profile.allergy_to_fhir(row, ref),
         lambda access, args: profile.search(access, "allergies", args), PATIENT,
         AllergyIntolerance, Scope.PROFILE_WRITE, profile.create_allergy),
    Kind("Immunization", ProfileEntry, Scope.PROFILE_READ,
         lambda row, ref, _a: profile.immunization_to_fhir(row, ref),
         lambda access, args: profile.search(access, "vaccinations", args), PATIENT + (DATE,),
         Immunization, Scope.PROFILE_WRITE, profile.create_immunization),
    Kind("Appointment", Appointment, (Scope.AGENDA_READ, Scope.AGENDA_WRITE),  # a pro: theirs
         lambda row, ref, _a: agenda.to_fhir(row, ref), agenda.search,
         PATIENT + (DATE, ("status", "token", "proposed, booked, cancelled")),
         FhirAppointment, Scope.AGENDA_WRITE, agenda.create, agenda.cancel),
    Kind("Communication", Message, Scope.MESSAGES_READ, _message, messages.search, PATIENT,
         Communication, Scope.MESSAGES_REPLY, messages.create),
    Kind("AuditEvent", AccessLog, Scope.PRIVACY,
         lambda row, ref, _a: history.to_fhir(row, ref), history.search, PATIENT + (DATE,)),
)}
