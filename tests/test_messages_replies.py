"""Secure messages: unread counts, replies with and without htmx, what was typed kept on
error, closed conversations, caregivers' and mediators' replies, the demo's exchanges."""

import html
import io

from tests.helpers import act_for, make_user, space_path
from tests.messages_support import (
    _at,
    _reply_url,
    add_message,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from webapp.models.messages import Conversation, Message
from webapp.models.notifications import Outbox


def test_unread_count_in_menu_and_inbox_then_read(client, world):
    client.sign_in(world["owner"].email)
    _, doc = client.page(_at(world, "/messages"))
    nav = doc.find("nav", aria_label="Menu principal")
    link = next(a for a in nav.find_all("a") if a.get("href") == _at(world, "/messages"))
    assert "1" in link.find("span", class_="badge").text
    assert "1 non lu" in doc.text
    _, doc = client.page(_at(world, f"/messages/{world['conversation'].id}"))
    assert "Nouveau" in doc.by_id("thread").text
    assert Message.get().read_at is not None
    _, doc = client.page(_at(world, "/messages"))
    assert doc.find("span", class_="badge") is None


def test_reply_without_javascript_redirects_to_the_new_message(client, world):
    client.sign_in(world["owner"].email)
    response = client.submit(_reply_url(world), {"body": "Je vous rappelle demain."})
    assert response.status_code == 303
    message = Message.select().order_by(Message.id.desc()).get()
    assert response.headers["Location"].endswith(f"#message-{message.id}")
    assert message.author_capacity == "owner" and message.author_id == world["owner"].id
    assert Outbox.select().where((Outbox.recipient == world["pro"])
                                 & (Outbox.template == "new_message")).exists()


def test_reply_with_htmx_appends_and_announces(client, world):
    client.sign_in(world["owner"].email)
    response = client.submit(_reply_url(world), {"body": "Réponse rapide"},
                             headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<h1" not in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text and "Votre message est envoyé." in \
        response.text
    message = Message.select().order_by(Message.id.desc()).get()
    assert f'id="message-{message.id}" data-focus-on-load' in response.text
    assert response.text.index("Bonjour, pouvez-vous") < response.text.index("Réponse rapide")


def test_error_keeps_what_was_typed(client, world):
    client.sign_in(world["owner"].email)
    typed = "Un long message important"
    response = client.submit(_reply_url(world), {
        "body": typed, "files": (io.BytesIO(b"MZ\x90\x00\x03\x00"), "virus.exe")},
        content_type="multipart/form-data")
    text = html.unescape(response.text)
    assert response.status_code == 200 and typed in text
    assert "Le fichier « virus.exe » n'est pas d'un type accepté" in text
    response = client.submit(_reply_url(world), {"body": "x" * 5001},
                             headers={"HX-Request": "true"})
    assert response.status_code == 200 and "x" * 5001 in response.text
    assert "5 000 caractères" in response.text
    assert Message.select().count() == 1


def test_closed_conversation_refuses_replies_and_says_why(client, world):
    pro = client.application.test_client()
    pro.sign_in(world["pro"].email)
    url = _at(world, f"/pro/messages/{world['conversation'].id}/clore")
    response = pro.submit(url, {"reason": ""})
    assert response.status_code == 200 and "Indiquez pourquoi" in response.text
    assert pro.submit(url, {"reason": "Question traitée en consultation."}).status_code == 303
    client.sign_in(world["owner"].email)
    _, doc = client.page(_at(world, f"/messages/{world['conversation'].id}"))
    assert doc.by_id("closed-notice") is not None
    assert "Question traitée en consultation." in doc.text
    assert doc.find("textarea") is None
    response = client.submit(_reply_url(world), {"body": "Encore une question"})
    assert response.status_code == 200
    assert "vous ne pouvez plus y répondre" in html.unescape(response.text)
    assert "Encore une question" in response.text
    assert Message.select().count() == 1
    assert pro.submit(_at(world, f"/pro/messages/{world['conversation'].id}/repondre"),
                      {"body": "x"}).status_code == 404


def test_professional_reads_replies_and_writes_again(client, world):
    add_message(world["conversation"], world["owner"], "owner", "Réponse du patient")
    client.sign_in(world["pro"].email)
    _, doc = client.page("/pro/messages")
    assert "1 réponse non lue" in doc.text
    _, doc = client.page(_at(world, f"/pro/messages/{world['conversation'].id}"))
    assert "Réponse du patient" in doc.text
    assert client.submit(_at(world, f"/pro/messages/{world['conversation'].id}/repondre"),
                         {"body": "Merci"}).status_code == 303
    assert Message.select().count() == 3


def test_caregiver_reply_is_stamped(app, world):
    caregiver = make_user(first_name="Sam", last_name="Aidant")
    client = app.test_client()
    act_for(client, caregiver, world["space"], ["messages.read", "messages.reply"],
            kind="caregiver")
    assert client.submit(_reply_url(world), {"body": "J'écris pour elle"}).status_code == 303
    message = Message.select().order_by(Message.id.desc()).get()
    assert message.author_id == caregiver.id and message.author_capacity == "caregiver"
    owner = app.test_client()
    owner.sign_in(world["owner"].email)
    _, doc = owner.page(_at(world, f"/messages/{world['conversation'].id}"))
    assert f"Écrit par Sam AIDANT (aidant) pour {world['space'].display_name}" in doc.text


def test_mediator_reads_only_with_the_scope_and_replies_only_with_reply(app, world):
    client = app.test_client()
    act_for(client, world["mediator"], world["space"], ["messages.read"])
    _, doc = client.page(_at(world, f"/messages/{world['conversation'].id}"))
    assert doc.find("textarea") is None
    assert client.submit(_reply_url(world), {"body": "x"}).status_code == 404
    helper = make_user("mediator")
    client = app.test_client()
    act_for(client, helper, world["space"], ["messages.read", "messages.reply"])
    assert client.submit(_reply_url(world), {"body": "Pour Mme"}).status_code == 303
    assert Message.select().order_by(Message.id.desc()).get().author_capacity == "mediator"


def test_demo_conversations(client, demo):
    camille = demo.spaces["camille"]
    client.sign_in("camille.martin@example.org")
    _, doc = client.page(space_path(camille, "/messages"))
    assert "Vos résultats" in doc.text and "Renouvellement d'ordonnance" in doc.text
    assert doc.find("span", class_="badge").text.startswith("1")
    closed = Conversation.get(Conversation.subject == "Renouvellement d'ordonnance")
    _, doc = client.page(space_path(camille, f"/messages/{closed.id}"))
    assert doc.by_id("closed-notice") is not None
