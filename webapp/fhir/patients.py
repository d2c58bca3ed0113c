"""Patient: a space as FHIR sees it, with the French rules fhir.resources does not know.

- The id is the space's opaque reference (never the NIR, never the row id).
- The INS matricule is an identifier whose system is the OID of its kind: NIR
  1.2.250.1.213.1.4.8, NIA .9, test NIR .10, test NIA .11 (webapp.pro.ins).
- FR Core: the INS may be conveyed only for a qualified identity, and a qualified
  identity carries it; the identity's status goes in FR Core's identity-reliability
  extension (PROV, RECUP, VALI, QUAL).
"""

from fhir.resources.R4B.patient import Patient

from webapp.pro import ins

OID_PREFIX = "urn:oid:"
INS_SYSTEMS = {OID_PREFIX + oid: oid for oid in ins.KIND_OF_OID}
RELIABILITY_URL = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability"
IDENTIFIER_TYPES = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
STATUS_CODES = {ins.Status.PROVISIONAL: "PROV", ins.Status.RETRIEVED: "RECUP",
                ins.Status.VALIDATED: "VALI", ins.Status.QUALIFIED: "QUAL"}
GENDER = {"F": "female", "M": "male"}


def ins_identifier(space):
    """The INS identifier of a space (system = the OID of its matricule's kind)."""
    oid = space.ins_oid or ins.NIR_OID
    kind = ins.kind_of(oid) + ("-TEST" if ins.is_test(oid) else "")
    return {"use": "official", "system": OID_PREFIX + oid, "value": space.nir,
            "type": {"coding": [{"system": IDENTIFIER_TYPES, "code": "INS-" + kind}]}}


def carries_ins(space):
    """FR Core: only a qualified identity conveys its INS (and then always does)."""
    return ins.is_qualified(space)


def to_fhir(space):
    """The Patient resource of a space."""
    first, names = ins.first_names_of(space)
    status = STATUS_CODES.get(space.identity_status, "PROV")
    data = {
        "resourceType": "Patient", "id": space.ref,
        "meta": {"profile": ["https://hl7.fr/ig/fhir/core/StructureDefinition/"
                             + ("fr-core-patient-ins" if carries_ins(space)
                                else "fr-core-patient")]},
        "extension": [{"url": RELIABILITY_URL, "extension": [
            {"url": "identityStatus", "valueCoding": {"code": status}}]}],
        "identifier": [ins_identifier(space)] if carries_ins(space) else [],
        "active": space.state in ("created", "active"),
        "name": [{"use": "official", "family": (space.birth_name or space.last_name),
                  "given": names.split() or [first]},
                 {"use": "usual", "family": space.last_name, "given": [space.first_name]}],
        "birthDate": space.birth_date.isoformat(),
    }
    if space.sex in GENDER:
        data["gender"] = GENDER[space.sex]
    if space.birth_place:
        data["extension"].append({
            "url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
            "valueAddress": {"extension": [{
                "url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code",
                "valueCoding": {"system": "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM",
                                "code": space.birth_place}}]}})
    if not data["identifier"]:
        del data["identifier"]
    return Patient.model_validate(data)


def check_fr_core(patient):
    """What breaks FR Core's INS rule in a Patient (a list of diagnostics): a qualified
    identity without an INS identifier, an INS identifier on an identity that is not
    qualified, an INS identifier whose matricule is malformed."""
    status = None
    for ext in patient.extension or []:
        if ext.url == RELIABILITY_URL:
            for sub in ext.extension or []:
                if sub.url == "identityStatus" and sub.valueCoding is not None:
                    status = sub.valueCoding.code
    found = [i for i in patient.identifier or [] if i.system in INS_SYSTEMS]
    problems = []
    if status == "QUAL" and not found:
        problems.append("a qualified identity must carry its INS identifier")
    if found and status != "QUAL":
        problems.append("an INS identifier is conveyed only for a qualified identity")
    for identifier in found:
        if not ins.format_ok(ins.normalize(identifier.value)):
            problems.append(f"{identifier.value!r} is not an INS matricule")
    return problems


def parse_identifier(value):
    """(OID or None, matricule) of a search value `system|value` or `value`; None when
    the system is not an INS OID."""
    system, bar, matricule = (value or "").rpartition("|")
    if not bar:
        return None, ins.normalize(value)
    if system not in INS_SYSTEMS:
        return "", ""
    return INS_SYSTEMS[system], ins.normalize(matricule)
