"""The FHIR API for a citizen's app (patient/ scopes): the capability statement lists
what is implemented; what the app writes shows on the citizen's pages and in their
history under the app's name, what the citizen wrote comes out, round trips are equal,
searches are paged, and the whole space is one Bundle."""

import base64
import datetime as dt
import json

from tests.fhir_api_support import (
    SCOPES,
    citizen_fixture,  # noqa: F401 (the fixture "citizen")
    client_space,
)
from tests.fhir_support import FHIR_JSON, bearer, document_resource, post, weight
from tests.helpers import PDF, make_document, make_space, make_user, space_path
from webapp.access import Access
from webapp.fhir import everything
from webapp.fhir import patients as fhir_patients
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.measurements import Measurement


def _normalised(resource):
    """A resource without what the server adds (id, meta, displays, dates it stamps)."""
    text = json.dumps(resource, sort_keys=True)
    data = json.loads(text)
    for key in ("id", "meta", "date", "author", "status"):
        data.pop(key, None)
    for concept in data.get("category", []) + ([data["type"]] if "type" in data else []) \
            + ([data["code"]] if "code" in data else []):
        for coding in concept.get("coding", []):
            coding.pop("display", None)
        concept.pop("text", None)
    for content in data.get("content", []):
        attachment = content["attachment"]
        for key in ("url", "size", "creation", "data"):
            attachment.pop(key, None)
    data.pop("category", None) if data.get("resourceType") == "Observation" else None
    return data


INTERACTIONS = {"r": "read", "s": "search-type", "c": "create", "u": "update"}


def test_metadata_lists_exactly_what_is_implemented(app, client, db):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200 and response.mimetype == FHIR_JSON
    statement = response.get_json()
    assert statement["fhirVersion"] == "4.0.1" and statement["kind"] == "instance"
    declared = {(r["type"], i["code"]) for r in statement["rest"][0]["resource"]
                for i in r["interaction"]}
    routed = set()
    for rule in app.url_map.iter_rules():
        permission = getattr(app.view_functions[rule.endpoint], "permission", "")
        if permission.startswith("api:") and "*" not in permission:
            kinds, letter = permission[4:].rsplit(".", 1)
            routed.add((kinds.split("|")[0], INTERACTIONS[letter]))
    assert declared == routed and len(routed) == 25
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert [o["name"] for o in resources["Patient"]["operation"]] == ["everything"]
    headers = bearer(*client_space(db), SCOPES)
    assert client.get("/fhir/Questionnaire", headers=headers).get_json()["issue"][0][
        "code"] == "not-supported"


def test_a_document_round_trip_shows_on_the_pages_and_in_the_history(client, citizen):
    owner, space, headers, _app = citizen
    sent = document_resource(space.ref, PDF, title="Bilan de la semaine")
    response = post(client, "/fhir/DocumentReference", sent, headers)
    assert response.status_code == 201, response.text
    created = response.get_json()
    assert response.headers["Location"].endswith(f"/fhir/DocumentReference/{created['id']}")
    read = client.get(f"/fhir/DocumentReference/{created['id']}", headers=headers).get_json()
    assert _normalised(read) == _normalised(sent) == _normalised(created)
    binary = client.get("/fhir/" + read["content"][0]["attachment"]["url"], headers=headers)
    assert binary.status_code == 200 and binary.data == PDF
    assert Document.get().first_opened_at is None  # still "new" for Camille: an app read it
    as_json = client.get("/fhir/" + read["content"][0]["attachment"]["url"],
                         headers={**headers, "Accept": FHIR_JSON}).get_json()
    assert base64.b64decode(as_json["data"]) == PDF
    client.sign_in(owner.email)
    _, page = client.page(space_path(space, "/documents"))
    assert "Bilan de la semaine" in page.text
    _, history = client.page(space_path(space, "/historique?qui=applications"))
    assert "Carnet Poids" in history.text
    entries = AccessLog.select().where((AccessLog.space == space)
                                       & (AccessLog.app_name == "Carnet Poids"))
    assert entries.count() == 4  # one per request: create, read, file, file as JSON
    assert {e.action for e in entries} == {"documents.add", "documents.read"}


