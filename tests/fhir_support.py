"""Helpers of the FHIR tests: a registered client, a bearer token from the authorisation
server's own `issue_access_token`, and calls with it."""

import base64
import json
import os

from webapp.models.smart import SmartClient
from webapp.smart.resource import issue_access_token

FHIR_JSON = "application/fhir+json"


def make_client(kind="software", name="Logiciel Cabinet Test"):
    """A registered OAuth client: a professional's software or a catalogue app."""
    return SmartClient.create(client_id=f"{kind}-{os.urandom(4).hex()}", kind=kind,
                              software_name=name)


def bearer(user, space=None, scopes="", client=None, lifetime=None):
    """Authorization headers with a fresh access token."""
    client = client or make_client("app" if space is not None else "software",
                                   "Appli Test" if space is not None else
                                   "Logiciel Cabinet Test")
    token = issue_access_token(client, user, space, scopes.split(), lifetime)
    return {"Authorization": f"Bearer {token}"}


def post(client, path, resource, headers):
    """POST a resource (dict) as FHIR JSON."""
    return client.post(path, data=json.dumps(resource), headers=headers,
                       content_type=FHIR_JSON)


def document_resource(ref, content, category="CPT_REND", loinc="11488-4",
                      title="Compte rendu de consultation", day="2026-03-02",
                      content_type="application/pdf"):
    """A DocumentReference to create, the file inline."""
    resource = {
        "resourceType": "DocumentReference", "status": "current",
        "subject": {"reference": f"Patient/{ref}"},
        "description": title,
        "content": [{"attachment": {"contentType": content_type, "title": "cr.pdf",
                                    "data": base64.b64encode(content).decode()}}],
        "context": {"period": {"start": day}},
    }
    if category:
        resource["category"] = [{"coding": [{
            "system": "urn:mon-espace-sante:fhir:document-category", "code": category}]}]
    if loinc:
        resource["type"] = {"coding": [{"system": "http://loinc.org", "code": loinc}]}
    return resource


def weight(ref, kg, day="2026-03-01"):
    """An Observation of body weight."""
    return {"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "subject": {"reference": f"Patient/{ref}"}, "effectiveDateTime": day,
            "valueQuantity": {"value": kg, "unit": "kg", "system": "http://unitsofmeasure.org",
                              "code": "kg"}}
