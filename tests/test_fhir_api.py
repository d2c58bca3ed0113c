"""The FHIR API for a citizen's app (patient/ scopes): what it writes shows on the
citizen's pages and in their history under the app's name, what the citizen wrote comes
out, round trips are equal, searches are paged, and every error is an OperationOutcome."""

import base64
import datetime as dt
import json

import pytest

from tests.fhir_support import FHIR_JSON, bearer, document_resource, make_client, post, weight
from tests.helpers import PDF, make_document, make_space, make_user, space_path
from webapp.access import Access
from webapp.db import utcnow
from webapp.fhir import everything
from webapp.fhir import patients as fhir_patients
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.measurements import Measurement
from webapp.models.smart import SmartToken
from webapp.smart import clients, consents

SCOPES = ("patient/Patient.rs patient/DocumentReference.crs patient/Binary.r "
          "patient/Observation.crs")


@pytest.fixture
def citizen(db):
    """Camille, her space (a qualified identity) and a token of her app."""
    owner = make_user(first_name="Camille", last_name="Martin")
    space = make_space(owner, identity_status="qualified", sex="F")
    app_client = make_client("app", "Carnet Poids")
    return owner, space, bearer(owner, space, SCOPES, client=app_client), app_client


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


def client_space(db):
    """A citizen and her space."""
    owner = make_user()
    return owner, make_space(owner)


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


def _issue(response):
    body = response.get_json()
    assert response.mimetype == FHIR_JSON and body["resourceType"] == "OperationOutcome"
    return body["issue"][0]


def test_bad_bodies_are_400_operation_outcomes(client, citizen):
    _owner, space, headers, _app = citizen
    cases = {
        b"{not json": "not valid JSON",
        b"[1, 2]": "JSON object",
        json.dumps(weight(space.ref, 70)).encode(): "Expected a DocumentReference",
        json.dumps({"resourceType": "DocumentReference", "status": "current"}).encode():
            "content",
        json.dumps(document_resource(space.ref, PDF, content_type="image/png")).encode():
            "contentType",
        json.dumps(document_resource(space.ref, b"<html><script>x</script>")).encode():
            "PDF or an image",
        json.dumps(document_resource(space.ref, PDF, category="NOPE", loinc="")).encode():
            "category",
    }
    for body, diagnostic in cases.items():
        response = client.post("/fhir/DocumentReference", data=body, headers=headers,
                               content_type=FHIR_JSON)
        assert response.status_code == 400, body
        issue = _issue(response)
        assert issue["code"] == "invalid" and diagnostic in issue["diagnostics"], issue
    assert Document.select().count() == 0
    too_heavy = weight(space.ref, 900)
    assert post(client, "/fhir/Observation", too_heavy, headers).status_code == 400
    in_pounds = weight(space.ref, 150)
    in_pounds["valueQuantity"].update(unit="[lb_av]", code="[lb_av]")
    assert "unit" in _issue(post(client, "/fhir/Observation", in_pounds, headers))[
        "diagnostics"]
    assert Measurement.select().count() == 0


