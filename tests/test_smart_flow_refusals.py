"""The authorization-code flow with PKCE: what is refused (a wrong or missing verifier,
no PKCE or plain, a redirect other than the registered one on any loopback port, a
client that is not online)."""

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
    authorize_url,
    code_of,
    served_app,  # noqa: F401 (the fixture "served")
    session_for,
)
from webapp.models.smart import SmartToken
from webapp.smart import clients


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
