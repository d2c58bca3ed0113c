"""Pages of the API authorisation: which space, the consent page (new, and with scopes
already allowed), connected apps, reporting an app, a professional's consent and
authorised software, the administrators' registry."""

from urllib.parse import urlencode

from tests.browser.pages_record import at
from webapp.models.smart import SmartClient, SmartConsent
from webapp.models.spaces import Space

CAMILLE = "camille.martin@example.org"
BERNARD = "dr.bernard@example.org"
ADMIN = "admin@example.org"


def _authorize(client_id, scope, **extra):
    query = {"response_type": "code", "client_id": client_id, "scope": scope,
             "redirect_uri": "http://127.0.0.1:9999/callback", "state": "axe-state",
             "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
             "code_challenge_method": "S256", **extra}
    return "/oauth/authorize?" + urlencode(query)


def choose_space():
    """Camille represents Léo: she first chooses the space."""
    return _authorize("demo-pas-a-pas", "launch/patient patient/Observation.rs")


def consent_new():
    """The consent page of an app Camille never answered."""
    camille = Space.get(Space.first_name == "Camille")
    return _authorize("demo-pas-a-pas", "launch/patient patient/Observation.rs "
                      "patient/Immunization.rs offline_access", espace=camille.ref)


def consent_more():
    """Carnet Tension asks for one scope more than Camille allowed."""
    camille = Space.get(Space.first_name == "Camille")
    return _authorize("demo-carnet-tension", "launch/patient patient/Observation.crs "
                      "patient/Patient.r", espace=camille.ref)


def consent_software():
    """Dr Bernard authorises the demo software."""
    return _authorize("demo-cabinet", "user/Patient.rs user/DocumentReference.crs openid "
                      "fhirUser")


def report_page():
    """Reporting Camille's connected app."""
    camille = Space.get(Space.first_name == "Camille")
    consent = SmartConsent.get(SmartConsent.space == camille)
    return f"/espaces/{camille.ref}/applications-connectees/{consent.id}/signaler"


def admin_client():
    """The administrators' page of the demo software."""
    return f"/admin/applications/{SmartClient.get(SmartClient.client_id == 'demo-cabinet').id}"


PAGES = [
    (CAMILLE, choose_space),
    (CAMILLE, consent_new),
    (CAMILLE, consent_more),
    (CAMILLE, at("Camille", "/applications-connectees")),
    (CAMILLE, report_page),
    (BERNARD, consent_software),
    (BERNARD, "/pro/logiciels-autorises"),
    (ADMIN, "/admin/applications"),
    (ADMIN, "/admin/applications/nouvelle?type=app"),
    (ADMIN, admin_client),
]
