"""Notifications: delivery to a real local SMTP server with retries and a growing delay,
an unreachable server or a refused recipient, and the memory transport."""

import datetime as dt
import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import make_user
from tests.notifications_support import world_fixture  # noqa: F401 (the fixture "world")
from webapp import mail
from webapp.db import utcnow
from webapp.models.notifications import Outbox
from webapp.notify.queue import notify


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
