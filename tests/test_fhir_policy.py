"""A professional's software (user/ scopes) may do through the API exactly what the
professional may do on the pages: the same policy decides (care relation, blocks, the
matrix, emergency access), refusals look like nobody, every request is one entry in the
patient's history under the software's name, and no route reads a space's rows another
way than through the access object."""

import pytest

from tests.access_audit import Watch
from tests.fhir_support import bearer, document_resource, make_client, post, weight
from tests.helpers import PDF, make_document, make_space, make_user, space_path
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.pro import PatientLookup
from webapp.models.spaces import Block, CareRelation
from webapp.privacy.actions import open_emergency

PRO_SCOPES = "user/Patient.rs user/DocumentReference.crs user/Binary.cr user/Observation.crs"


@pytest.fixture
def practice(db):
    """Inès, her doctor and biologist (who follow her), a doctor who does not, and the
    doctor's software token."""
    owner = make_user(first_name="Inès", last_name="Roux")
    space = make_space(owner, identity_status="qualified", nir="284057505612387")
    doctor = make_user("professional", first_name="Luc", last_name="Vidal")
    biologist = make_user("professional", profession="biologiste")
    stranger = make_user("professional")
    for pro in (doctor, biologist):
        CareRelation.create(professional=pro, space=space)
    software = make_client("software", "Logiciel Cabinet Vidal")
    return dict(owner=owner, space=space, doctor=doctor, biologist=biologist,
                stranger=stranger, software=software,
                headers=bearer(doctor, None, PRO_SCOPES, client=software))


def _find(client, space, headers):
    return client.get(f"/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|{space.nir}",
                      headers=headers).get_json()


def test_the_doctor_finds_the_patient_by_ins_and_deposits_a_pdf(client, practice):
    space, headers = practice["space"], practice["headers"]
    found = _find(client, space, headers)
    assert found["total"] == 1 and found["entry"][0]["resource"]["id"] == space.ref
    response = post(client, "/fhir/DocumentReference", document_resource(space.ref, PDF),
                    headers)
    assert response.status_code == 201, response.text
    doc = Document.get(Document.space == space)
    assert (doc.author_kind, doc.source, doc.loinc, doc.category) == (
        "professional", "professional", "11488-4", "CPT_REND")
    assert doc.author_id == practice["doctor"].id
    entries = list(AccessLog.select().where(AccessLog.space == space).order_by(AccessLog.id))
    assert [(e.action, e.app_name, e.capacity) for e in entries] == [
        ("space.view", "Logiciel Cabinet Vidal", "professional"),
        ("documents.add", "Logiciel Cabinet Vidal", "professional")]
    assert PatientLookup.get().outcome == "found"
    client.sign_in(practice["owner"].email)
    _, page = client.page(space_path(space, "/documents"))
    assert "Compte rendu de consultation" in page.text


def test_no_care_relation_or_a_block_is_nobody(client, practice):
    space = practice["space"]
    stranger = bearer(practice["stranger"], None, PRO_SCOPES)
    assert _find(client, space, stranger)["total"] == 0
    for path in (f"/fhir/Patient/{space.ref}", f"/fhir/DocumentReference?patient={space.ref}"):
        assert client.get(path, headers=stranger).status_code == 404
    Block.create(space=space, professional=practice["doctor"])
    headers = practice["headers"]
    assert _find(client, space, headers)["total"] == 0
    assert post(client, "/fhir/DocumentReference", document_resource(space.ref, PDF),
                headers).status_code == 404
    assert client.get(f"/fhir/Patient?identifier={space.nir}0",
                      headers=stranger).get_json()["total"] == 0
    refused = AccessLog.select().where((AccessLog.space == space) & ~AccessLog.allowed)
    assert refused.count() == 5 and {e.app_name for e in refused} == {
        "Logiciel Cabinet Test", "Logiciel Cabinet Vidal"}
    assert Document.select().count() == 0


def test_fruitless_lookups_are_limited_like_the_pages(client, practice):
    stranger = bearer(practice["stranger"], None, PRO_SCOPES)
    statuses = [client.get("/fhir/Patient?identifier=184057505612300",
                           headers=stranger).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]


def test_the_matrix_decides_what_a_biologist_reads_and_deposits(client, practice):
    space = practice["space"]
    headers = bearer(practice["biologist"], None, PRO_SCOPES)
    radio = make_document(space, title="Radio du genou", category="RADIO_SC")
    make_document(space, title="Bilan sanguin", category="BIOLOGIE")
    bundle = client.get(f"/fhir/DocumentReference?patient={space.ref}",
                        headers=headers).get_json()
    assert [e["resource"]["description"] for e in bundle["entry"]] == ["Bilan sanguin"]
    for path in (f"/fhir/DocumentReference/{space.ref}-{radio.id}",
                 f"/fhir/Binary/{space.ref}-{radio.id}"):
        assert client.get(path, headers=headers).status_code == 404
    refused = post(client, "/fhir/DocumentReference",
                   document_resource(space.ref, PDF, category="CPT_REND"), headers)
    assert refused.status_code == 403 and "CPT_REND" in refused.get_json()["issue"][0][
        "diagnostics"]
    allowed = post(client, "/fhir/DocumentReference",
                   document_resource(space.ref, PDF, category="BIOLOGIE", loinc="11502-2"),
                   headers)
    assert allowed.status_code == 201


