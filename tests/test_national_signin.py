"""National sign-in against a real OpenID provider (tests/oidc/provider.mjs): citizens with
FranceConnect (matched by their INS traits, linked only once they prove the account is
theirs), professionals with Pro Santé Connect (by RPPS)."""

import datetime as dt
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from tests.helpers import PASSWORD, make_space, make_user
from tests.oidc_provider import oidc_provider  # noqa: F401 (the fixture)
from webapp.audit import Action
from webapp.models.accounts import User, UserSession
from webapp.models.audit import AccessLog
from webapp.models.external_identities import ExternalIdentity
from webapp.models.notifications import Outbox

FC = "/connexion/franceconnect"
PSC = "/connexion/pro-sante-connect"
CAMILLE = "camille.martin@example.org"


@pytest.fixture
def national(app, oidc_provider):  # noqa: F811
    """The app configured for both providers (the real test provider)."""
    app.config.update(oidc_provider.settings())
    app.extensions.pop("oidc_metadata", None)
    app.extensions.pop("oidc_jwks", None)
    return oidc_provider


def _space(owner, birth_date, sex, birth_name, names, place, **fields):
    return make_space(owner, birth_date=birth_date, sex=sex, birth_name=birth_name,
                      birth_first_names=names, birth_first_name=names.split()[0],
                      birth_place=place, **fields)


@pytest.fixture
def people(db):
    """The people of the test provider, as the service knows them (webapp/seed's traits)."""
    camille = make_user(email=CAMILLE, first_name="Camille", last_name="Martin")
    jean = make_user(email="jean.dupont@example.org", first_name="Jean", last_name="Dupont")
    make_user(role="professional", email="dr.bernard@example.org", rpps="10001234565")
    return SimpleNamespace(
        camille=_space(camille, dt.date(1984, 5, 14), "F", "Martin", "Camille Marie", "75056"),
        jean=_space(jean, dt.date(1975, 1, 22), "M", "Dupont", "Jean Michel", "69123"),
        nadia=_space(None, dt.date(1995, 3, 8), "F", "Benali", "Nadia", "13055",
                     first_name="Nadia", last_name="Benali"))


def back_from(client, provider, login, start=FC, cancel=False, state=None):
    """Start at the app, sign in at the provider, and follow it back to the app (the
    answer of the return address)."""
    response = client.submit(start)
    assert response.status_code == 303
    back = urlsplit(provider.sign_in_at(response.headers["Location"], login, cancel=cancel))
    assert back.path == start + "/retour"
    query = back.query if state is None else back.query.replace("state=", f"state={state}")
    return client.get(f"{back.path}?{query}")


def follow(client, response):
    assert response.status_code == 303, response.text[:500]
    return client.get(response.headers["Location"])


def sessions():
    return list(UserSession.select())


def test_buttons_show_only_when_configured(app, client, oidc_provider):  # noqa: F811
    _response, page = client.page("/connexion")
    assert "S'identifier avec" not in page.text
    off = client.submit(FC)  # off: back to the sign-in page, which has no button
    assert off.status_code == 302 and off.headers["Location"].endswith("/connexion")
    app.config.update(oidc_provider.settings())
    _response, page = client.page("/connexion")
    fc_button = page.find("form", action=FC).find("button")
    assert " ".join(fc_button.text.split()) == "S'identifier avec FranceConnect"
    assert "Qu'est-ce que FranceConnect ?" in page.text
    assert "Pro Santé Connect" in page.find("form", action=PSC).find("button").text


def test_the_page_policy_lets_forms_lead_to_the_providers_only(app, client, oidc_provider):  # noqa: F811
    assert client.get("/connexion").headers["Content-Security-Policy"].endswith(
        "form-action 'self'")
    app.config.update(oidc_provider.settings())
    policy = client.get("/connexion").headers["Content-Security-Policy"]
    assert policy.endswith(f"form-action 'self' {oidc_provider.base}")


def test_authorization_request_carries_pkce_state_and_nonce(client, national, people):
    response = client.submit(FC)
    query = urlsplit(response.headers["Location"]).query
    for part in ("code_challenge_method=S256", "code_challenge=", "state=", "nonce=",
                 "response_type=code", "scope=openid+given_name"):
        assert part in query


