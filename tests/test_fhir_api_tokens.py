"""The FHIR API for a citizen's app: missing, wrong, expired and revoked tokens are 401,
a scope not granted 403, an app past its rate 429, a suspended or dereferenced app is
stopped at once."""

import datetime as dt

import pytest

from tests.fhir_api_support import (
    SCOPES,
    _issue,
    citizen_fixture,  # noqa: F401 (the fixture "citizen")
)
from tests.fhir_support import bearer, post, weight
from tests.helpers import make_document
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.measurements import Measurement
from webapp.models.smart import SmartToken
from webapp.smart import clients, consents


def test_missing_wrong_expired_and_revoked_tokens_are_401(client, citizen):
    owner, space, headers, app_client = citizen
    path = f"/fhir/Patient/{space.ref}"
    assert client.get(path, headers=headers).status_code == 200
    missing = client.get(path)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == \
        'Bearer realm="fhir"' and _issue(missing)["code"] == "login"
    wrong = client.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401 and 'error="invalid_token"' in \
        wrong.headers["WWW-Authenticate"]
    expired = bearer(owner, space, SCOPES, lifetime=60)
    SmartToken.update(issued_at=utcnow() - dt.timedelta(seconds=61)).where(
        SmartToken.scope.contains("Binary") & (SmartToken.expires_in == 60)).execute()
    assert client.get(path, headers=expired).status_code == 401
    consents.revoke(consents.current(owner, app_client, space))
    revoked = client.get(path, headers=headers)
    assert revoked.status_code == 401 and "WWW-Authenticate" in revoked.headers
    assert AccessLog.select().where(AccessLog.allowed == False).count() == 0  # noqa: E712


def test_a_scope_not_granted_is_403_and_reads_nothing(client, citizen):
    owner, space, _headers, _app = citizen
    reader = bearer(owner, space, "patient/Observation.rs patient/DocumentReference.s")
    refused = post(client, "/fhir/Observation", weight(space.ref, 70), reader)
    assert refused.status_code == 403 and _issue(refused)["code"] == "forbidden"
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    doc = make_document(space)
    assert client.get(f"/fhir/DocumentReference/{space.ref}-{doc.id}",
                      headers=reader).status_code == 403
    assert client.get(f"/fhir/Binary/{space.ref}-{doc.id}", headers=reader).status_code == 403
    assert client.get("/fhir/Patient", headers=reader).status_code == 403
    user_scopes = bearer(owner, space, "user/Observation.crs")  # not the citizen's context
    assert post(client, "/fhir/Observation", weight(space.ref, 70), user_scopes
                ).status_code == 403
    assert Measurement.select().count() == 0


def test_an_app_past_its_rate_is_429(app, client, citizen):
    _owner, space, headers, _app = citizen
    app.config["FHIR_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get(f"/fhir/Patient/{space.ref}", headers=headers).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(f"/fhir/Patient/{space.ref}", headers=headers)
    assert _issue(limited)["code"] == "throttled" and int(limited.headers["Retry-After"]) >= 1


@pytest.mark.parametrize("status", ["suspended", "dereferenced"])
def test_a_suspended_or_dereferenced_app_is_stopped_at_once(client, citizen, status):
    _owner, space, headers, app_client = citizen
    path = f"/fhir/Patient/{space.ref}"
    assert client.get(path, headers=headers).status_code == 200
    clients.set_status(app_client, status)
    stopped = client.get(path, headers=headers)
    assert stopped.status_code == 401 and 'error="invalid_token"' in \
        stopped.headers["WWW-Authenticate"]
