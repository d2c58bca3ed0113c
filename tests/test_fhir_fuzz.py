"""Random ids, search parameters and bodies sent to every route of the FHIR API, with a
citizen's app token and a professional's software token: never a server error, every
answer FHIR JSON (property-based, hypothesis)."""

import base64
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fhir_support import FHIR_JSON, bearer, document_resource, weight
from tests.helpers import PDF, make_document, make_space, make_user
from webapp.fhir.kinds import KINDS
from webapp.models.measurements import Measurement
from webapp.models.spaces import CareRelation

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
HOSTILE = ["", "0", "-1", str(2 ** 70), "9223372036854775808", "NaN", "1e309", "9999-12-31",
           "ge9999-12-31", "le0000", "2026-02-31", "x" * 5000, "\x00", "é" * 100, "%00",
           "../..", "Patient/", "Patient/../../x", "urn:oid:1.2.250.1.213.1.4.8|",
           "|", "a|b|c", "http://loinc.org|", "[]", "{}", "🩺" * 20, "eq2026", "sa2026"]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
IDS = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.integers().map(str))
PARAMS = st.lists(st.tuples(st.sampled_from(
    ["patient", "subject", "identifier", "_id", "category", "type", "date", "period",
     "code", "_count", "_offset", "_format", "x"]), TEXT), max_size=5)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(TEXT, inner, max_size=3), max_leaves=12)


def _mutated(resource, draw_key, value):
    """A valid resource with one element replaced by something random."""
    data = json.loads(json.dumps(resource))
    target = data
    path = draw_key.split(".")
    for key in path[:-1]:
        target = target[key] if isinstance(target, dict) else target[0]
        if isinstance(target, list):
            target = target[0]
    target[path[-1]] = value
    return data


DOCUMENT_KEYS = ["resourceType", "status", "subject", "subject.reference", "description",
                 "content", "content.attachment", "content.attachment.data",
                 "content.attachment.contentType", "context.period.start", "category",
                 "type", "date"]
OBSERVATION_KEYS = ["resourceType", "code", "code.coding", "subject.reference",
                    "effectiveDateTime", "valueQuantity", "valueQuantity.value",
                    "valueQuantity.code", "component"]


def _valid(kind, ref):
    """A valid resource of this kind, and the elements a mutation may replace."""
    patient = {"reference": f"Patient/{ref}"}
    others = {
        "AllergyIntolerance": {"resourceType": "AllergyIntolerance", "patient": patient,
                               "code": {"text": "Pollen"},
                               "reaction": [{"manifestation": [{"text": "Rhinite"}]}]},
        "Immunization": {"resourceType": "Immunization", "status": "completed",
                         "patient": patient, "vaccineCode": {"text": "DTP"},
                         "occurrenceDateTime": "2026-01-01", "lotNumber": "X1"},
        "Appointment": {"resourceType": "Appointment", "status": "proposed",
                        "description": "Suivi", "start": "2030-01-01T09:00:00+01:00",
                        "minutesDuration": 20,
                        "participant": [{"actor": patient, "status": "needs-action"}]},
        "Communication": {"resourceType": "Communication", "status": "completed",
                          "subject": patient, "topic": {"text": "Objet"},
                          "payload": [{"contentString": "Bonjour"}]},
    }
    if kind == "Observation":
        return weight(ref, 70), OBSERVATION_KEYS
    if kind in others:
        return others[kind], [k for k in others[kind] if k != "resourceType"] + [
            "resourceType"]
    return document_resource(ref, PDF), DOCUMENT_KEYS


@pytest.fixture
def tokens(db):
    owner = make_user()
    space = make_space(owner, identity_status="qualified")
    doctor = make_user("professional")
    CareRelation.create(professional=doctor, space=space)
    doc = make_document(space)
    row = Measurement.create(space=space, kind="poids", value=70, measured_on="2026-01-01")
    scopes = "Patient.rs DocumentReference.crs Binary.cr " + " ".join(
        f"{kind}.crs" for kind in KINDS)
    return space, doc, row, [
        bearer(owner, space, " ".join("patient/" + s for s in scopes.split())),
        bearer(doctor, None, " ".join("user/" + s for s in scopes.split())),
        {"Authorization": "Bearer " + "x" * 40}]


def _check(response):
    assert response.status_code < 500, response.text[:500]
    if response.status_code != 200 or response.mimetype == FHIR_JSON:
        assert response.mimetype == FHIR_JSON
        json.loads(response.data)


@SETTINGS
@given(data=st.data())
def test_reads_and_searches_never_fail(client, tokens, data):
    space, doc, row, headers = tokens
    ident = data.draw(st.one_of(IDS, st.just(f"{space.ref}-{doc.id}"),
                                IDS.map(lambda i: f"{space.ref}-{i}")))
    path = data.draw(st.sampled_from([
        "Patient", "Patient/{}", "Patient/{}/$everything", "DocumentReference",
        "DocumentReference/{}", "Binary/{}", "{}", "metadata"] + [
        p for kind in KINDS for p in (kind, kind + "/{}")])).format(quote(ident, safe="-"))
    params = data.draw(PARAMS)
    if data.draw(st.booleans()):
        params.append(("patient", space.ref))
    response = client.get("/fhir/" + path, query_string=params,
                          headers=data.draw(st.sampled_from(headers)))
    _check(response)


@SETTINGS
@given(data=st.data())
def test_creates_never_fail(client, tokens, data):
    space, _doc, _row, headers = tokens
    kind = data.draw(st.sampled_from(["DocumentReference", "Observation", "Patient", "Binary",
                                      *KINDS]))
    valid, keys = _valid(kind, space.ref)
    body = data.draw(st.one_of(
        JSON.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=200),
        st.tuples(st.sampled_from(keys), JSON).map(
            lambda kv: json.dumps(_mutated(valid, *kv)).encode()),
        st.binary(max_size=3000).map(lambda b: json.dumps(
            _mutated(valid, "content.attachment.data", base64.b64encode(b).decode())
            if kind in ("DocumentReference", "Patient", "Binary")
            else _mutated(valid, keys[0], len(b))).encode())))
    response = client.post("/fhir/" + kind, data=body, content_type=FHIR_JSON,
                           headers=data.draw(st.sampled_from(headers)))
    _check(response)
