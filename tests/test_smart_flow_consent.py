"""The authorization-code flow with PKCE, driven with Authlib's client: consent scope by
scope in plain words, a token that carries only what was accepted and the patient,
a consent remembered, a guardian choosing the child's space, and who may authorise
an app or a professional's software."""

from tests.helpers import make_child, make_user
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
from webapp.models.audit import AccessLog
from webapp.models.smart import SmartConsent
from webapp.smart import clients
from webapp.smart.resource import authenticate


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