def test_a_missing_patient_is_404(client, citizen):
    _owner, space, headers, _app = citizen
    for path in ("/fhir/Patient/nosuchpatient", "/fhir/DocumentReference?patient=Patient/zz9",
                 "/fhir/DocumentReference/nosuch-12", "/fhir/Observation/nosuch-1",
                 f"/fhir/DocumentReference/{space.ref}-{2 ** 70}",
                 f"/fhir/Binary/{space.ref}-x1", f"/fhir/Observation/{space.ref}-0"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and _issue(response)["code"] == "not-found", path
    response = post(client, "/fhir/DocumentReference", document_resource("zz9", PDF), headers)
    assert response.status_code == 404


def test_an_oversized_file_is_413(client, citizen):
    _owner, space, headers, _app = citizen
    big = PDF + b"0" * (5 * 1024 * 1024)
    response = post(client, "/fhir/DocumentReference", document_resource(space.ref, big),
                    headers)
    assert response.status_code == 413 and _issue(response)["code"] == "too-costly"
    huge = client.post("/fhir/DocumentReference", data=b"x" * (11 * 1024 * 1024),
                       headers=headers, content_type=FHIR_JSON)
    assert huge.status_code == 413 and _issue(huge)["code"] == "too-costly"
    assert Document.select().count() == 0


def test_missing_wrong_expired_and_revoked_tokens_are_401(client, citizen):
    owner, space, headers, app_client = citizen
    path = f"/fhir/Patient/{space.ref}"
    assert client.get(path, headers=headers).status_code == 200
    missing = client.get(path)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == \
        'Bearer realm="fhir"' and _issue(missing)["code"] == "login"
    wrong = client.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401 and 'error="invalid_token"' in \
        wrong.headers["WWW-Authenticate"]
    expired = bearer(owner, space, SCOPES, lifetime=60)
    SmartToken.update(issued_at=utcnow() - dt.timedelta(seconds=61)).where(
        SmartToken.scope.contains("Binary") & (SmartToken.expires_in == 60)).execute()
    assert client.get(path, headers=expired).status_code == 401
    consents.revoke(consents.current(owner, app_client, space))
    revoked = client.get(path, headers=headers)
    assert revoked.status_code == 401 and "WWW-Authenticate" in revoked.headers
    assert AccessLog.select().where(AccessLog.allowed == False).count() == 0  # noqa: E712


def test_a_scope_not_granted_is_403_and_reads_nothing(client, citizen):
    owner, space, _headers, _app = citizen
    reader = bearer(owner, space, "patient/Observation.rs patient/DocumentReference.s")
    refused = post(client, "/fhir/Observation", weight(space.ref, 70), reader)
    assert refused.status_code == 403 and _issue(refused)["code"] == "forbidden"
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    doc = make_document(space)
    assert client.get(f"/fhir/DocumentReference/{space.ref}-{doc.id}",
                      headers=reader).status_code == 403
    assert client.get(f"/fhir/Binary/{space.ref}-{doc.id}", headers=reader).status_code == 403
    assert client.get("/fhir/Patient", headers=reader).status_code == 403
    user_scopes = bearer(owner, space, "user/Observation.crs")  # not the citizen's context
    assert post(client, "/fhir/Observation", weight(space.ref, 70), user_scopes
                ).status_code == 403
    assert Measurement.select().count() == 0


def test_an_app_past_its_rate_is_429(app, client, citizen):
    _owner, space, headers, _app = citizen
    app.config["FHIR_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get(f"/fhir/Patient/{space.ref}", headers=headers).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(f"/fhir/Patient/{space.ref}", headers=headers)
    assert _issue(limited)["code"] == "throttled" and int(limited.headers["Retry-After"]) >= 1


@pytest.mark.parametrize("status", ["suspended", "dereferenced"])
def test_a_suspended_or_dereferenced_app_is_stopped_at_once(client, citizen, status):
    _owner, space, headers, app_client = citizen
    path = f"/fhir/Patient/{space.ref}"
    assert client.get(path, headers=headers).status_code == 200
    clients.set_status(app_client, status)
    stopped = client.get(path, headers=headers)
    assert stopped.status_code == 401 and 'error="invalid_token"' in \
        stopped.headers["WWW-Authenticate"]


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


@pytest.mark.fresh_app
def test_a_server_error_is_still_an_operation_outcome(app, client, db):
    def broken():
        raise RuntimeError("boom")

    broken.permission = "public"
    app.view_functions["fhir.metadata"] = broken
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/fhir/metadata")
    assert response.status_code == 500 and _issue(response)["code"] == "exception"
    assert "boom" not in response.text


def test_an_address_with_a_newline_is_an_operation_outcome_too(client, db):
    headers = bearer(*client_space(db), SCOPES)
    response = client.get("/fhir/DocumentReference/%0A", headers=headers)
    assert response.status_code == 404 and response.mimetype == FHIR_JSON
    assert response.get_json()["resourceType"] == "OperationOutcome"
