"""Notifications: preferences per event and channel, mandatory access notices (throttled,
emergency never skipped), texts without medical content in the recipient's language,
idempotent reminders, and delivery to a real local SMTP server with retries."""

import datetime as dt
import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale

from tests.helpers import (
    act_for,
    make_child,
    make_document,
    make_space,
    make_user,
    sign_in_on,
    space_path,
)
from webapp import mail, policy
from webapp.commands.notifications import queue_reminders, tomorrow_bounds
from webapp.db import utcnow
from webapp.models.agenda import Appointment
from webapp.models.notifications import Outbox
from webapp.models.spaces import CareRelation
from webapp.notify import access_notices, events, preferences
from webapp.notify.queue import notify
from webapp.privacy.actions import open_emergency


@pytest.fixture
def world(db):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    return dict(owner=owner, space=space, pro=pro)


def _rows(user, event=None, channel="email"):
    query = Outbox.select().where((Outbox.recipient == user) & (Outbox.channel == channel))
    return list(query.where(Outbox.template == event) if event else query)


def test_preferences_switch_off_optional_events_only(client, world):
    owner = world["owner"]
    url = space_path(world["space"], "/parametres/notifications")
    client.sign_in(owner.email)
    _, doc = client.page(url)
    assert doc.by_id("pref-new_message-email").get("checked") is not None
    assert doc.by_id("pref-professional_access-email") is None  # cannot be switched off
    keep = ["new_document:email", "new_document:app", "new_message:app",
            "appointment_reminder:email", "professional_access:email"]
    assert client.submit(url, {"on": keep}).status_code == 303
    assert notify(owner, "new_message", channel="email") is None
    assert notify(owner, "new_message").channel == "app"
    preferences.set_preference(owner, "professional_access", "email", False)
    assert notify(owner, "professional_access", channel="email") is not None
    _, doc = client.page(url)
    assert doc.by_id("pref-new_message-email").get("checked") is None
    assert doc.by_id("pref-new_message-app").get("checked") is not None


def test_preferences_need_settings_write_to_change(app, world):
    client = app.test_client()
    prefix = act_for(client, make_user("mediator"), world["space"], ["settings.read"])
    client.page(prefix + "/parametres/notifications")
    assert client.submit(prefix + "/parametres/notifications", {"on": []}).status_code == 404
    assert preferences.wants(world["owner"], "new_message", "email")


def test_professional_access_notified_once_a_day(app, world):
    space = world["space"]
    pro = app.test_client()
    prefix = sign_in_on(pro, world["pro"], space)
    pro.page(prefix + "/documents")
    pro.page(prefix + "/profil")
    assert not _rows(world["owner"], "professional_access")  # the pages only log
    assert access_notices.queue_access_notices(_later()) == 1  # send-outbox reads the log
    rows = _rows(world["owner"], "professional_access")
    assert len(rows) == 1 and rows[0].link == space_path(space, "/historique")
    assert _rows(world["owner"], "professional_access", "app")
    pro.page(prefix + "/documents")
    owner = app.test_client()
    owner.sign_in(world["owner"].email)
    owner.page(prefix + "/documents")
    assert access_notices.queue_access_notices(_later()) == 0  # once a day; her own: never
    assert len(_rows(world["owner"])) == 1


def _later():
    """A moment when the entries logged until now have settled."""
    return utcnow() + dt.timedelta(seconds=access_notices.SETTLE + 1)


def test_an_entry_younger_than_the_settle_time_waits_for_the_next_run(app, world):
    """Entries are read once they are SETTLE seconds old: a request that logged earlier
    but has not committed yet is not passed over."""
    pro = app.test_client()
    pro.page(sign_in_on(pro, world["pro"], world["space"]) + "/documents")
    assert access_notices.queue_access_notices() == 0
    assert not _rows(world["owner"], "professional_access")
    assert access_notices.queue_access_notices(_later()) == 1


def test_send_outbox_writes_the_access_notices_then_sends_them(app, world):
    pro = app.test_client()
    pro.page(sign_in_on(pro, world["pro"], world["space"]) + "/documents")
    app.config["ACCESS_NOTICE_SETTLE"] = 0
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 0 and "1 access notice(s) written" in result.output
    assert "1 sent" in result.output  # the e-mail of that notice, in the same run
    assert app.extensions["mail_sent"][0]["To"] == world["owner"].email


