"""The CapabilityStatement of GET /fhir/metadata: exactly what the views implement."""

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from webapp.fhir.bundles import base_url
from webapp.fhir.kinds import KINDS

SOFTWARE_VERSION = "1"
# resource type -> (interactions, search parameters (name, type, what it matches), operations)
SPECIAL = {
    "Patient": (("read", "search-type"),
                (("identifier", "token", "INS: urn:oid:1.2.250.1.213.1.4.8|<NIR> (NIA .9, "
                  "test .10/.11), or the matricule alone"),
                 ("_id", "token", "the patient's id")),
                ("everything",)),
    "DocumentReference": (("read", "search-type", "create"),
                          (("patient", "reference", "Patient/<id>"),
                           ("subject", "reference", "same as patient"),
                           ("category", "token", "category of the record"),
                           ("type", "token", "LOINC document type"),
                           ("date", "date", "when it was deposited (ge, le, gt, lt, eq)"),
                           ("period", "date", "the document's own date")), ()),
    "Binary": (("read", "create"), (), ()),
}
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
PAGING = (("_count", "number", "page size (at most 100)"),
          ("_offset", "number", "where the page starts"))


def served():
    """{resource type: (interactions, search parameters, operations)} of every route."""
    table = dict(SPECIAL)
    for kind in KINDS.values():
        interactions = ("read", "search-type") + (("create",) if kind.create else ()) + (
            ("update",) if kind.update else ())
        table[kind.name] = (interactions, kind.params, ())
    return table


def statement():
    """The CapabilityStatement of this server."""
    resources = []
    for kind, (interactions, params, operations) in served().items():
        entry = {"type": kind, "interaction": [{"code": i} for i in interactions],
                 "versioning": "no-version", "readHistory": False}
        if "search-type" in interactions:
            entry["searchParam"] = [{"name": n, "type": t, "documentation": d}
                                    for n, t, d in params + PAGING]
        if operations:
            entry["operation"] = [{"name": o, "definition":
                                   f"http://hl7.org/fhir/OperationDefinition/{kind}-{o}"}
                                  for o in operations]
        resources.append(entry)
    base = base_url()
    host = base.removesuffix("/fhir")
    return CapabilityStatement.model_validate({
        "resourceType": "CapabilityStatement", "status": "active", "date": "2026-12-01",
        "kind": "instance", "fhirVersion": "4.0.1", "format": ["json"],
        "software": {"name": "Mon espace santé", "version": SOFTWARE_VERSION},
        "implementation": {"description": "Mon espace santé FHIR API", "url": base},
        "rest": [{
            "mode": "server",
            "security": {
                "extension": [{"url": OAUTH_URIS, "extension": [
                    {"url": name, "valueUri": f"{host}/oauth/{name}"}
                    for name in ("authorize", "token", "revoke")]}],
                "cors": False,
                "service": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "code": "SMART-on-FHIR"}]}],
                "description": "OAuth 2 as SMART App Launch defines it: see "
                               f"{base}/.well-known/smart-configuration"},
            "resource": resources}],
    })
