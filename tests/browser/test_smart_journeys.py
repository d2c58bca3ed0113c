"""An app reaches Camille's space the standard way: Authlib's client builds the request
(PKCE S256), Camille signs in and answers the consent page with the keyboard only in
Chromium (refusing one scope), the app exchanges the code and calls the API. Dr BERNARD
authorises his practice software the same way, with `user/` scopes."""

from urllib.parse import urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from tests.browser.conftest import PASSWORD, _context, set_language

CAMILLE = "camille.martin@example.org"
REDIRECT = "http://127.0.0.1:47113/callback"  # registered without port (RFC 8252)
ASKED = "launch/patient patient/Patient.r patient/Immunization.rs offline_access"


def _tab_to(page, element_id, limit=80):
    """Press Tab until the element with this id has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"never focused: #{element_id}")


@pytest.fixture
def page_with_csp(browser, live_server):
    """The page policy enforced: the consent's redirection to the app must be allowed."""
    context = _context(browser, live_server, bypass_csp=False)
    yield context.new_page()
    context.close()


def test_an_app_is_authorised_with_the_keyboard_and_reads_the_patient(page_with_csp,
                                                                        live_server,
                                                                        app_context):
    page = page_with_csp
    from webapp.models.spaces import Space

    with app_context:
        camille_ref = Space.get(Space.first_name == "Camille").ref
    session = OAuth2Session("demo-rappel-vaccins", scope=ASKED, redirect_uri=REDIRECT,
                            code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier = generate_token(48)
    url, state = session.create_authorization_url(f"{live_server}/oauth/authorize",
                                                  code_verifier=verifier)
    came_back = []
    page.route(REDIRECT + "*", lambda route: (came_back.append(route.request.url),
                                              route.fulfill(status=200, body="ok")))
    parts = urlsplit(url)
    page.goto(f"{parts.path}?{parts.query}")  # not signed in: the sign-in page first
    assert "/connexion" in page.url
    _tab_to(page, "email")
    page.keyboard.type(CAMILLE)
    _tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    set_language(page, "fr")
    assert page.locator("h1").inner_text() == "Autoriser Rappel Vaccins"
    # Camille represents Léo: she chooses her own space
    _tab_to(page, "espace-0")
    page.keyboard.press("Space")
    assert page.locator("#espace-0").is_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    legends = page.locator("main legend").all_inner_texts()
    assert legends[2] == "Lire et rechercher dans vos vaccinations"
    for n in (0, 1, 3):  # allow launch/patient, Patient.r, offline_access
        _tab_to(page, f"q{n}-0")
        page.keyboard.press("Space")
    _tab_to(page, "q2-0")
    page.keyboard.press("ArrowDown")  # within the group: "Refuser"
    assert page.locator("#q2-1").is_checked()
    page.keyboard.press("Shift+Tab")  # back out, then to the submit button
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "answer":
            break
    page.keyboard.press("Enter")
    for _ in range(50):
        if came_back:
            break
        page.wait_for_timeout(100)
    assert came_back, page.url
    token = session.fetch_token(f"{live_server}/oauth/token", authorization_response=came_back[0],
                                code_verifier=verifier, state=state)
    assert token["patient"] == camille_ref
    assert set(token["scope"].split()) == {"launch/patient", "patient/Patient.r",
                                           "offline_access"}
    api = requests.get(f"{live_server}/fhir/Patient/{camille_ref}",
                       headers={"Authorization": f"Bearer {token['access_token']}",
                                "Accept": "application/fhir+json"}, timeout=10)
    assert api.status_code == 200 and api.json()["resourceType"] == "Patient"
    refreshed = session.refresh_token(f"{live_server}/oauth/token",
                                      refresh_token=token["refresh_token"],
                                      scope=token["scope"])  # not more than granted
    assert refreshed["access_token"] != token["access_token"]
    old = requests.get(f"{live_server}/fhir/Patient/{camille_ref}",
                       headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10)
    assert old.status_code == 401


BERNARD = "dr.bernard@example.org"
SOFTWARE_REDIRECT = "http://127.0.0.1:47114/callback"
SOFTWARE_ASKED = "user/Patient.rs user/DocumentReference.crs openid fhirUser"


def _answer_each(page, refuse):
    """Allow every question of the consent page but those whose legend holds `refuse`,
    with the keyboard (Space on "Autoriser", ArrowDown to "Refuser"), then submit."""
    legends = page.locator("main legend").all_inner_texts()
    for n, legend in enumerate(legends):
        _tab_to(page, f"q{n}-0")
        if refuse in legend:
            page.keyboard.press("ArrowDown")
            assert page.locator(f"#q{n}-1").is_checked()
        else:
            page.keyboard.press("Space")
            assert page.locator(f"#q{n}-0").is_checked()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "answer":
            break
    page.keyboard.press("Enter")
    return legends


def test_a_professional_authorises_the_practice_software_with_the_keyboard(page_with_csp,
                                                                           live_server,
                                                                           app_context):
    page = page_with_csp
    from webapp.models.spaces import Space

    with app_context:
        camille_ref = Space.get(Space.first_name == "Camille").ref
    session = OAuth2Session("demo-cabinet", scope=SOFTWARE_ASKED,
                            redirect_uri=SOFTWARE_REDIRECT, code_challenge_method="S256",
                            token_endpoint_auth_method="none")
    verifier = generate_token(48)
    url, state = session.create_authorization_url(f"{live_server}/oauth/authorize",
                                                  code_verifier=verifier)
    came_back = []
    page.route(SOFTWARE_REDIRECT + "*", lambda route: (came_back.append(route.request.url),
                                                       route.fulfill(status=200, body="ok")))
    parts = urlsplit(url)
    page.goto(f"{parts.path}?{parts.query}")
    assert "/connexion" in page.url
    _tab_to(page, "email")
    page.keyboard.type(BERNARD)
    _tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    set_language(page, "fr")
    assert page.locator("h1").inner_text() == "Autoriser Cabinet Démo"  # no space to choose
    legends = _answer_each(page, refuse="documents de vos patients")
    assert any("documents de vos patients" in legend for legend in legends)
    for _ in range(50):
        if came_back:
            break
        page.wait_for_timeout(100)
    assert came_back, page.url
    token = session.fetch_token(f"{live_server}/oauth/token", authorization_response=came_back[0],
                                code_verifier=verifier, state=state)
    assert "patient" not in token and "id_token" in token
    assert not any(s.startswith("user/DocumentReference") for s in token["scope"].split())
    headers = {"Authorization": f"Bearer {token['access_token']}",
               "Accept": "application/fhir+json"}
    followed = requests.get(f"{live_server}/fhir/Patient/{camille_ref}", headers=headers,
                            timeout=10)
    assert followed.status_code == 200 and followed.json()["id"] == camille_ref
    refused = requests.get(f"{live_server}/fhir/DocumentReference?patient={camille_ref}",
                           headers=headers, timeout=10)
    assert refused.status_code == 403  # the scope he refused is not in the token
