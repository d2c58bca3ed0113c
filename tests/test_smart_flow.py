"""The authorization-code flow with PKCE, driven with Authlib's client: consent scope by
scope, tokens that carry only what was accepted, the patient in the token response,
refresh with rotation, revocation, and what is refused (no PKCE, plain, wrong verifier,
a code used twice, a client that is not online)."""

import os
import stat

import pytest
import requests
from authlib.integrations.base_client.errors import OAuthError
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.helpers import make_child, make_space, make_user
from tests.smart_helpers import (
    REDIRECT,
    answer,
    authorize_url,
    code_of,
    consent_fields,
    served_app,  # noqa: F401 (the fixture "served")
    session_for,
)
from webapp.models.audit import AccessLog
from webapp.models.smart import SmartConsent, SmartToken
from webapp.smart import clients
from webapp.smart.resource import authenticate

ASKED = "launch/patient patient/DocumentReference.rs patient/Observation.crs offline_access"


@pytest.fixture
def world(db):
    owner = make_user(email="alice@example.org")
    space = make_space(owner)
    app = clients.register("Carnet Test", "app", ["http://127.0.0.1/callback"],
                           scopes=ASKED + " patient/Immunization.rs", publisher="Éditeur")
    return dict(owner=owner, space=space, app=app)


def _consent(client, world, accept, refuse=(), scope=ASKED, **extra):
    """Sign in, open the consent page, answer; return (session, response, verifier, state)."""
    session = session_for(world["app"], scope)
    path, state, verifier = authorize_url(session, **extra)
    client.sign_in(world["owner"].email)
    _, doc = client.page(path)
    return session, answer(client, path, doc, accept, refuse), verifier, state, doc


def _exchange(session, served, response, verifier):
    location = response.headers["Location"]
    return session.fetch_token(f"{served}/oauth/token", authorization_response=location,
                               code_verifier=verifier)


def test_full_flow_gives_a_token_with_what_was_accepted_and_the_patient(client, world, served):
    session, response, verifier, state, doc = _consent(
        client, world, accept=["launch/patient", "patient/DocumentReference.rs",
                               "offline_access"], refuse=["patient/Observation.crs"])
    assert set(consent_fields(doc)) == set(ASKED.split())
    assert code_of(response)["state"] == state
    token = _exchange(session, served, response, verifier)
    assert token["token_type"].lower() == "bearer" and token["expires_in"] == 600
    assert set(token["scope"].split()) == {"launch/patient", "patient/DocumentReference.rs",
                                           "offline_access"}
    assert token["patient"] == world["space"].ref
    caller = authenticate(f"Bearer {token['access_token']}")
    assert "patient/Observation.crs" not in caller.scopes
    assert caller.space.id == world["space"].id and caller.client_name == "Carnet Test"
    entry = AccessLog.select().where(AccessLog.space == world["space"],
                                     AccessLog.action == "app.connect").get()
    assert entry.app_name == "Carnet Test" and "DocumentReference" in entry.detail


def test_the_consent_page_says_each_scope_in_plain_words(client, world):
    session = session_for(world["app"], ASKED)
    path, _, _ = authorize_url(session)
    client.sign_in(world["owner"].email)
    _, doc = client.page(path)
    legends = [n.text for n in doc.find_all("legend")]
    assert "Lire et rechercher dans vos documents de santé" in legends
    assert "Ajouter, lire et rechercher dans vos mesures (poids, taille, tension, glycémie…)" \
        in legends


def test_an_unanswered_scope_is_an_error_on_the_same_page(client, world):
    session = session_for(world["app"], ASKED)
    path, _, _ = authorize_url(session)
    client.sign_in(world["owner"].email)
    _, doc = client.page(path)
    response = answer(client, path, doc, accept=["launch/patient"])
    assert response.status_code == 200
    assert "Il y a 3 erreurs dans le formulaire" in response.text
    assert not SmartConsent.select().exists()


def test_refusing_everything_sends_access_denied(client, world):
    session = session_for(world["app"], ASKED)
    path, state, _ = authorize_url(session)
    client.sign_in(world["owner"].email)
    response = client.submit(path, {"decision": "refuse"})
    answer_ = code_of(response)
    assert (answer_["error"], answer_["state"], "code" in answer_) == ("access_denied", state,
                                                                       False)


