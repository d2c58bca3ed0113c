"""The journeys docs/api.md tells, on the demo data: the demo software finds Camille by
her (test) INS and deposits a PDF; Carnet Tension reads her weights."""

import base64

from tests.fhir_support import bearer, post
from tests.helpers import PDF
from webapp.models.documents import Document
from webapp.models.measurements import Measurement
from webapp.smart import clients


def test_the_documented_deposit_by_ins_works_on_the_demo(client, demo):
    software = clients.find("demo-cabinet")
    headers = bearer(demo.users["bernard"], None, software.scopes, client=software)
    found = client.get("/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.10|284057505612387",
                       headers=headers).get_json()
    assert found["total"] == 1
    patient = found["entry"][0]["resource"]["id"]
    assert patient == demo.spaces["camille"].ref
    response = post(client, "/fhir/DocumentReference", {
        "resourceType": "DocumentReference", "status": "current",
        "subject": {"reference": f"Patient/{patient}"},
        "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},
        "description": "Compte rendu de consultation (API)",
        "context": {"period": {"start": "2026-03-02"}},
        "content": [{"attachment": {"contentType": "application/pdf", "title": "cr.pdf",
                                    "data": base64.b64encode(PDF).decode()}}]}, headers)
    assert response.status_code == 201, response.text
    assert Document.get(Document.title == "Compte rendu de consultation (API)").category == \
        "CPT_REND"


def test_the_documented_weight_reading_works_on_the_demo(client, demo):
    app_client = clients.find("demo-carnet-tension")
    space = demo.spaces["camille"]
    headers = bearer(demo.users["camille"], space, app_client.scopes, client=app_client)
    weights = client.get("/fhir/Observation", query_string={
        "patient": space.ref, "code": "http://loinc.org|29463-7", "_count": 50},
        headers=headers).get_json()
    stored = Measurement.select().where((Measurement.space == space)
                                        & (Measurement.kind == "poids")).count()
    assert weights["total"] == stored > 0
    assert {e["resource"]["valueQuantity"]["unit"] for e in weights["entry"]} == {"kg"}
