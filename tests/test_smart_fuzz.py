"""Hostile values into the authorisation endpoints and forms: never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import make_space, make_user
from webapp.smart import clients

TEXT = st.one_of(st.text(max_size=80), st.sampled_from(
    ["", "\x00", "S256", "plain", "code", "a" * 43, "http://127.0.0.1:0/callback",
     "http://127.0.0.1:99999/callback", "http://[::1/cb", "launch/patient", "system/*.*",
     "patient/Observation.rs" * 50, "authorization_code", "refresh_token"]))
FIELDS = ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
          "code_challenge_method", "espace", "grant_type", "code", "code_verifier",
          "refresh_token", "token", "token_type_hint", "decision", "q0", "q1"]
SLOW = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def signed_in(app, client, db):
    owner = make_user()
    make_space(owner)
    registered = clients.register("Carnet Test", "app", ["http://127.0.0.1/callback"],
                                  scopes="launch/patient patient/Observation.rs")
    client.sign_in(owner.email)
    return client, registered.client_id


@SLOW
@given(values=st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=8),
       real_client=st.booleans())
def test_no_endpoint_answers_a_server_error(signed_in, values, real_client):
    client, client_id = signed_in
    if real_client:
        values["client_id"] = client_id
    for method, path in [("get", "/oauth/authorize"), ("post", "/oauth/authorize"),
                         ("post", "/oauth/token"), ("post", "/oauth/revoke")]:
        if method == "get":
            response = client.get(path, query_string=values)
        else:
            response = client.submit(path, values) if path == "/oauth/authorize" else \
                client.post(path, data=values)
        assert response.status_code < 500, (method, path, values, response.text[:300])
    for header in [values.get("token", ""), "Bearer " + values.get("code", "")]:
        printable = "".join(c for c in header[:200]
                            if c.isprintable() and ord(c) < 256)  # what HTTP carries
        response = client.get("/fhir/metadata", headers={"Authorization": printable})
        assert response.status_code < 500


ADMIN_FIELDS = ["name", "publisher", "description", "category", "scopes", "redirect_uris",
                "confidential", "status"]


@pytest.fixture
def admin(app, client, db):
    registered = clients.register("Carnet Test", "app", ["http://127.0.0.1/callback"],
                                  scopes="launch/patient patient/Observation.rs")
    client.sign_in(make_user("admin").email)
    return client, registered.id


@SLOW
@given(values=st.dictionaries(st.sampled_from(ADMIN_FIELDS), TEXT, max_size=8))
def test_no_admin_form_answers_a_server_error(admin, values):
    client, client_id = admin
    for path in ["/admin/applications/nouvelle?type=app",
                 "/admin/applications/nouvelle?type=software",
                 f"/admin/applications/{client_id}", f"/admin/applications/{client_id}/statut"]:
        response = client.submit(path, values)
        assert response.status_code < 500, (path, values, response.text[:300])
