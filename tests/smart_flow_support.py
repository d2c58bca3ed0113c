"""Helpers of the authorization-code flow tests: the scopes the app asks, the world they
share (Alice, her space, a registered app), the consent given and the code exchanged."""

import pytest

from tests.helpers import make_space, make_user
from tests.smart_helpers import answer, authorize_url, session_for
from webapp.smart import clients

ASKED = "launch/patient patient/DocumentReference.rs patient/Observation.crs offline_access"


@pytest.fixture(name="world")
def world_fixture(db):
    """Alice, her space and a registered app that asks for more than ASKED."""
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
    """The token the code of a consent's answer is exchanged for."""
    location = response.headers["Location"]
    return session.fetch_token(f"{served}/oauth/token", authorization_response=location,
                               code_verifier=verifier)
