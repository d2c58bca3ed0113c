"""The whole path over real HTTP with Authlib's client: authorisation code with PKCE,
consent scope by scope, then the FHIR API with the token. Refused scopes are refused by
the API, a revoked token stops; a professional's software finds a patient by INS and
deposits a PDF."""

import base64

import pytest

from tests.helpers import PDF, make_space, make_user
from tests.smart_helpers import (
    answer,
    authorize_url,
    served_app,  # noqa: F401 (the fixture "served")
    session_for,
)
from webapp.models.documents import Document
from webapp.models.spaces import CareRelation
from webapp.smart import clients

ASKED = "launch/patient patient/DocumentReference.rs patient/Observation.crs"


def _token(client, served, client_row, user, scope, accept, refuse=()):
    session = session_for(client_row, scope)
    path, _state, verifier = authorize_url(session)
    client.sign_in(user.email)
    _, doc = client.page(path)
    response = answer(client, path, doc, accept, refuse)
    session.fetch_token(f"{served}/oauth/token", code_verifier=verifier,
                        authorization_response=response.headers["Location"])
    return session


@pytest.fixture
def camille(db):
    owner = make_user(email="camille@example.org")
    return owner, make_space(owner)


def test_a_citizen_app_reads_what_was_accepted_and_nothing_refused(client, served, camille):
    owner, space = camille
    row = clients.register("Carnet Flux", "app", ["http://127.0.0.1/callback"], scopes=ASKED)
    session = _token(client, served, row, owner, ASKED,
                     accept=["launch/patient", "patient/DocumentReference.rs"],
                     refuse=["patient/Observation.crs"])
    patient = session.token["patient"]
    assert session.get(f"{served}/fhir/DocumentReference").json()["total"] == 0
    refused = session.get(f"{served}/fhir/Observation?patient={patient}")
    assert refused.status_code == 403
    assert refused.json()["issue"][0]["code"] == "forbidden"
    session.revoke_token(f"{served}/oauth/revoke", token=session.token["access_token"])
    assert session.get(f"{served}/fhir/DocumentReference").status_code == 401


def test_a_professional_software_deposits_a_pdf_over_http(client, served, camille):
    _owner, space = camille
    doctor = make_user("professional")
    CareRelation.create(professional=doctor, space=space)
    scope = "user/Patient.rs user/DocumentReference.crs"
    row = clients.register("Logiciel Flux", "software", ["http://127.0.0.1/callback"],
                           scopes=scope)
    session = _token(client, served, row, doctor, scope, accept=scope.split())
    found = session.get(f"{served}/fhir/Patient", params={
        "identifier": f"urn:oid:1.2.250.1.213.1.4.8|{space.nir}"}).json()
    patient = found["entry"][0]["resource"]["id"]
    response = session.post(f"{served}/fhir/DocumentReference", json={
        "resourceType": "DocumentReference", "status": "current",
        "subject": {"reference": f"Patient/{patient}"},
        "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},
        "description": "Compte rendu",
        "content": [{"attachment": {"contentType": "application/pdf",
                                    "data": base64.b64encode(PDF).decode()}}]},
        headers={"Content-Type": "application/fhir+json"})
    assert response.status_code == 201, response.text
    assert Document.get().author_id == doctor.id