def test_what_the_citizen_added_comes_out_of_the_api(client, citizen):
    _owner, space, headers, _app = citizen
    doc = make_document(space, title="Radio du genou", category="RADIO_SC",
                        day=dt.date(2026, 2, 3))
    bundle = client.get("/fhir/DocumentReference?category=RADIO_SC", headers=headers).get_json()
    assert [e["resource"]["description"] for e in bundle["entry"]] == ["Radio du genou"]
    assert bundle["entry"][0]["resource"]["context"]["period"]["start"] == "2026-02-03"
    assert bundle["entry"][0]["resource"]["id"] == f"{space.ref}-{doc.id}"
    assert client.get("/fhir/DocumentReference?category=BIOLOGIE",
                      headers=headers).get_json()["total"] == 0
    assert client.get("/fhir/DocumentReference?period=ge2026-03-01",
                      headers=headers).get_json()["total"] == 0
    assert client.get("/fhir/DocumentReference?period=2026-02",
                      headers=headers).get_json()["total"] == 1


def test_a_weight_round_trip_shows_on_the_measurements_page(client, citizen):
    owner, space, headers, _app = citizen
    sent = weight(space.ref, 71.4, "2026-03-05")
    response = post(client, "/fhir/Observation", sent, headers)
    assert response.status_code == 201, response.text
    created = response.get_json()
    read = client.get(f"/fhir/Observation/{created['id']}", headers=headers).get_json()
    assert _normalised(read) == _normalised(sent)
    row = Measurement.get(Measurement.space == space)
    assert (row.kind, row.value, row.measured_on) == ("poids", 71.4, dt.date(2026, 3, 5))
    client.sign_in(owner.email)
    _, page = client.page(space_path(space, "/mesures/poids"))
    assert "71,4" in page.text


def test_blood_pressure_carries_both_values(client, citizen):
    _owner, space, headers, _app = citizen
    unit = {"unit": "mm[Hg]", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}
    sent = {"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
            "subject": {"reference": f"Patient/{space.ref}"}, "effectiveDateTime": "2026-03-01",
            "component": [
                {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                 "valueQuantity": {"value": 128, **unit}},
                {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
                 "valueQuantity": {"value": 82, **unit}}]}
    created = post(client, "/fhir/Observation", sent, headers).get_json()
    assert [c["valueQuantity"]["value"] for c in created["component"]] == [128, 82]
    row = Measurement.get(Measurement.space == space)
    assert (row.kind, row.value, row.value2) == ("tension", 128, 82)


def test_weights_the_citizen_entered_are_searched_by_code_and_date(client, citizen):
    _owner, space, headers, _app = citizen
    for day, kg in ((dt.date(2026, 1, 5), 70.0), (dt.date(2026, 2, 5), 69.0)):
        Measurement.create(space=space, kind="poids", value=kg, measured_on=day)
    Measurement.create(space=space, kind="taille", value=170, measured_on=dt.date(2026, 1, 5))
    found = client.get("/fhir/Observation?code=http://loinc.org|29463-7&date=ge2026-02-01",
                       headers=headers).get_json()
    assert [e["resource"]["valueQuantity"]["value"] for e in found["entry"]] == [69.0]
    every = client.get("/fhir/Observation?code=29463-7", headers=headers).get_json()
    assert every["total"] == 2


