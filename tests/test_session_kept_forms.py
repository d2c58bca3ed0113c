"""A form sent after the session ended is kept: sealed in the database, for an hour, for
this browser and this account only, and filled in again (never sent) on the page it was
sent from once the same person has signed in again; htmx gets HX-Redirect, never a page
in a fragment; "next" after sign-in is a page of this site that a GET shows."""

import datetime as dt
import io

import pytest

from tests.helpers import PDF, make_space, make_user, space_path, totp_now
from tests.messages_support import add_message
from webapp.db import database, utcnow
from webapp.models.accounts import UserSession
from webapp.models.kept_forms import KeptForm
from webapp.models.messages import Conversation, Message
from webapp.models.spaces import CareRelation

EMAIL_PAGE = "http://localhost/compte/email"
WIZARD = "/mandats/nouveau/personne"
TYPED = "nouvelle.adresse-tapee@example.org"


def _end_by_idling(user):
    """Thirty-one idle minutes: the app ends a citizen's session at the next request."""
    UserSession.update(last_seen=utcnow() - dt.timedelta(minutes=31)).where(
        UserSession.user == user).execute()


def _send_email_form_after_end(client, user):
    client.sign_in(user.email)
    _end_by_idling(user)
    return client.submit("/compte/email", {"email": TYPED, "password": "secret-typed"},
                         headers={"Referer": EMAIL_PAGE})


@pytest.fixture
def talk(db):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    conversation = Conversation.create(space=space, professional=pro, subject="Vos résultats")
    add_message(conversation, pro, "professional", "Bonjour, pouvez-vous me rappeler ?")
    page = space_path(space, f"/messages/{conversation.id}")
    return dict(owner=owner, page=page, reply=page + "/repondre", conversation=conversation)


def test_plain_post_after_the_end_comes_back_filled_after_sign_in(client, talk):
    client.sign_in(talk["owner"].email)
    _end_by_idling(talk["owner"])
    draft = "Merci docteur, je vous rappelle demain matin."
    response = client.submit(talk["reply"], {"body": draft},
                             headers={"Referer": "http://localhost" + talk["page"]})
    assert response.status_code == 303
    assert response.headers["Location"] == "/connexion?next=" + talk["page"]
    _r, doc = client.page(response.headers["Location"])
    assert "Ce que vous aviez saisi est conservé" in doc.find("main").text
    assert doc.find("form", action="/connexion").find("input", name="next").get(
        "value") == talk["page"]
    signed = client.submit("/connexion", {"email": talk["owner"].email,
                                          "password": "demo-Espace-2026",
                                          "next": talk["page"]})
    assert signed.headers["Location"] == talk["page"]  # not "Page introuvable"
    _r, doc = client.page(talk["page"])
    assert doc.by_id("body").text == draft
    assert "pas encore envoyé" in doc.find("main").text
    assert not Message.select().where(Message.body == draft).exists()  # never sent for them
    _r, doc = client.page(talk["page"])
    assert doc.by_id("body").text == ""  # given back once
    assert client.submit(talk["reply"], {"body": draft}).status_code == 303
    assert Message.select().where(Message.body == draft).count() == 1


def test_htmx_after_the_end_gets_hx_redirect_and_no_page(client, talk):
    client.sign_in(talk["owner"].email)
    _end_by_idling(talk["owner"])
    current = "http://localhost" + talk["page"]
    response = client.submit(talk["reply"], {"body": "Brouillon htmx"},
                             headers={"HX-Request": "true", "HX-Current-URL": current})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/connexion?next=")
    assert "<main" not in response.text and "<h1" not in response.text
    assert KeptForm.select().count() == 1
    fragment = client.get(talk["page"], headers={"HX-Request": "true", "HX-Current-URL": current})
    assert fragment.headers["HX-Redirect"].startswith("/connexion?next=")
    assert "<main" not in fragment.text


