"""Sign-in, sessions, TOTP, rate limits and CSRF."""

import pytest

from tests.helpers import PASSWORD, make_user, totp_now
from webapp.models.accounts import User, UserSession
from webapp.security import totp_at


def test_sign_in_page_is_labelled_and_allows_password_managers(client):
    _, doc = client.page("/connexion")
    email, password = doc.by_id("email"), doc.by_id("password")
    assert email.get("autocomplete") == "username"
    assert password.get("autocomplete") == "current-password"
    assert "onpaste" not in password.attrs
    assert {label.get("for") for label in doc.find_all("label")} >= {"email", "password"}


def test_sign_in_rotates_session_and_logout_ends_it(client, db):
    make_user(email="a@example.org")
    client.page("/connexion")
    with client.session_transaction() as s:
        s["marker"] = "anonymous"
    response = client.sign_in("a@example.org")
    assert response.headers["Location"] == "/"
    with client.session_transaction() as s:
        assert "marker" not in s  # nothing of the anonymous session survives
        token = s["_user_id"]
    assert UserSession.live().count() == 1
    client.page("/")
    client.submit("/deconnexion")
    assert UserSession.live().count() == 0
    # a stolen cookie with the old token no longer works
    with client.session_transaction() as s:
        s["_user_id"] = token
    assert client.get("/").status_code == 302


def test_cookie_flags(app, client, db):
    make_user(email="a@example.org")
    response = client.submit("/connexion", {"email": "a@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_by_default(monkeypatch, tmp_path):
    from webapp import config

    monkeypatch.delenv("WEBAPP_SECURE_COOKIES", raising=False)
    settings = config.from_environment(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_NAME"] == "__Host-session"
    monkeypatch.setenv("WEBAPP_SECURE_COOKIES", "0")
    assert config.from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is False


def test_generated_secret_key_is_kept(monkeypatch, tmp_path):
    from webapp import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.from_environment(tmp_path)["SECRET_KEY"]
    assert len(first) >= 64 and config.from_environment(tmp_path)["SECRET_KEY"] == first
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert config.from_environment(tmp_path)["SECRET_KEY"] == "from-env"


@pytest.mark.parametrize("email,password", [
    ("a@example.org", "wrong-password"), ("nobody@example.org", PASSWORD)])
def test_failures_give_one_generic_message(client, db, email, password):
    make_user(email="a@example.org")
    response, doc = client.page("/connexion")
    response = client.submit("/connexion", {"email": email, "password": password})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.text
    assert "Erreur :" in response.text.split("</title>")[0]
    assert f'value="{email}"' in response.text  # what was typed is kept


def test_empty_fields_are_reported_in_summary(client):
    response = client.submit("/connexion", {"email": "", "password": ""})
    assert "Il y a 2 erreurs dans le formulaire" in response.text
    assert 'href="#email"' in response.text and 'href="#password"' in response.text


def test_deactivated_account_cannot_sign_in(client, db):
    make_user(email="a@example.org", active=False)
    response = client.submit("/connexion", {"email": "a@example.org", "password": PASSWORD})
    assert "Adresse e-mail ou mot de passe incorrect" in response.text


def test_rehash_on_login_when_parameters_change(app, client, db):
    user = make_user(email="a@example.org")
    old = user.password_hash
    app.config["ARGON2_PROFILE"] = "rfc_9106_low_memory"
    client.sign_in("a@example.org")
    new = User.get_by_id(user.id).password_hash
    assert new != old and new.startswith("$argon2id$") and "m=65536" in new


def test_login_rate_limited_per_account(client, db):
    make_user(email="a@example.org")
    for _ in range(5):
        client.submit("/connexion", {"email": "a@example.org", "password": "nope"})
    response = client.submit("/connexion", {"email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text
    # another account from the same address is not blocked yet
    make_user(email="b@example.org")
    assert client.submit("/connexion", {"email": "b@example.org",
                                        "password": PASSWORD}).status_code == 303


def test_login_rate_limited_per_address(client, db):
    for n in range(30):
        client.submit("/connexion", {"email": f"x{n}@example.org", "password": "nope"})
    make_user(email="a@example.org")
    response = client.submit("/connexion", {"email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 429


def test_mediator_needs_totp(client, db):
    mediator = make_user("mediator", email="m@example.org")
    response = client.submit("/connexion", {"email": "m@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/connexion/code"
    assert client.get("/agenda").status_code == 302  # not signed in yet
    bad = client.submit("/connexion/code", {"code": "000000"})
    assert "Ce code est incorrect" in bad.text
    code = totp_now(mediator.totp_secret)
    assert client.submit("/connexion/code", {"code": code}).status_code == 303
    client.page("/")
    # the same code cannot be used twice
    client.submit("/deconnexion")
    client.submit("/connexion", {"email": "m@example.org", "password": PASSWORD})
    assert "Ce code est incorrect" in client.submit("/connexion/code", {"code": code}).text


def test_mediator_idle_asks_for_new_code(client, db):
    import datetime as dt

    mediator = make_user("mediator", email="m@example.org")
    client.sign_in("m@example.org")
    row = UserSession.get(UserSession.user == mediator)
    row.last_seen = row.last_seen - dt.timedelta(minutes=16)
    row.save()
    response = client.get("/")
    assert response.status_code == 302 and "/connexion/verification" in response.headers["Location"]
    _, doc = client.page("/connexion/verification")
    mediator = User.get_by_id(mediator.id)
    code = totp_now(mediator.totp_secret, offset=1)  # next step: never used yet
    response = client.submit("/connexion/verification?next=/", {"code": code})
    assert response.status_code == 303
    client.page("/")


def test_mediator_session_lasts_a_working_day(client, db):
    import datetime as dt

    mediator = make_user("mediator", email="m@example.org")
    client.sign_in("m@example.org")
    row = UserSession.get(UserSession.user == mediator)
    row.created_at = row.created_at - dt.timedelta(hours=10, minutes=1)
    row.save()
    assert client.get("/").status_code == 302
    assert UserSession.live().count() == 0


def test_csrf_required_on_posts(app, client, db):
    app.config["WTF_CSRF_ENABLED"] = True
    make_user(email="a@example.org")
    response = client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 400 and "Formulaire expiré" in response.text
    # htmx requests send the token in a header
    token = client.csrf_token()
    response = client.post("/langue", data={"lang": "en"},
                           headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code in (200, 303)


def test_next_parameter_never_leaves_the_site(client, db):
    make_user(email="a@example.org")
    response = client.submit("/connexion?next=//evil.example/x",
                             {"email": "a@example.org", "password": PASSWORD,
                              "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/agenda")  # a page of one's own: sign in first
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    _, doc = client.page("/")  # the home page is public
    assert doc.find("a", href="/connexion") is not None


def test_totp_matches_rfc_6238_test_vectors():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890"
    assert totp_at(secret, 59 // 30, digits=8) == "94287082"
    assert totp_at(secret, 1111111109 // 30, digits=8) == "07081804"
    assert totp_at(secret, 1234567890 // 30, digits=8) == "89005924"


def test_demo_secret_works(client, demo):
    client.sign_in("amina.diallo@example.org", totp_secret="JBSWY3DPEHPK3PXP")
    _, doc = client.page("/")
    assert doc.find("h1").text == "Mes usagers"
