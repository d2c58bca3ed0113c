"""Secure messages: access per route (signed out, holder, outsider, professional,
mediator), and what a blocked professional or one on emergency access reaches."""

import datetime as dt
import html
import io

from tests.helpers import PDF, act_for, make_space, make_user, space_path
from tests.messages_support import (
    _at,
    add_message,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from webapp import storage
from webapp.db import utcnow
from webapp.models.documents import Document
from webapp.models.messages import Attachment, Conversation, Message
from webapp.models.notifications import Outbox
from webapp.models.spaces import Block, CareRelation


def _attachment(world):
    message = Message.get()
    digest, size, mime = storage.store(io.BytesIO(PDF))
    return Attachment.create(message=message, filename="a.pdf", sha256=digest, size=size,
                             mime=mime)


CITIZEN_ROUTES = ["/messages/{c}", "/messages/{c}/pieces/{a}"]
PRO_ROUTES = ["/pro/messages/{c}", "/pro/messages/{c}/pieces/{a}"]


def test_access_to_parameter_routes(app, world):
    a = _attachment(world).id
    urls = [_at(world, r.format(c=world["conversation"].id, a=a))
            for r in CITIZEN_ROUTES + PRO_ROUTES]
    for url in urls:
        response = app.test_client().get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    cases = [(world["owner"], None, "citizen"), (world["other"], None, None),
             (world["pro"], None, "pro"), (world["stranger_pro"], None, None),
             (world["mediator"], ["messages.read"], "citizen"),
             (make_user("mediator"), ["agenda.read"], None)]
    for user, scopes, side in cases:
        client = app.test_client()
        if scopes:
            act_for(client, user, world["space"], scopes)
        else:
            client.sign_in(user.email)
        for url in urls:
            allowed = side == ("pro" if "/pro/" in url else "citizen")
            response = client.get(url)
            response.close()
            assert response.status_code == (200 if allowed else 404), (user.role, url)


def test_post_routes_refuse_outsiders(app, world):
    attachment = _attachment(world)
    c = world["conversation"].id
    outsiders = [world["other"], world["stranger_pro"]]
    for user in outsiders:
        client = app.test_client()
        client.sign_in(user.email)
        for url, data in [(f"/messages/{c}/repondre", {"body": "x"}),
                          (f"/messages/{c}/pieces/{attachment.id}/enregistrer", {}),
                          (f"/pro/messages/{c}/repondre", {"body": "x"}),
                          (f"/pro/messages/{c}/clore", {"reason": "x"})]:
            assert client.submit(_at(world, url), data).status_code == 404, (user.role, url)
    client = app.test_client()
    act_for(client, world["mediator"], world["space"], ["messages.read"])
    assert client.submit(_at(world, f"/messages/{c}/pieces/{attachment.id}/enregistrer")
                         ).status_code == 404
    assert Message.select().count() == 1 and not Conversation.get().is_closed


# The leaks of issue 11: what a professional reaches of a patient is decided by the
# policy (care relation, block, their own conversations), on every page.

def _valid_nir(body):
    return body + f"{97 - int(body) % 97:02d}"


def test_blocked_professional_sees_nothing_of_the_patient(app, world):
    patient = make_user(first_name="Hortense", last_name="Vasseur")
    space = make_space(patient, birth_date=dt.date(1971, 6, 2))
    pro = world["pro"]
    CareRelation.create(professional=pro, space=space)
    conversation = Conversation.create(space=space, professional=pro, subject="Biopsie du foie")
    add_message(conversation, pro, "professional", "Les résultats sont arrivés.", files=1)
    attachment = Attachment.get(Attachment.message.in_(conversation.message_rows))
    Block.create(space=space, professional=pro)
    client = app.test_client()
    client.sign_in(pro.email)
    pages = ["/", "/pro/messages", "/pro/messages/nouveau",
             f"/pro/messages/nouveau?patient={space.ref}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = html.unescape(response.text)
        for trace in ("Hortense", "VASSEUR", "Biopsie", "1971"):
            assert trace not in text, (url, trace)
        if "?" not in url:  # (the page's own address is echoed by the language switch)
            assert space.ref not in text, url
    c, a = conversation.id, attachment.id
    for path in ["/", "/documents", "/pro/messages/nouveau", f"/pro/messages/{c}",
                 f"/pro/messages/{c}/pieces/{a}", f"/messages/{c}"]:
        response = client.get(space_path(space, path))
        response.close()
        assert response.status_code == 404, path
    for path, data in [("/pro/messages/nouveau", {"subject": "x", "body": "y"}),
                       (f"/pro/messages/{c}/repondre", {"body": "x"}),
                       (f"/pro/messages/{c}/clore", {"reason": "x"})]:
        assert client.submit(space_path(space, path), data).status_code == 404, path
    assert Message.select().where(Message.conversation == conversation).count() == 1
    assert not Conversation.get_by_id(c).is_closed


def test_following_professional_with_emergency_access_reads_only_their_conversations(
        app, world):
    from webapp.models.privacy import EmergencyAccess

    pro, space, now = world["pro"], world["space"], utcnow()
    EmergencyAccess.create(space=space, professional=pro, kind="break_glass",
                           reason="Patiente inconsciente", started_at=now - dt.timedelta(
                               minutes=1), ends_at=now + dt.timedelta(hours=2))
    colleague = make_user("professional")
    CareRelation.create(professional=colleague, space=space)
    theirs = Conversation.create(space=space, professional=colleague, subject="Suivi psychiatrique")
    add_message(theirs, colleague, "professional", "Comment allez-vous ?", files=1)
    attachment = Attachment.get(Attachment.message.in_(theirs.message_rows))
    mine = world["conversation"]
    client = app.test_client()
    client.sign_in(pro.email)
    client.page(_at(world, f"/pro/messages/{mine.id}"))  # their own conversation opens
    t, a = theirs.id, attachment.id
    for path in [f"/messages/{t}", f"/messages/{t}/pieces/{a}", f"/pro/messages/{t}",
                 f"/pro/messages/{t}/pieces/{a}", f"/pro/messages/{mine.id}/pieces/{a}",
                 "/messages"]:
        response = client.get(_at(world, path))
        response.close()
        assert response.status_code == 404, path
    for path, data in [(f"/messages/{t}/repondre", {"body": "x"}),
                       (f"/messages/{t}/pieces/{a}/enregistrer", {}),
                       (f"/pro/messages/{t}/repondre", {"body": "x"}),
                       (f"/pro/messages/{t}/clore", {"reason": "x"})]:
        assert client.submit(_at(world, path), data).status_code == 404, path
    for url in ["/", "/pro/messages", _at(world, "/")]:
        _, doc = client.page(url)
        assert "Suivi psychiatrique" not in doc.text, url
    _, doc = client.page("/pro/messages")
    assert mine.subject in doc.text
    assert Message.select().where(Message.conversation == theirs).count() == 1
    assert not Conversation.get_by_id(t).is_closed and Document.select().count() == 0


def test_emergency_form_on_a_followed_patient_opens_no_emergency_access(client, world):
    from webapp.models.privacy import EmergencyAccess

    patient = make_user()
    space = make_space(patient, nir=_valid_nir("2840575123456"), birth_date=dt.date(1984, 5, 14))
    CareRelation.create(professional=world["pro"], space=space)
    client.sign_in(world["pro"].email)
    response = client.submit("/urgence", {"nir": space.nir, "birth_date": "14/05/1984",
                                          "reason": "Patiente inconsciente aux urgences"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(space_path(space, "/documents"))
    assert EmergencyAccess.select().count() == 0
    assert not Outbox.select().where(Outbox.template == "emergency_access").exists()
    client.page(space_path(space, "/documents"))  # the record of one's patient