def test_first_sign_in_links_only_after_the_password(client, national, people):
    response = back_from(client, national, "camille")
    assert response.status_code == 303 and response.headers["Location"].endswith("/confirmer")
    _response, page = client.page(f"{FC}/confirmer")
    assert "Camille MARTIN" in page.text and "c•••@example.org" in page.text
    assert sessions() == []  # a match on the traits signs nobody in
    wrong = client.submit(f"{FC}/confirmer", {"password": "not-hers"})
    assert wrong.status_code == 400 and "Ce mot de passe est incorrect" in wrong.text
    assert ExternalIdentity.select().count() == 0 and sessions() == []
    done = client.submit(f"{FC}/confirmer", {"password": PASSWORD})
    assert done.status_code == 303
    link = ExternalIdentity.get()
    assert (link.user.email, link.provider, link.subject) == (CAMILLE, "franceconnect",
                                                               "camille")
    assert [s.method for s in sessions()] == ["franceconnect"]
    space = client.get("/")
    assert space.status_code == 302 and f"/espaces/{people.camille.ref}/" in \
        space.headers["Location"]
    assert AccessLog.select().where((AccessLog.space == people.camille)
                                    & (AccessLog.action == Action.FRANCECONNECT_LINK)).count() == 1
    told = Outbox.select().where((Outbox.recipient == link.user)
                                 & (Outbox.template == "franceconnect_linked"))
    assert told.where(Outbox.channel == "email").count() == 1  # in case it was not her


def test_a_linked_account_goes_straight_in(client, national, people):
    ExternalIdentity.create(user=User.by_email(CAMILLE), provider="franceconnect",
                            subject="camille")
    response = back_from(client, national, "camille")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert [(s.user.email, s.method) for s in sessions()] == [(CAMILLE, "franceconnect")]
    assert ExternalIdentity.get().last_used_at is not None


def test_signing_out_ends_the_franceconnect_session_too(client, national, people):
    _linked_camille()
    back_from(client, national, "camille")
    response = client.submit("/deconnexion")
    end = urlsplit(response.headers["Location"])
    assert response.status_code == 303 and f"{end.scheme}://{end.netloc}{end.path}" == \
        national.fc_issuer + "/session/end"
    assert "id_token_hint=" in end.query and "post_logout_redirect_uri=" in end.query
    assert all(s.ended_at for s in sessions())
    back = national.sign_out_at(response.headers["Location"])
    assert back.startswith("http://localhost/connexion?")
    client.submit("/connexion", {"email": CAMILLE, "password": PASSWORD})
    password_end = client.submit("/deconnexion")  # a password session: only ours ends
    assert password_end.headers["Location"] == "/connexion"


def test_the_signed_in_holder_links_without_typing_the_password(client, national, people):
    client.sign_in(CAMILLE)
    back_from(client, national, "camille")
    _response, page = client.page(f"{FC}/confirmer")
    assert page.find("input", type="password") is None
    assert client.submit(f"{FC}/confirmer").status_code == 303
    assert ExternalIdentity.get().user.email == CAMILLE
    assert len(sessions()) == 1  # the session goes on, no second one


def test_someone_signed_in_cannot_link_another_persons_identity(client, national, people):
    client.sign_in("jean.dupont@example.org")
    back_from(client, national, "camille")
    refused = client.get(f"{FC}/confirmer")
    assert refused.status_code == 403 and "un autre compte" in refused.text
    assert client.submit(f"{FC}/confirmer", {"password": PASSWORD}).status_code == 403
    assert ExternalIdentity.select().count() == 0


def test_a_namesake_born_elsewhere_finds_no_space(client, national, people):
    page = follow(client, back_from(client, national, "homonyme"))
    assert page.status_code == 200 and "aucun espace santé ouvert ne correspond" in page.text
    assert 'href="/activation"' in page.text and sessions() == []


def test_someone_unknown_is_offered_activation(client, national, people):
    page = follow(client, back_from(client, national, "inconnu"))
    assert "Activer mon espace" in page.text and sessions() == []


def test_a_space_not_activated_yet_asks_for_the_letters_code(client, national, people):
    page = follow(client, back_from(client, national, "nadia"))
    assert "doit d'abord être activé" in page.text and sessions() == []


