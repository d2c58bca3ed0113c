"""Secure messages: who may start, read and reply; closed conversations; attachments;
caregivers' replies stamped; htmx and plain replies; unread counts; access per route."""

import datetime as dt
import html
import io

import pytest

from tests.helpers import PDF, act_for, logged, make_child, make_space, make_user, space_path
from webapp import mail, storage
from webapp.db import utcnow
from webapp.models.documents import Document
from webapp.models.messages import Attachment, Conversation, Message
from webapp.models.notifications import Outbox
from webapp.models.spaces import Block, CareRelation


def add_message(conversation, author, capacity, body, files=0):
    """A message written in a conversation (with `files` stored attachments)."""
    message = Message.create(conversation=conversation, author=author,
                             author_capacity=capacity, body=body)
    for n in range(files):
        digest, size, mime = storage.store(io.BytesIO(PDF))
        Attachment.create(message=message, filename=f"piece-{n}.pdf", sha256=digest,
                          size=size, mime=mime)
    conversation.last_message_at = message.created_at
    conversation.save()
    return message


@pytest.fixture
def world(db):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    conversation = Conversation.create(space=space, professional=pro, subject="Vos résultats")
    add_message(conversation, pro, "professional", "Bonjour, pouvez-vous me rappeler ?")
    return dict(owner=owner, space=space, pro=pro, conversation=conversation,
                other=make_user(), stranger_pro=make_user("professional"),
                mediator=make_user("mediator"))


def _at(world, path):
    return space_path(world["space"], path)


def _reply_url(world):
    return _at(world, f"/messages/{world['conversation'].id}/repondre")


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


@pytest.mark.parametrize("content,name,error", [
    (b"", "vide.pdf", "est vide"),
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "gros.pdf", "dépasse 5 Mo"),
    (b"\x00\x01binary", "data.bin", "n'est pas d'un type accepté"),
])
def test_attachment_validation(client, world, content, name, error):
    client.sign_in(world["owner"].email)
    response = client.submit(_reply_url(world), {
        "body": "Voici", "files": (io.BytesIO(content), name)},
        content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # the test client leaves it open
    assert response.status_code == 200 and error in html.unescape(response.text)
    assert Attachment.select().count() == 0


def test_attachment_sent_downloaded_and_saved_into_record(client, world):
    client.sign_in(world["owner"].email)
    response = client.submit(_reply_url(world), {
        "body": "Voici le compte rendu",
        "files": [(io.BytesIO(PDF), "../../docs/compte-rendu.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 303
    attachment = Attachment.get()
    assert attachment.filename == "compte-rendu.pdf" and attachment.mime == "application/pdf"
    url = _at(world, f"/messages/{world['conversation'].id}/pieces/{attachment.id}")
    download = client.get(url)
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    download.close()
    pro = client.application.test_client()
    pro.sign_in(world["pro"].email)
    download = pro.get(_at(world,
                              f"/pro/messages/{world['conversation'].id}/pieces/{attachment.id}"))
    assert download.data == PDF
    download.close()
    assert client.submit(url + "/enregistrer").status_code == 303
    doc = Document.get()
    assert doc.sha256 == attachment.sha256 and doc.space_id == world["space"].id
    assert doc.source == "message"
    assert logged(doc, f"attachment:{attachment.id}").count() == 1  # one entry says both
    assert logged(attachment, "download").count() == 2  # the holder, then the professional
    assert client.submit(url + "/enregistrer").status_code == 303
    assert Document.select().count() == 1  # saved once


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


def test_demo_conversations(client, demo):
    camille = demo.spaces["camille"]
    client.sign_in("camille.martin@example.org")
    _, doc = client.page(space_path(camille, "/messages"))
    assert "Vos résultats" in doc.text and "Renouvellement d'ordonnance" in doc.text
    assert doc.find("span", class_="badge").text.startswith("1")
    closed = Conversation.get(Conversation.subject == "Renouvellement d'ordonnance")
    _, doc = client.page(space_path(camille, f"/messages/{closed.id}"))
    assert doc.by_id("closed-notice") is not None


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


def _count_queries(monkeypatch, client, url):
    """The SQL statements one GET runs."""
    from webapp.db import database

    statements = []
    real = database.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(sql)
        return real(sql, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(database.obj, "execute_sql", counting)
        response = client.get(url)
    assert response.status_code == 200, url
    return statements


def test_conversation_page_runs_the_same_queries_whatever_its_length(
        client, world, monkeypatch):
    """Authors and attachments are loaded with the thread, not one query per message:
    3 messages or 60 (with attachments), the page runs the same few statements, on the
    first visit (the unread ones are marked read) and on the next."""
    owner, pro, space = world["owner"], world["pro"], world["space"]
    short = Conversation.create(space=space, professional=pro, subject="Court")
    long = Conversation.create(space=space, professional=pro, subject="Long")
    for conversation, n in ((short, 3), (long, 60)):
        for i in range(n):
            author, capacity = (pro, "professional") if i % 2 == 0 else (owner, "owner")
            add_message(conversation, author, capacity, f"Message {i}", files=1 + i % 2)
    pro_client = client.application.test_client()
    # a professional's page also checks the block and the care relation, the throttle
    # of the holder's daily access notice, and reads their place for the log entry
    for person, viewer, side, most in ((owner, client, "/messages", 12),
                                       (pro, pro_client, "/pro/messages", 14)):
        viewer.sign_in(person.email)
        viewer.get(_at(world, "/"))  # the day's first visit (the holder is told of a pro's)
        for visit in ("first", "next"):
            few, many = (_count_queries(monkeypatch, viewer, _at(world, f"{side}/{c.id}"))
                         for c in (short, long))
            assert len(few) == len(many) <= most, (side, visit, "\n".join(many))
