"""The token and revocation endpoints are rate limited per client address, then per
client id (one budget for both endpoints), and answer 429 with an OAuth JSON error."""

import pytest

from webapp.smart import clients


@pytest.fixture
def two_apps(db):
    return [clients.register(name, "app", ["http://127.0.0.1/callback"],
                             scopes="launch/patient", publisher="Éditeur")
            for name in ("Carnet A", "Carnet B")]


def _token(client, client_id, address):
    return client.post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": "not-a-token", "client_id": client_id},
        environ_base={"REMOTE_ADDR": address})


def _limited(response):
    assert response.status_code == 429, response.text
    assert response.get_json()["error"] == "temporarily_unavailable"
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["Cache-Control"] == "no-store"
    return True


def test_a_client_id_past_its_rate_is_429_from_any_address(app, client, two_apps):
    app.config.update(OAUTH_RATE_PER_CLIENT="3 per minute", OAUTH_RATE_PER_ADDRESS="100/minute")
    first, second = (a.client_id for a in two_apps)
    statuses = [_token(client, first, f"10.0.0.{n}").status_code for n in range(3)]
    assert 429 not in statuses and statuses[0] == 400  # Authlib's own invalid_grant
    assert _limited(_token(client, first, "10.0.0.9"))
    assert _limited(client.post("/oauth/revoke", data={"token": "x", "client_id": first},
                                environ_base={"REMOTE_ADDR": "10.0.0.8"}))
    assert _token(client, second, "10.0.0.9").status_code == 400  # another app is not


def test_an_address_past_its_rate_is_429_for_any_client(app, client, two_apps):
    app.config.update(OAUTH_RATE_PER_ADDRESS="3 per minute")
    first, second = (a.client_id for a in two_apps)
    for client_id in (first, second, "unknown"):
        assert _token(client, client_id, "192.0.2.7").status_code != 429
    for _ in range(5):
        assert _limited(_token(client, first, "192.0.2.7"))
    # the address's refused requests did not use up the client's budget (1 used of 3)
    app.config.update(OAUTH_RATE_PER_CLIENT="3 per minute")
    assert _token(client, first, "192.0.2.8").status_code == 400  # another address is not