def test_the_consent_is_remembered_and_a_new_scope_asks_again(client, world):
    _consent(client, world, accept=ASKED.split())
    session = session_for(world["app"], ASKED)
    path, _, _ = authorize_url(session)
    assert "code" in code_of(client.get(path))  # nothing new: straight back with a code
    more = ASKED + " patient/Immunization.rs"
    path, _, _ = authorize_url(session_for(world["app"], more))
    _, doc = client.page(path)
    assert list(consent_fields(doc)) == ["patient/Immunization.rs"]


def test_without_offline_access_there_is_no_refresh_token(client, world, served):
    session, response, verifier, _, _ = _consent(
        client, world, accept=["launch/patient", "patient/DocumentReference.rs"],
        scope="launch/patient patient/DocumentReference.rs")
    token = _exchange(session, served, response, verifier)
    assert "refresh_token" not in token


def test_refresh_rotates_and_the_old_refresh_token_stops(client, world, served):
    session, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    first = _exchange(session, served, response, verifier)
    second = session.refresh_token(f"{served}/oauth/token",
                                   refresh_token=first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    assert second["patient"] == world["space"].ref
    assert authenticate(f"Bearer {second['access_token']}") is not None
    assert authenticate(f"Bearer {first['access_token']}") is None
    again = requests.post(f"{served}/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": first["refresh_token"],
        "client_id": world["app"].client_id})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    # the reuse of a rotated refresh token revokes the whole family
    assert authenticate(f"Bearer {second['access_token']}") is None


def test_a_refresh_token_used_eight_times_at_once_gives_one_new_pair_at_most(client, world,
                                                                            served):
    from concurrent.futures import ThreadPoolExecutor

    session, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    first = _exchange(session, served, response, verifier)
    data = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
            "client_id": world["app"].client_id}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: requests.post(f"{served}/oauth/token", data=data,
                                                        timeout=30), range(8)))
    assert [a.status_code for a in answers].count(200) <= 1
    assert all(a.status_code in (200, 400) for a in answers)
    assert SmartToken.select().count() <= 2  # the first pair and one new one


def test_revocation_stops_the_token_at_once(client, world, served):
    session, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    token = _exchange(session, served, response, verifier)
    revoked = session.revoke_token(f"{served}/oauth/revoke", token=token["refresh_token"],
                                   token_type_hint="refresh_token")
    assert revoked.status_code == 200
    assert authenticate(f"Bearer {token['access_token']}") is None
    with pytest.raises(OAuthError):
        session.refresh_token(f"{served}/oauth/token", refresh_token=token["refresh_token"])


def test_a_code_used_twice_is_refused_and_its_tokens_revoked(client, world, served):
    session, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    token = _exchange(session, served, response, verifier)
    code = code_of(response)["code"]
    replay = requests.post(f"{served}/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": world["app"].client_id, "code_verifier": verifier})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert authenticate(f"Bearer {token['access_token']}") is None


def test_a_code_exchanged_eight_times_at_once_gives_one_token_at_most(client, world, served):
    from concurrent.futures import ThreadPoolExecutor

    _, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    data = {"grant_type": "authorization_code", "code": code_of(response)["code"],
            "redirect_uri": REDIRECT, "client_id": world["app"].client_id,
            "code_verifier": verifier}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: requests.post(f"{served}/oauth/token", data=data,
                                                        timeout=30), range(8)))
    assert sorted(a.status_code for a in answers).count(200) <= 1
    assert all(a.status_code in (200, 400) for a in answers)
    assert SmartToken.select().count() <= 1


def test_a_wrong_verifier_is_refused(client, world, served):
    session, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    with pytest.raises(OAuthError) as error:
        _exchange(session, served, response, verifier[:-1] + ("a" if verifier[-1] != "a"
                                                              else "b"))
    assert error.value.error == "invalid_grant"
    assert not SmartToken.select().exists()