def test_the_patient_carries_its_ins_only_when_qualified(client, citizen):
    _owner, space, headers, _app = citizen
    patient = client.get(f"/fhir/Patient/{space.ref}", headers=headers).get_json()
    assert patient["identifier"][0]["system"] == "urn:oid:1.2.250.1.213.1.4.8"
    assert patient["identifier"][0]["value"] == space.nir and patient["gender"] == "female"
    model = fhir_patients.Patient.model_validate(patient)
    assert fhir_patients.check_fr_core(model) == []
    space.identity_status = "provisional"
    space.save()
    patient = client.get(f"/fhir/Patient/{space.ref}", headers=headers).get_json()
    assert "identifier" not in patient
    assert fhir_patients.check_fr_core(fhir_patients.Patient.model_validate(patient)) == []
    model.extension[0].extension[0].valueCoding.code = "PROV"  # INS on a provisional one
    assert fhir_patients.check_fr_core(model) == [
        "an INS identifier is conveyed only for a qualified identity"]


def test_a_citizen_app_finds_its_patient_by_ins_and_no_other(client, citizen):
    _owner, space, headers, _app = citizen
    other = make_space(make_user(), nir="280017500000200")
    nir = f"urn:oid:1.2.250.1.213.1.4.8|{space.nir}"
    assert client.get(f"/fhir/Patient?identifier={nir}", headers=headers).get_json()[
        "total"] == 1
    for query in (f"identifier=urn:oid:1.2.250.1.213.1.4.9|{space.nir}",
                  f"identifier={other.nir}", "_id=" + other.ref):
        assert client.get(f"/fhir/Patient?{query}", headers=headers).get_json()["total"] == 0
    for path in (f"/fhir/Patient/{other.ref}", f"/fhir/DocumentReference?patient={other.ref}",
                 f"/fhir/DocumentReference/{other.ref}-{make_document(other).id}"):
        assert client.get(path, headers=headers).status_code == 404


def test_everything_is_one_bundle_of_what_the_token_reads(client, citizen):
    _owner, space, headers, _app = citizen
    make_document(space)
    Measurement.create(space=space, kind="poids", value=70, measured_on=dt.date(2026, 1, 5))
    bundle = client.get(f"/fhir/Patient/{space.ref}/$everything", headers=headers).get_json()
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == [
        "Patient", "DocumentReference", "Observation"]
    only_patient = bearer(_owner, space, "patient/Patient.r")
    bundle = client.get(f"/fhir/Patient/{space.ref}/$everything",
                        headers=only_patient).get_json()
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]


def test_searches_are_paged_with_links(client, citizen):
    _owner, space, headers, _app = citizen
    for n in range(5):
        make_document(space, title=f"Doc {n}", day=dt.date(2026, 1, 1 + n))
    first = client.get("/fhir/DocumentReference?_count=2", headers=headers).get_json()
    assert first["total"] == 5 and len(first["entry"]) == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "previous" not in links and "_offset=2" in links["next"]
    seen = [e["resource"]["description"] for e in first["entry"]]
    url = links["next"]
    while url:
        page = client.get(url.replace("http://localhost", ""), headers=headers).get_json()
        seen += [e["resource"]["description"] for e in page["entry"]]
        url = {k["relation"]: k["url"] for k in page["link"]}.get("next")
    assert seen == [f"Doc {n}" for n in (4, 3, 2, 1, 0)]


def test_the_whole_space_bundle_is_written_outside_a_request_too(app, citizen):
    """What an export would add: the same Bundle, built by the service itself."""
    _owner, space, _headers, _app = citizen
    make_document(space, title="Ordonnance")
    Measurement.create(space=space, kind="poids", value=70, measured_on=dt.date(2026, 1, 5))
    with app.test_request_context("/"):  # as the export is built
        written = json.loads(everything.bundle(Access.system(space, "Export"),
                                               kind="collection").model_dump_json())
    assert written["type"] == "collection" and "total" not in written
    assert [e["resource"]["resourceType"] for e in written["entry"]] == [
        "Patient", "DocumentReference", "Observation"]
    assert written["entry"][0]["fullUrl"].endswith(f"/fhir/Patient/{space.ref}")
