"""Access tokens: authenticate() says who calls with which scopes, and stops at once
for a revoked, expired, suspended or dereferenced client, a revoked consent, or a space
the person no longer represents; no token is readable from the database."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import make_child, make_space, make_user
from webapp import policy
from webapp.access import Access
from webapp.accounts import lifecycle
from webapp.db import utcnow
from webapp.models.smart import SmartToken
from webapp.models.spaces import Guardianship, Space
from webapp.smart import clients, consents
from webapp.smart.resource import authenticate, issue_access_token

SCOPES = {"patient/DocumentReference.rs", "launch/patient"}


@pytest.fixture
def world(db):
    owner = make_user()
    space = make_space(owner)
    app = clients.register("Carnet Test", "app", ["http://127.0.0.1/callback"],
                           scopes=" ".join(SCOPES), publisher="Éditeur")
    return dict(owner=owner, space=space, app=app)


def test_a_token_names_the_person_space_scopes_and_client(world):
    value = issue_access_token(world["app"], world["owner"], world["space"], SCOPES)
    caller = authenticate(f"Bearer {value}")
    assert caller.user.id == world["owner"].id
    assert caller.space.id == world["space"].id
    assert caller.scopes == frozenset(SCOPES)
    assert caller.client_id == world["app"].client_id
    assert caller.client_name == "Carnet Test"
    assert caller.token_id == SmartToken.get().id


def test_the_database_holds_no_token(world):
    value = issue_access_token(world["app"], world["owner"], world["space"], SCOPES)
    row = SmartToken.get()
    assert value not in (row.access_hash, row.refresh_hash)
    assert len(row.access_hash) == 64


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc", "Bearer a b",
                                    "Bearer unknown-token", "x" * 5000])
def test_missing_or_malformed_or_unknown_token_is_nobody(world, header):
    issue_access_token(world["app"], world["owner"], world["space"], SCOPES)
    assert authenticate(header) is None


def test_an_expired_token_is_nobody(world):
    value = issue_access_token(world["app"], world["owner"], world["space"], SCOPES, lifetime=60)
    assert authenticate(f"Bearer {value}") is not None
    SmartToken.update(issued_at=utcnow() - dt.timedelta(seconds=61)).execute()
    assert authenticate(f"Bearer {value}") is None


@pytest.mark.parametrize("status", ["suspended", "dereferenced"])
def test_a_suspended_or_dereferenced_client_stops_its_tokens(world, status):
    value = issue_access_token(world["app"], world["owner"], world["space"], SCOPES)
    clients.set_status(world["app"], status)
    assert authenticate(f"Bearer {value}") is None
    clients.set_status(world["app"], "online")  # back online: the old tokens stay revoked
    assert authenticate(f"Bearer {value}") is None


def test_revoking_the_consent_stops_its_tokens(world):
    value = issue_access_token(world["app"], world["owner"], world["space"], SCOPES)
    consents.revoke(consents.current(world["owner"], world["app"], world["space"]))
    assert authenticate(f"Bearer {value}") is None


def test_a_guardian_whose_representation_ended_is_nobody(world):
    child = make_child(world["owner"], dt.date.today() - dt.timedelta(days=3000))
    value = issue_access_token(world["app"], world["owner"], child, SCOPES)
    assert authenticate(f"Bearer {value}").space.id == child.id
    Guardianship.update(ended_at=utcnow()).execute()
    assert authenticate(f"Bearer {value}") is None


def test_a_deactivated_account_is_nobody(world):
    value = issue_access_token(world["app"], world["owner"], world["space"], SCOPES)
    world["owner"].active = False
    world["owner"].save()
    assert authenticate(f"Bearer {value}") is None


def test_a_professional_token_has_no_space(world):
    pro = make_user("professional")
    software = clients.register("Logiciel Test", "software", ["http://127.0.0.1/cb"],
                                scopes="user/DocumentReference.cru")
    value = issue_access_token(software, pro, None, {"user/DocumentReference.cru"})
    caller = authenticate(f"Bearer {value}")
    assert caller.space is None and caller.user.id == pro.id
    assert caller.client_name == "Logiciel Test"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.one_of(st.text(max_size=300), st.text(max_size=60).map(lambda t: "Bearer " + t)))
def test_any_header_is_nobody_without_error(world, header):
    assert authenticate(header) is None


def test_closing_the_space_stops_its_app_tokens_even_once_reopened(world):
    value = issue_access_token(world["app"], world["owner"], world["space"], SCOPES)
    space = world["space"]
    lifecycle.close(Access(world["owner"], space, policy.grant_for(world["owner"], space)))
    assert authenticate(f"Bearer {value}") is None
    lifecycle.reopen(Space.get_by_id(space.id), world["owner"])
    assert authenticate(f"Bearer {value}") is None
    assert consents.current(world["owner"], world["app"], world["space"]) is None  # ask again