def test_a_missing_verifier_is_refused(client, world, served):
    _, response, _, _, _ = _consent(client, world, accept=ASKED.split())
    answer_ = requests.post(f"{served}/oauth/token", data={
        "grant_type": "authorization_code", "code": code_of(response)["code"],
        "redirect_uri": REDIRECT, "client_id": world["app"].client_id})
    assert answer_.status_code == 400 and answer_.json()["error"] == "invalid_request"


@pytest.mark.parametrize("method", [None, "plain"])
def test_an_authorisation_without_s256_is_refused(client, world, method):
    params = {"response_type": "code", "client_id": world["app"].client_id,
              "redirect_uri": REDIRECT, "scope": ASKED, "state": "xyz"}
    if method == "plain":
        params.update(code_challenge="a" * 43, code_challenge_method="plain")
    client.sign_in(world["owner"].email)
    response = client.get("/oauth/authorize", query_string=params)
    assert code_of(response)["error"] == "invalid_request"


def test_a_loopback_redirect_takes_any_port_but_not_another_path_or_host(client, world):
    client.sign_in(world["owner"].email)
    for uri, allowed in [("http://127.0.0.1:51234/callback", True),
                         ("http://127.0.0.1/callback", True),
                         ("http://127.0.0.1:51234/other", False),
                         ("http://localhost.evil.example:51234/callback", False),
                         ("https://127.0.0.1:51234/callback", False)]:
            path, _, _ = authorize_url(session_for(world["app"], ASKED, redirect_uri=uri))
            response = client.get(path)
            assert (response.status_code == 200) is allowed, uri


@pytest.mark.parametrize("status", ["suspended", "dereferenced"])
def test_a_client_not_online_gets_no_code_and_no_token(client, world, served, status):
    session, response, verifier, _, _ = _consent(client, world, accept=ASKED.split())
    clients.set_status(world["app"], status)
    with pytest.raises(OAuthError) as error:
        _exchange(session, served, response, verifier)
    assert error.value.error == "invalid_client"
    path, _, _ = authorize_url(session_for(world["app"], ASKED))
    assert client.get(path).status_code == 400


def test_a_guardian_chooses_the_childs_space(client, world, served, today):
    child = make_child(world["owner"], today.replace(year=today.year - 5))
    session = session_for(world["app"], ASKED)
    path, _, verifier = authorize_url(session)
    client.sign_in(world["owner"].email)
    _, doc = client.page(path)
    refs = [n.get("value") for n in doc.find_all("input", name="espace")]
    assert refs == [world["space"].ref, child.ref]
    path = f"{path}&espace={child.ref}"
    _, doc = client.page(path)
    response = answer(client, path, doc, accept=ASKED.split())
    token = _exchange(session, served, response, verifier)
    assert token["patient"] == child.ref
    assert authenticate(f"Bearer {token['access_token']}").space.id == child.id


def test_a_professional_authorises_software_with_user_scopes(client, world, served):
    pro = make_user("professional")
    software = clients.register("Logiciel Test", "software", ["http://127.0.0.1/callback"],
                                scopes="user/DocumentReference.cru patient/Observation.rs")
    session = session_for(software, "user/DocumentReference.cru patient/Observation.rs")
    path, _, verifier = authorize_url(session)
    client.sign_in(pro.email)
    _, doc = client.page(path)
    assert list(consent_fields(doc)) == ["user/DocumentReference.cru"]  # patient/: not for it
    response = answer(client, path, doc, accept=["user/DocumentReference.cru"])
    token = _exchange(session, served, response, verifier)
    assert token["scope"] == "user/DocumentReference.cru" and "patient" not in token
    assert authenticate(f"Bearer {token['access_token']}").space is None


def test_a_citizen_cannot_authorise_software_nor_a_professional_an_app(app, client, world):
    software = clients.register("Logiciel Test", "software", ["http://127.0.0.1/callback"],
                                scopes="user/DocumentReference.cru")
    path, _, _ = authorize_url(session_for(software, "user/DocumentReference.cru"))
    client.sign_in(world["owner"].email)
    assert client.get(path).status_code == 403
    pro = make_user("professional")
    client = app.test_client()
    client.sign_in(pro.email)
    path, _, _ = authorize_url(session_for(world["app"], ASKED))
    assert client.get(path).status_code == 403


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
