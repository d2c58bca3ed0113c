"""The ID token checks one by one, on real tokens of the test provider: each refusal of
the sign-in pages comes from the rule it names, and a right token passes."""

import pytest

from tests.oidc_provider import oidc_provider  # noqa: F401 (the fixture)
from webapp.national_signin import professionals
from webapp.national_signin.citizens import fold, traits_of
from webapp.national_signin.providers import FRANCECONNECT, PROVIDERS
from webapp.national_signin.tokens import Refused, id_token_claims


@pytest.fixture
def fc(app, oidc_provider):  # noqa: F811
    app.config.update(oidc_provider.settings())
    app.extensions.pop("oidc_metadata", None)
    app.extensions.pop("oidc_jwks", None)
    with app.test_request_context():
        yield PROVIDERS[FRANCECONNECT]


def test_a_right_token_passes_and_the_nonce_is_what_refuses_a_replay(fc, oidc_provider):  # noqa: F811
    tokens = oidc_provider.tokens("camille", nonce="first")
    claims = id_token_claims(tokens["id_token"], fc, "first", tokens["access_token"])
    assert claims["sub"] == "camille"
    with pytest.raises(Refused, match="claims"):
        id_token_claims(tokens["id_token"], fc, "second", tokens["access_token"])


def test_the_audience_must_be_this_service(fc, oidc_provider):  # noqa: F811
    tokens = oidc_provider.tokens("camille", nonce="n", client_id="autre-service",
                                  redirect_uri="http://127.0.0.1/retour")
    with pytest.raises(Refused, match="claims"):
        id_token_claims(tokens["id_token"], fc, "n", tokens["access_token"])


def test_the_issuer_must_be_the_configured_one(app, fc, oidc_provider):  # noqa: F811
    tokens = oidc_provider.tokens("camille", nonce="n")
    app.config["FRANCECONNECT_ISSUER"] = oidc_provider.fc_issuer + "/"  # same issuer: passes
    id_token_claims(tokens["id_token"], fc, "n", tokens["access_token"])
    app.extensions["oidc_metadata"] = {}
    app.config["FRANCECONNECT_ISSUER"] = oidc_provider.psc_issuer  # another issuer's keys
    with pytest.raises(Refused):
        id_token_claims(tokens["id_token"], fc, "n", tokens["access_token"])


def test_the_access_token_hash_is_checked_when_present(fc, oidc_provider):  # noqa: F811
    tokens = oidc_provider.tokens("camille", nonce="n")
    claims = id_token_claims(tokens["id_token"], fc, "n", tokens["access_token"])
    if "at_hash" in claims:
        with pytest.raises(Refused, match="claims"):
            id_token_claims(tokens["id_token"], fc, "n", "another-access-token")


def test_names_compare_without_accents_case_or_hyphens():
    assert fold("Éloïse-Marie  d’Arc") == fold("ELOISE MARIE D ARC")
    assert fold("Zoé") != fold("Zoe Marie")


def test_franceconnect_traits_use_the_country_when_born_abroad():
    born_abroad = {"family_name": "Durand", "given_name": "Pierre", "birthdate": "1990-07-01",
                   "gender": "male", "birthplace": "", "birthcountry": "99134"}
    assert traits_of(born_abroad)[4] == "99134"
    assert traits_of({**born_abroad, "birthdate": "01/07/1990"}) is None
    assert traits_of({**born_abroad, "gender": ""}) is None


def test_the_rpps_comes_from_subject_name_id():
    assert professionals.rpps_of({"SubjectNameID": "810001234565"}) == "10001234565"
    assert professionals.rpps_of({"preferred_username": "10001234565"}) == "10001234565"
    assert professionals.rpps_of({"SubjectNameID": "810001234566"}) is None  # wrong key


def test_sessions_of_an_older_schema_are_kept_as_password_ones(app, db):
    """Migration 12: the sessions there were get their method, 'password'."""
    from tests.helpers import make_user
    from webapp.db import SchemaVersion, database
    from webapp.migrations import create_schema
    from webapp.models.accounts import UserSession

    UserSession.start(make_user())
    database.execute_sql('ALTER TABLE "user_session" DROP COLUMN "method"')
    SchemaVersion.delete().where(SchemaVersion.version == 12).execute()
    create_schema()
    assert [s.method for s in UserSession.select()] == ["password"]
