"""The authorization-code flow with PKCE: refresh tokens only with offline_access and
rotated, a refresh token or a code used several times at once, revocation, and a code
used twice revoking its tokens."""

import pytest
import requests
from authlib.integrations.base_client.errors import OAuthError

from tests.smart_flow_support import (
    ASKED,
    _consent,
    _exchange,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smart_helpers import (
    REDIRECT,
    code_of,
    served_app,  # noqa: F401 (the fixture "served")
)
from webapp.models.smart import SmartToken
from webapp.smart.resource import authenticate


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