def test_two_runs_at_once_write_each_notice_once(app, world):
    from tests.test_workers import _at_once

    for _ in range(3):
        pro = make_user("professional")
        CareRelation.create(professional=pro, space=world["space"])
        client = app.test_client()
        client.page(sign_in_on(client, pro, world["space"]) + "/documents")
    later = _later()
    assert sum(_at_once(app, lambda: access_notices.queue_access_notices(later), 4)) == 3
    assert len(_rows(world["owner"], "professional_access")) == 3


def test_the_demo_history_is_not_announced(app, demo):
    assert access_notices.queue_access_notices(_later()) == 0


def test_mediator_access_notified_to_a_minors_guardians(app, world):
    parent = make_user()
    child = make_child(parent, dt.date(2015, 1, 1))
    client = app.test_client()
    prefix = act_for(client, make_user("mediator"), child, ["agenda.read"])
    client.page(prefix + "/agenda")
    client.page(prefix + "/agenda")
    access_notices.queue_access_notices(_later())
    assert len(_rows(parent, "mediator_access")) == 1


def test_each_emergency_access_is_notified_once_when_it_opens(app, world):
    urgentist = make_user("professional")  # who does not follow the patient
    assert open_emergency(urgentist, world["space"], "Patiente inconsciente") is None
    first = policy.grant_for(urgentist, world["space"])
    assert first is not None and first.emergency
    client = app.test_client()
    client.sign_in(urgentist.email)
    client.page(space_path(world["space"], "/documents"))
    client.page(space_path(world["space"], "/profil"))
    access_notices.queue_access_notices(_later())  # the pages it reads are not notified again
    assert len(_rows(world["owner"], "emergency_access")) == 1
    assert not _rows(world["owner"], "professional_access")
    # a second emergency access is a new event: notified again, the same day
    assert open_emergency(urgentist, world["space"], "Second appel du SAMU") is None
    assert len(_rows(world["owner"], "emergency_access")) == 2


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


def _paris_noon_tomorrow():
    start, _ = tomorrow_bounds()
    return start + dt.timedelta(hours=12)


def test_reminders_are_queued_once(app, world):
    tomorrow = Appointment.create(space=world["space"], title="Cardiologue",
                                  starts_at=_paris_noon_tomorrow())
    Appointment.create(space=world["space"], title="Plus tard",
                       starts_at=_paris_noon_tomorrow() + dt.timedelta(days=1))
    assert queue_reminders() == 1
    assert queue_reminders() == 0
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "0 reminder(s) queued." in result.output
    rows = _rows(world["owner"], "appointment_reminder")
    assert len(rows) == 1 and rows[0].link == space_path(world["space"], f"/agenda/{tomorrow.id}")
    with force_locale("fr"):
        subject, text = events.texts(rows[0])
    assert "Cardiologue" not in subject + text  # says what happened, not what it is
    assert Appointment.get_by_id(tomorrow.id).reminder_queued_at is not None


def test_tomorrow_follows_paris_days(db):
    start, end = tomorrow_bounds(dt.datetime(2026, 11, 23, 23, 30))  # already 24 Nov in Paris
    assert start == dt.datetime(2026, 11, 24, 23, 0) and end - start == dt.timedelta(hours=24)


class _Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_app(app):
    port = _free_port()
    app.config.update(MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                      SMTP_TIMEOUT=5, MAIL_RETRY_SECONDS=60)
    return app, port


def test_smtp_delivery_retries_after_refused_connection(smtp_app, world):
    app, port = smtp_app
    row = notify(world["owner"], "new_document", link="/documents", channel="email")
    now = utcnow()
    assert mail.send_due(now) == (0, 1)  # nothing listens yet: refused
    row = Outbox.get_by_id(row.id)
    assert row.attempts == 1 and row.sent_at is None and "refused" in row.last_error.lower()
    assert row.next_attempt_at == now + dt.timedelta(seconds=60)
    assert mail.send_due(now + dt.timedelta(seconds=30)) == (0, 0)  # not due yet
    assert mail.send_due(now + dt.timedelta(seconds=61)) == (0, 1)
    assert Outbox.get_by_id(row.id).next_attempt_at == now + dt.timedelta(seconds=61 + 120)
    inbox = _Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert mail.send_due(now + dt.timedelta(seconds=200)) == (1, 0)
        for _ in range(50):
            if inbox.received:
                break
            time.sleep(0.05)
    finally:
        server.stop()
    row = Outbox.get_by_id(row.id)
    assert row.sent_at is not None and row.attempts == 3 and row.last_error == ""
    envelope = inbox.received[0]
    assert envelope.rcpt_tos == [world["owner"].email]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert received["Subject"] == "Nouveau document dans votre espace santé"
    body = received.get_content()
    assert "Un nouveau document a été ajouté" in body and "http://127.0.0.1:5000/documents" in body
    assert mail.send_due(now + dt.timedelta(days=1)) == (0, 0)  # never sent twice