def test_a_state_that_is_not_this_browsers_is_refused(client, national, people):
    ExternalIdentity.create(user=User.by_email(CAMILLE), provider="franceconnect",
                            subject="camille")
    page = back_from(client, national, "camille", state="forged")
    assert page.status_code == 400 and "ne correspond à aucune connexion" in page.text
    assert sessions() == []


def test_a_return_without_a_started_sign_in_is_refused(client, national, people):
    page = client.get(f"{FC}/retour?code=abc&state=xyz")
    assert page.status_code == 400 and sessions() == []


def test_cancelling_at_the_provider_says_so(client, national, people):
    page = back_from(client, national, "camille", cancel=True)
    assert page.status_code == 400 and "Vous avez annulé" in page.text


def _linked_camille():
    ExternalIdentity.create(user=User.by_email(CAMILLE), provider="franceconnect",
                            subject="camille")


def test_an_id_token_of_another_sign_in_is_refused(client, national, people, caplog):
    _linked_camille()
    replayed = national.tokens("camille", nonce="another-sign-in")["id_token"]
    national.substitute_next_id_token(replayed)
    page = back_from(client, national, "camille")
    assert page.status_code == 400 and "n'a pas pu être vérifiée" in page.text
    assert sessions() == [] and "refused: claims" in caplog.text


def test_an_id_token_for_another_service_is_refused(client, national, people, caplog):
    _linked_camille()
    other = national.tokens("camille", nonce="x", client_id="autre-service",
                            redirect_uri="http://127.0.0.1/retour")["id_token"]
    national.substitute_next_id_token(other)
    page = back_from(client, national, "camille")
    assert page.status_code == 400 and sessions() == [] and "refused: claims" in caplog.text


def _b64(data):
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token):
    import base64
    import json

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_an_unsigned_id_token_is_refused(client, national, people, caplog):
    _linked_camille()
    real = national.tokens("camille", nonce="n")["id_token"]
    national.substitute_next_id_token(_b64({"alg": "none"}) + "." + _b64(_claims(real)) + ".")
    page = back_from(client, national, "camille")
    assert page.status_code == 400 and sessions() == [] and "refused: signature" in caplog.text


def test_a_tampered_id_token_is_refused(client, national, people, caplog):
    make_user(email="autre@example.org")
    ExternalIdentity.create(user=User.by_email("autre@example.org"), provider="franceconnect",
                            subject="jean")
    _linked_camille()
    header, payload, signature = national.tokens("camille", nonce="n")["id_token"].split(".")
    claims = {**_claims(f"{header}.{payload}.{signature}"), "sub": "jean"}
    national.substitute_next_id_token(f"{header}.{_b64(claims)}.{signature}")
    page = back_from(client, national, "camille")
    assert page.status_code == 400 and sessions() == [] and "refused: signature" in caplog.text


def test_a_professional_signs_in_by_rpps(client, national, people):
    response = back_from(client, national, "bernard", start=PSC)
    assert response.status_code == 303
    assert [(s.user.email, s.method) for s in sessions()] == [
        ("dr.bernard@example.org", "pro_sante_connect")]
    assert "Mes patients" in client.page("/")[1].text


def test_a_deactivated_professional_is_refused(client, national, people):
    make_user(role="professional", email="arret@example.org", rpps="10099999996",
              active=False)
    page = back_from(client, national, "desactive", start=PSC)
    assert page.status_code == 403 and "désactivé" in page.text and sessions() == []


def test_an_rpps_without_account_is_told_who_creates_accounts(client, national, people):
    page = follow(client, back_from(client, national, "inconnu", start=PSC))
    assert "10088888887" in page.text and "aucun compte professionnel" in page.text
    assert sessions() == []


def test_an_unreachable_provider_says_so(app, client, national, people):
    app.config["FRANCECONNECT_ISSUER"] = "http://127.0.0.1:9/fc"
    page = client.submit(FC)
    assert page.status_code == 503 and "ne répond pas" in page.text


def test_two_tabs_confirming_at_once_make_one_link(people):
    from webapp.national_signin.citizens import link
    from webapp.national_signin.flow import Identity

    first = link(Identity("franceconnect", "camille", {}), people.camille)
    assert link(Identity("franceconnect", "camille", {}), people.camille).id == first.id
    assert link(Identity("franceconnect", "someone-else", {}), people.camille) is None
    assert link(Identity("franceconnect", "camille", {}), people.jean) is None
    assert ExternalIdentity.select().count() == 1
