"""The FHIR API for a citizen's app: every error is an OperationOutcome (a bad body 400,
a missing patient 404, an oversized file 413, a server error 500, an odd address)."""

import json

import pytest

from tests.fhir_api_support import (
    SCOPES,
    _issue,
    citizen_fixture,  # noqa: F401 (the fixture "citizen")
    client_space,
)
from tests.fhir_support import FHIR_JSON, bearer, document_resource, post, weight
from tests.helpers import PDF
from webapp.models.documents import Document
from webapp.models.measurements import Measurement


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
