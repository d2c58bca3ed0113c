"""Notifications: texts without medical content in the recipient's language, sent to the
address of when they were queued, to the holders and not the author, one text per event."""

from tests.helpers import make_document, space_path
from tests.notifications_support import (
    _rows,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from webapp import mail
from webapp.models.notifications import Outbox
from webapp.notify import events
from webapp.notify.queue import notify


def test_texts_are_generic_and_in_the_recipients_language(app, world):
    owner = world["owner"]
    owner.language = "en"
    owner.save()
    row = notify(owner, "new_message", link="/messages/1", channel="email")
    message = mail.build(row)
    assert message["Subject"] == "New message in your health space"
    body = message.get_content()
    assert "http://127.0.0.1:5000/messages/1" in body and "no medical information" in body
    owner.language = None
    owner.save()
    message = mail.build(Outbox.get_by_id(row.id))
    assert message["Subject"] == "Nouveau message dans votre espace santé"


def test_email_goes_to_the_address_of_when_it_was_queued(app, world):
    owner = world["owner"]
    old = owner.email
    row = notify(owner, "email_changed", channel="email")
    code = notify(owner, "email_change_code", channel="email", to="new@example.org",
                  code="123456")
    owner.email = "changed@example.org"
    owner.save()
    assert mail.build(Outbox.get_by_id(row.id))["To"] == old
    message = mail.build(Outbox.get_by_id(code.id))
    assert message["To"] == "new@example.org" and "123456" in message.get_content()


def test_new_document_notifies_holders_but_not_the_author(world):
    by_pro = make_document(world["space"], title="Compte rendu", announce=True,
                           author=world["pro"], author_kind="professional")
    rows = _rows(world["owner"], "new_document")
    assert len(rows) == 1 and rows[0].link == space_path(world["space"],
                                                         f"/documents/{by_pro.id}")
    mine = make_document(world["space"], title="Mon scan", category="AUTR_DOC", announce=True,
                         author=world["owner"])
    assert mine.author_id == world["owner"].id
    assert len(_rows(world["owner"], "new_document")) == 1


def test_every_event_sent_by_the_code_has_its_own_text():
    import re
    from pathlib import Path

    root = Path(mail.__file__).parent  # the whole application
    sent = set()
    for path in root.rglob("*.py"):
        sent |= set(re.findall(r"notify\(\s*[\w.\[\]\"']+,\s*\"([a-z_]+)\"", path.read_text()))
    assert {"new_message", "appointment_reminder", "export_ready"} <= sent
    sent.discard("event_code")  # the docstring example
    assert sent <= set(events.EVENTS), sorted(sent - set(events.EVENTS))