def test_retry_delay_doubles_up_to_a_ceiling(app):
    with app.app_context():
        delays = [mail.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)]
        assert delays == [60, 120, 240, 480]
        assert mail.retry_delay(30) == mail.MAX_DELAY


def test_sender_never_runs_inside_a_request(app):
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError):
            mail.send_due()


def test_send_outbox_command_with_memory_transport(app, world):
    notify(world["owner"], "new_message", link="/messages")
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    sent = app.extensions["mail_sent"]
    assert sent[0]["To"] == world["owner"].email


def test_notifications_shown_in_the_space(client, world):
    notify(world["owner"], "new_document", link="/documents")
    client.sign_in(world["owner"].email)
    _, doc = client.page("/notifications")
    assert "Nouveau document dans votre espace santé" in doc.text
    assert doc.find("a", href="/documents") is not None


def test_demo_reminder_is_due_tomorrow(client, demo):
    assert queue_reminders() == 1
    assert queue_reminders() == 0


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


def test_unreachable_server_stops_the_batch(smtp_app, world):
    first = notify(world["owner"], "new_document", channel="email")
    second = notify(world["owner"], "new_message", channel="email")
    assert mail.send_due() == (0, 1)  # one connection attempt, not one per message
    assert Outbox.get_by_id(first.id).attempts == 1
    assert Outbox.get_by_id(second.id).attempts == 0


def test_a_refused_recipient_does_not_stop_the_others(smtp_app, world):
    app, port = smtp_app

    class Picky(_Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("refused"):
                return "550 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    refused = make_user(email="refused@example.org")
    notify(refused, "new_document", channel="email")
    ok = notify(world["owner"], "new_document", channel="email")
    inbox = Picky()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert mail.send_due() == (1, 1)
    finally:
        server.stop()
    assert Outbox.get_by_id(ok.id).sent_at is not None
    failed = Outbox.get(Outbox.recipient == refused)
    assert failed.sent_at is None and "550" in failed.last_error


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


def test_emails_link_to_the_preferences_of_the_recipients_space(client, world):
    body = mail.build(notify(world["owner"], "new_document", channel="email")).get_content()
    url = space_path(world["space"], "/parametres/notifications")
    assert "http://127.0.0.1:5000" + url in body
    client.sign_in(world["owner"].email)
    client.page(url)  # the link opens
    parent = make_user()
    child = make_child(parent, dt.date(2016, 4, 1))  # a parent with no space of their own
    body = mail.build(notify(parent, "new_document", channel="email")).get_content()
    assert space_path(child, "/parametres/notifications") in body
    body = mail.build(notify(world["pro"], "new_message", channel="email")).get_content()
    assert "aucune information médicale" in body and "/parametres" not in body


def test_notifications_page_of_a_parent_without_a_space_of_their_own(client, world):
    parent = make_user()
    child = make_child(parent, dt.date(2016, 4, 1))
    notify(parent, "new_document", link=space_path(child, "/documents"))
    client.sign_in(parent.email)
    _, doc = client.page("/notifications")
    assert doc.find("a", href=space_path(child, "/documents")) is not None
    assert doc.find("a", href=space_path(child, "/parametres/notifications")) is not None


def test_migration_16_starts_the_notices_after_what_was_logged_before(app, world):
    """What was logged before migration 16 was notified then: nothing is told again."""
    from webapp.db import SchemaVersion
    from webapp.migrations import create_schema
    from webapp.models.notifications import LogReader

    pro = app.test_client()
    pro.page(sign_in_on(pro, world["pro"], world["space"]) + "/documents")
    LogReader.delete().execute()
    SchemaVersion.delete().where(SchemaVersion.version == 16).execute()
    create_schema()
    assert access_notices.queue_access_notices(_later()) == 0
    assert not _rows(world["owner"], "professional_access")
