"""Secure messages: who may start a conversation (a professional with a patient in care,
a holder only with a professional who wrote and did not close), and what the
notification of a new message says."""

import datetime as dt
import html

from tests.helpers import act_for, make_child, make_space, make_user, space_path
from tests.messages_support import _at, world_fixture  # noqa: F401 (the fixture "world")
from webapp import mail
from webapp.db import utcnow
from webapp.models.messages import Conversation
from webapp.models.notifications import Outbox
from webapp.models.spaces import Block, CareRelation


def test_professional_starts_a_conversation_with_a_patient(client, world):
    client.sign_in(world["pro"].email)
    _, doc = client.page("/pro/messages/nouveau")
    options = [o.get("value") for o in doc.by_id("patient").find_all("option")]
    assert world["space"].ref in options
    response = client.get(f"/pro/messages/nouveau?patient={world['space'].ref}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_at(world, "/pro/messages/nouveau"))
    client.page(_at(world, "/pro/messages/nouveau"))
    response = client.submit(_at(world, "/pro/messages/nouveau"), {
        "subject": "Vaccin", "body": "Pensez au rappel."})
    assert response.status_code == 303
    conversation = Conversation.get(Conversation.subject == "Vaccin")
    assert conversation.space_id == world["space"].id
    assert Outbox.select().where((Outbox.recipient == world["owner"])
                                 & (Outbox.template == "new_message")).count() == 2  # e-mail, app


def test_professional_cannot_write_to_someone_not_in_care_or_who_blocked(client, world):
    stranger_space = make_space(make_user())
    client.sign_in(world["pro"].email)
    response = client.get(f"/pro/messages/nouveau?patient={stranger_space.ref}")
    assert response.status_code == 200 and "Choisissez un patient dans la liste." in \
        html.unescape(response.text)
    letter = {"subject": "Bonjour", "body": "Texte"}
    assert client.submit(space_path(stranger_space, "/pro/messages/nouveau"),
                         letter).status_code == 404
    Block.create(space=world["space"], professional=world["pro"])
    _, doc = client.page("/pro/messages/nouveau")
    assert doc.find("select") is None  # no patient left
    response = client.get(f"/pro/messages/nouveau?patient={world['space'].ref}")
    assert response.status_code == 200
    assert client.submit(_at(world, "/pro/messages/nouveau"), letter).status_code == 404
    assert Conversation.select().count() == 1
    client.page(_at(world, f"/pro/messages/{world['conversation'].id}"),
                status=404)  # blocked: no reading


def test_citizen_cannot_start_a_conversation(client, world):
    client.sign_in(world["owner"].email)
    client.page("/pro/messages/nouveau", status=404)
    assert client.submit(_at(world, "/pro/messages/nouveau"), {
        "subject": "x", "body": "y"}).status_code == 404
    assert Conversation.select().count() == 1


def test_citizen_writes_only_to_a_professional_who_wrote_and_did_not_close(client, world):
    client.sign_in(world["owner"].email)
    _, doc = client.page(_at(world, "/messages"))
    assert doc.find("a", href=_at(world, "/messages/nouveau")) is not None
    _, doc = client.page(_at(world, "/messages/nouveau"))
    options = [o.get("value") for o in doc.by_id("professional").find_all("option")]
    assert options == ["0", str(world["pro"].id)]
    response = client.submit(_at(world, "/messages/nouveau"), {
        "professional": world["stranger_pro"].id, "subject": "Question", "body": "Bonjour"})
    assert response.status_code == 200
    assert "Choisissez un professionnel dans la liste." in html.unescape(response.text)
    assert 'value="Question"' in response.text
    response = client.submit(_at(world, "/messages/nouveau"), {
        "professional": world["pro"].id, "subject": "Question", "body": "Bonjour docteur"})
    assert response.status_code == 303
    started = Conversation.get(Conversation.subject == "Question")
    assert started.professional_id == world["pro"].id and started.space_id == world["space"].id
    for c in Conversation.select():
        c.closed_at = utcnow()
        c.save()
    _, doc = client.page(_at(world, "/messages/nouveau"))
    assert doc.find("select") is None  # every exchange closed: nobody to write to
    response = client.submit(_at(world, "/messages/nouveau"), {
        "professional": world["pro"].id, "subject": "Encore", "body": "Bonjour"})
    assert response.status_code == 200 and Conversation.select().count() == 2


def test_new_message_page_access(app, world):
    own = make_space(world["other"])
    url = _at(world, "/messages/nouveau")
    response = app.test_client().get(url)
    assert response.status_code == 302
    for user, scopes, status in [(world["other"], None, 404), (world["pro"], None, 404),
                                 (world["mediator"], ["messages.read"], 404)]:
        client = app.test_client()
        if scopes:
            act_for(client, user, world["space"], scopes)
        else:
            client.sign_in(user.email)
        assert client.get(url).status_code == status, user.role
    client = app.test_client()
    client.sign_in(world["other"].email)
    response = client.get(space_path(own, "/messages/nouveau"))  # their own space
    assert response.status_code == 200
    assert "Aucun échange ouvert" in html.unescape(response.text)  # nobody wrote to them


def test_notification_of_a_message_says_nothing_of_its_content(app, world):
    parent = make_user()
    child = make_child(parent, dt.date(2016, 4, 1))
    CareRelation.create(professional=world["pro"], space=child)
    client = app.test_client()
    client.sign_in(world["pro"].email)
    response = client.submit(space_path(child, "/pro/messages/nouveau"), {
        "subject": "Sérologie positive", "body": "Traitement à débuter"})
    assert response.status_code == 303
    row = Outbox.get((Outbox.recipient == parent) & (Outbox.template == "new_message")
                     & (Outbox.channel == "email"))
    started = Conversation.get(Conversation.space == child)
    assert row.link == space_path(child, f"/messages/{started.id}")  # the child's space
    message = mail.build(row)
    text = message["Subject"] + message.get_content()
    assert "Sérologie" not in text and "Traitement" not in text and "Nouveau message" in text
