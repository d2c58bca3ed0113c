"""The public home page: what the service is and the four ways in, for signed-out
visitors; the sign-in page links to activation and recovery."""

from tests.helpers import make_space, make_user, space_path
from webapp.models.accounts import UserSession

WAYS_IN = ["/connexion", "/activation", "/opposition", "/activation/nouveau-code",
           "/mot-de-passe-oublie", "/aide"]


def test_signed_out_visitors_see_what_it_is_and_the_ways_in(client):
    _r, doc = client.page("/")
    assert doc.find("h1").text == "Bienvenue sur Mon espace santé"
    main = doc.find("main")
    hrefs = {a.get("href") for a in main.find_all("a")}
    assert set(WAYS_IN) <= hrefs
    cards = [h.text for h in main.find_all("h3", class_="card__title")]
    assert cards == ["Se connecter", "Activer mon espace",
                     "M'opposer à la création de mon espace", "J'ai perdu mon code"]
    assert "Vous êtes professionnel de santé ?" in main.text
    assert "Vous êtes médiateur ou médiatrice France Services ?" in main.text
    assert doc.find("form", action="/deconnexion") is None


def test_signed_in_people_keep_their_home(client, db):
    user = make_user()
    space = make_space(user)
    client.sign_in(user.email)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == space_path(space)


def test_after_signing_out_the_public_home_shows(client, db):
    user = make_user()
    make_space(user)
    client.sign_in(user.email)
    client.submit("/deconnexion")
    _r, doc = client.page("/")
    assert doc.find("h1").text == "Bienvenue sur Mon espace santé"


def test_a_session_that_ended_goes_back_to_sign_in(client, db):
    user = make_user()
    make_space(user)
    client.sign_in(user.email)
    UserSession.update(ended_at=UserSession.created_at).execute()  # ended elsewhere
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")


def test_sign_in_page_links_to_activation_and_recovery(client):
    _r, doc = client.page("/connexion")
    hrefs = {a.get("href") for a in doc.find("main").find_all("a")}
    assert {"/activation", "/mot-de-passe-oublie", "/activation/nouveau-code"} <= hrefs


def test_help_and_site_map_lead_to_the_ways_in(client):
    _r, doc = client.page("/aide")
    assert {"/mot-de-passe-oublie", "/activation/nouveau-code"} <= {
        a.get("href") for a in doc.find("main").find_all("a")}
    _r, doc = client.page("/plan-du-site")
    assert set(WAYS_IN[:5]) <= {a.get("href") for a in doc.find("main").find_all("a")}