def test_documents_the_holder_hid_stay_hidden(client, practice):
    space = practice["space"]
    make_document(space, title="Caché", hidden=True)
    bundle = client.get(f"/fhir/DocumentReference?patient={space.ref}",
                        headers=practice["headers"]).get_json()
    assert bundle["total"] == 0


def test_an_emergency_access_reads_but_does_not_write(client, practice):
    space, stranger = practice["space"], practice["stranger"]
    make_document(space, title="Synthèse", category="SYNTHESE")
    headers = bearer(stranger, None, PRO_SCOPES)
    assert client.get(f"/fhir/DocumentReference?patient={space.ref}",
                      headers=headers).status_code == 404
    assert open_emergency(stranger, space, "Patient inconscient aux urgences") is None
    bundle = client.get(f"/fhir/DocumentReference?patient={space.ref}",
                        headers=headers).get_json()
    assert [e["resource"]["description"] for e in bundle["entry"]] == ["Synthèse"]
    assert post(client, "/fhir/DocumentReference", document_resource(space.ref, PDF),
                headers).status_code == 404
    entry = AccessLog.select().where((AccessLog.space == space)
                                     & (AccessLog.action == "documents.read")
                                     & AccessLog.allowed).get()
    assert entry.emergency and entry.app_name == "Logiciel Cabinet Test"


def test_a_professional_needs_user_scopes(client, practice):
    headers = bearer(practice["doctor"], None, "user/Patient.rs")
    assert post(client, "/fhir/DocumentReference",
                document_resource(practice["space"].ref, PDF), headers).status_code == 403
    search = client.get("/fhir/DocumentReference", headers=practice["headers"])
    assert search.status_code == 400 and "patient" in search.get_json()["issue"][0][
        "diagnostics"]


def test_the_doctor_writes_and_reads_measurements(client, practice):
    space, headers = practice["space"], practice["headers"]
    created = post(client, "/fhir/Observation", weight(space.ref, 80), headers)
    assert created.status_code == 201
    read = client.get(f"/fhir/Observation/{created.get_json()['id']}", headers=headers)
    assert read.get_json()["valueQuantity"]["value"] == 80


def test_no_route_reads_a_space_another_way(client, practice):
    space, headers = practice["space"], practice["headers"]
    doc = make_document(space)
    citizen = bearer(practice["owner"], space, "patient/Patient.rs patient/DocumentReference.crs "
                     "patient/Binary.r patient/Observation.crs")
    paths = [f"/fhir/Patient?identifier={space.nir}", f"/fhir/Patient/{space.ref}",
             f"/fhir/Patient/{space.ref}/$everything",
             f"/fhir/DocumentReference?patient={space.ref}&category=CPT_REND&date=ge2020",
             f"/fhir/DocumentReference/{space.ref}-{doc.id}", f"/fhir/Binary/{space.ref}-{doc.id}",
             f"/fhir/Observation?patient={space.ref}&code=29463-7"]
    with Watch() as watch:
        for token in (headers, citizen, bearer(practice["stranger"], None, PRO_SCOPES)):
            for path in paths:
                assert client.get(path, headers=token).status_code < 500
            post(client, "/fhir/DocumentReference", document_resource(space.ref, PDF), token)
            post(client, "/fhir/Observation", weight(space.ref, 70), token)
    assert not watch.violations, watch.violations


def test_software_uploads_the_file_first_then_names_it(client, practice):
    space, headers = practice["space"], practice["headers"]
    uploaded = client.post("/fhir/Binary", data=PDF, content_type="application/pdf",
                           headers=headers)
    assert uploaded.status_code == 201 and uploaded.get_json()["contentType"] == \
        "application/pdf"
    resource = document_resource(space.ref, PDF)
    del resource["content"][0]["attachment"]["data"]
    resource["content"][0]["attachment"]["url"] = f"Binary/{uploaded.get_json()['id']}"
    created = post(client, "/fhir/DocumentReference", resource, headers)
    assert created.status_code == 201, created.text
    binary = client.get("/fhir/" + created.get_json()["content"][0]["attachment"]["url"],
                        headers=headers)
    assert binary.data == PDF
    again = post(client, "/fhir/DocumentReference", resource, headers)  # now in the record
    assert again.status_code == 400 and Document.select().count() == 1
    resource["content"][0]["attachment"]["url"] = "Binary/" + "0" * 64
    assert post(client, "/fhir/DocumentReference", resource, headers).status_code == 400