def test_mediator_whose_code_is_due_gets_it_back_after_the_code(client, db):
    mediator = make_user("mediator")
    client.sign_in(mediator.email)
    UserSession.update(last_seen=utcnow() - dt.timedelta(minutes=16)).where(
        UserSession.user == mediator).execute()
    response = client.submit(WIZARD, {"nir": "284057505612387"},
                             headers={"Referer": "http://localhost" + WIZARD})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/connexion/verification?next=")
    htmx = client.get("/", headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/"})
    assert htmx.headers["HX-Redirect"].startswith("/connexion/verification")
    response = client.submit(response.headers["Location"],
                             {"code": totp_now(mediator.totp_secret, 1)})
    assert response.headers["Location"] == WIZARD
    _r, doc = client.page(WIZARD)
    assert doc.by_id("nir").get("value") == "284057505612387"


def test_kept_values_are_sealed_and_secrets_never_kept(client, db):
    citizen = make_user()
    response = _send_email_form_after_end(client, citizen)
    assert response.status_code == 303
    row = KeptForm.get()
    assert row.sealed.startswith("enc1:") and row.user_id == citizen.id
    raw = database.execute_sql(f'SELECT * FROM "{KeptForm._meta.table_name}"').fetchall()
    dump = repr(raw)
    assert TYPED not in dump and "nouvelle.adresse" not in dump and "secret-typed" not in dump
    client.sign_in(citizen.email)
    _r, doc = client.page("/compte/email")
    assert doc.by_id("email").get("value") == TYPED
    assert doc.by_id("password").get("value") in (None, "")  # a password is typed again


def test_another_account_on_the_same_browser_gets_nothing(client, db):
    alice, bob = make_user(), make_user()
    _send_email_form_after_end(client, alice)
    client.sign_in(bob.email)  # same browser, same cookies
    _r, doc = client.page("/compte/email")
    assert doc.by_id("email").get("value") in (None, "")
    assert "conservé" not in doc.find("main").text
    client.submit("/deconnexion")
    client.sign_in(alice.email)  # still hers, in this browser
    _r, doc = client.page("/compte/email")
    assert doc.by_id("email").get("value") == TYPED


def test_another_browser_gets_nothing(app, client, db):
    alice = make_user()
    _send_email_form_after_end(client, alice)
    other = app.test_client()
    other.sign_in(alice.email)
    _r, doc = other.page("/compte/email")
    assert doc.by_id("email").get("value") in (None, "")


def test_kept_for_an_hour_only(client, db):
    alice = make_user()
    _send_email_form_after_end(client, alice)
    row = KeptForm.get()
    assert dt.timedelta(minutes=59) < row.expires_at - row.created_at <= dt.timedelta(hours=1)
    KeptForm.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    client.sign_in(alice.email)
    _r, doc = client.page("/compte/email")
    assert doc.by_id("email").get("value") in (None, "")


def test_files_are_not_kept_and_the_person_is_told(client, talk):
    client.sign_in(talk["owner"].email)
    _end_by_idling(talk["owner"])
    client.submit(talk["reply"], {"body": "Voici le document.",
                                  "files": (io.BytesIO(PDF), "ordonnance.pdf")},
                  headers={"Referer": "http://localhost" + talk["page"]},
                  content_type="multipart/form-data")
    row = KeptForm.get()
    assert row.files_dropped == 1
    client.sign_in(talk["owner"].email)
    _r, doc = client.page(talk["page"])
    assert doc.by_id("body").text == "Voici le document."
    assert "Le fichier choisi n'a pas été conservé : choisissez-le à nouveau." in doc.find(
        "main").text


def test_a_post_without_a_page_to_return_to_is_not_kept_nor_lost_in_a_404(client, talk):
    client.sign_in(talk["owner"].email)
    _end_by_idling(talk["owner"])
    response = client.submit(talk["reply"], {"body": "Sans page d'origine"})
    assert response.headers["Location"] == "/connexion"
    assert KeptForm.select().count() == 0
    signed = client.submit("/connexion", {"email": talk["owner"].email,
                                          "password": "demo-Espace-2026", "next": talk["reply"]})
    assert signed.headers["Location"] == "/"  # a POST-only address is no page to land on


@pytest.mark.parametrize("target", [
    "//evil.example/x", "https://evil.example/", "/\\evil.example", "\\/evil.example",
    "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "evil.example",
    "http://localhost/compte", "/nulle-part-ici"])
def test_next_after_sign_in_is_a_page_of_this_site(client, db, target):
    citizen = make_user()
    response = client.submit("/connexion", {"email": citizen.email,
                                            "password": "demo-Espace-2026", "next": target})
    assert response.headers["Location"] == "/"


def test_next_after_sign_in_keeps_a_real_page_and_its_query(client, db):
    citizen = make_user()
    response = client.submit("/connexion", {"email": citizen.email, "password": "demo-Espace-2026",
                                            "next": "/compte/email?x=1"})
    assert response.headers["Location"] == "/compte/email?x=1"


def test_a_form_shown_again_with_an_error_comes_back_on_its_page(client, talk):
    client.sign_in(talk["owner"].email)
    client.submit(talk["reply"], {"body": ""})  # an error: the browser now shows …/repondre
    _end_by_idling(talk["owner"])
    response = client.submit(talk["reply"], {"body": "Deuxième essai"},
                             headers={"Referer": "http://localhost" + talk["reply"]})
    assert response.headers["Location"] == "/connexion?next=" + talk["page"]
    client.sign_in(talk["owner"].email)
    _r, doc = client.page(talk["page"])
    assert doc.by_id("body").text == "Deuxième essai"


def test_a_referer_from_another_site_is_no_page_to_return_to(client, talk):
    client.sign_in(talk["owner"].email)
    _end_by_idling(talk["owner"])
    response = client.submit(talk["reply"], {"body": "x"},
                             headers={"Referer": "https://evil.example" + talk["page"]})
    assert response.headers["Location"] == "/connexion"
    assert KeptForm.select().count() == 0
