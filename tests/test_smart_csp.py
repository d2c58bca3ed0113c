"""The page policy lets a consent end at the app: browsers check form-action on the
redirections that follow a form, so the consent page and a sign-in page leading to an
authorisation allow the client's redirect origins, and no other page does."""

from urllib.parse import quote

from webapp.smart import clients


def _form_action(response):
    policy = response.headers["Content-Security-Policy"]
    return next(p for p in policy.split("; ") if p.startswith("form-action"))


def test_a_sign_in_leading_to_an_authorisation_allows_the_apps_origins(client, db):
    app = clients.register("Carnet Test", "app", ["http://127.0.0.1/callback",
                                                  "https://carnet.example.org/retour"])
    following = quote(f"/oauth/authorize?client_id={app.client_id}&response_type=code")
    response = client.get(f"/connexion?next={following}")
    assert "http://127.0.0.1:*" in _form_action(response)
    assert "https://carnet.example.org" in _form_action(response)


def test_other_pages_keep_their_forms_on_the_service(client, db):
    clients.register("Carnet Test", "app", ["https://carnet.example.org/retour"])
    assert _form_action(client.get("/connexion")) == "form-action 'self'"
    unknown = quote("/oauth/authorize?client_id=nobody")
    assert _form_action(client.get(f"/connexion?next={unknown}")) == "form-action 'self'"
    elsewhere = quote("https://evil.example/oauth/authorize?client_id=x")
    assert _form_action(client.get(f"/connexion?next={elsewhere}")) == "form-action 'self'"
