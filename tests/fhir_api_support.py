"""Helpers of the FHIR API tests for a citizen's app: the scopes it asks, Camille with
her space and her app's token, and the OperationOutcome issue of an error."""

import pytest

from tests.fhir_support import FHIR_JSON, bearer, make_client
from tests.helpers import make_space, make_user

SCOPES = ("patient/Patient.rs patient/DocumentReference.crs patient/Binary.r "
          "patient/Observation.crs")


@pytest.fixture(name="citizen")
def citizen_fixture(db):
    """Camille, her space (a qualified identity) and a token of her app."""
    owner = make_user(first_name="Camille", last_name="Martin")
    space = make_space(owner, identity_status="qualified", sex="F")
    app_client = make_client("app", "Carnet Poids")
    return owner, space, bearer(owner, space, SCOPES, client=app_client), app_client


def client_space(db):
    """A citizen and her space."""
    owner = make_user()
    return owner, make_space(owner)


def _issue(response):
    """The first issue of a response that must be an OperationOutcome."""
    body = response.get_json()
    assert response.mimetype == FHIR_JSON and body["resourceType"] == "OperationOutcome"
    return body["issue"][0]
