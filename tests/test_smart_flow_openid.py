"""The authorization server's discovery documents, and OpenID Connect: an ID token with
fhirUser signed with the published key, none without openid, the key kept private."""

import os
import stat

import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.smart_flow_support import (
    ASKED,
    _consent,
    _exchange,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smart_helpers import (
    answer,
    authorize_url,
    code_of,
    consent_fields,
    served_app,  # noqa: F401 (the fixture "served")
    session_for,
)
from webapp.smart import clients


def test_the_discovery_documents(client, world):
    smart = client.get("/fhir/.well-known/smart-configuration").json
    assert smart["code_challenge_methods_supported"] == ["S256"]
    assert smart["authorization_endpoint"].endswith("/oauth/authorize")
    assert "permission-v2" in smart["capabilities"]
    metadata = client.get("/.well-known/oauth-authorization-server").json
    assert metadata["revocation_endpoint"].endswith("/oauth/revoke")
    assert metadata["issuer"] == smart["issuer"]


def test_openid_fhiruser_gives_an_id_token_signed_with_the_published_key(client, world,
                                                                          served):
    app_row = clients.register("Carnet OIDC", "app", ["http://127.0.0.1/callback"],
                               scopes="openid fhirUser launch/patient patient/Patient.r")
    session = session_for(app_row, "openid fhirUser launch/patient patient/Patient.r")
    path, _, verifier = authorize_url(session, nonce="n-0S6_WzA2Mj")
    client.sign_in(world["owner"].email)
    _, doc = client.page(path)
    response = answer(client, path, doc, accept=list(consent_fields(doc)))
    token = _exchange(session, served, response, verifier)
    keys = KeySet.import_key_set(requests.get(f"{served}/oauth/jwks", timeout=5).json())
    decoded = jwt.decode(token["id_token"], keys, algorithms=["ES256"])
    claims = decoded.claims
    assert claims["iss"] == served and claims["aud"] == [app_row.client_id]
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["fhirUser"] == f"{served}/fhir/Patient/{world['space'].ref}"
    assert claims["sub"] != str(world["owner"].id) and len(claims["sub"]) == 40
    int(claims["sub"], 16)  # an opaque keyed hash
    assert claims["exp"] - claims["iat"] == 600
    # the same nonce again is a replay
    path, _, _ = authorize_url(session, nonce="n-0S6_WzA2Mj")
    assert code_of(client.get(path))["error"] == "invalid_request"


def test_without_openid_there_is_no_id_token(client, world, served):
    session, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    assert "id_token" not in _exchange(session, served, response, verifier)


def test_the_signing_key_is_kept_for_the_service_user_only(app, client):
    client.get("/oauth/jwks")
    mode = os.stat(os.path.join(app.instance_path, "smart_id_token_key")).st_mode
    assert stat.S_IMODE(mode) == 0o600
