"""The outbox sender: delivers queued e-mails, outside any request, with retries; an
e-mail someone is waiting for (a consent code) also leaves at once (`send_now`).

Transports (config MAIL_TRANSPORT): "smtp" (SMTP_HOST, SMTP_PORT, SMTP_USER,
SMTP_PASSWORD, SMTP_STARTTLS), "console" (development: prints each message), "memory"
(tests: keeps them in app.extensions["mail_sent"]). A failed delivery is retried with an
exponential back-off: MAIL_RETRY_SECONDS, then twice, four times... as long, up to
MAX_ATTEMPTS attempts.
"""

import datetime as dt
import json
import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.db import is_sqlite, transaction, utcnow
from webapp.models.accounts import User
from webapp.models.notifications import Outbox
from webapp.notify.events import texts
from webapp.notify.handlers import path
from webapp.policy import spaces_for

MAX_ATTEMPTS = 8
# Refusals of one message; any other error means the server itself cannot be reached.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                  smtplib.SMTPDataError, smtplib.SMTPNotSupportedError)
MAX_DELAY = dt.timedelta(hours=12)


def preferences_path(user):
    """The page where this person chooses their notifications (in the first space they
    hold: their own, else a child's), or None for someone who holds no space."""
    spaces = spaces_for(user)
    return path("notifications.preferences", ref=spaces[0].ref) if spaces else None


def build(row):
    """The e-mail of an outbox row, in the recipient's language."""
    config = current_app.config
    with force_locale(row.recipient.language or config["BABEL_DEFAULT_LOCALE"]):
        subject, text = texts(row)
        base = config["BASE_URL"].rstrip("/")
        body = [_("Bonjour,"), "", text]
        if row.link:
            body += ["", _("Pour le voir, connectez-vous à votre espace santé :"),
                     base + row.link]
        settings = preferences_path(row.recipient)
        body += ["", _("Ce message ne contient aucune information médicale. Vous pouvez "
                       "choisir les notifications que vous recevez dans les paramètres de "
                       "votre espace : %(url)s", url=base + settings) if settings
                 else _("Ce message ne contient aucune information médicale."),
                 "", _("Mon espace santé")]
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["MAIL_FROM"]
    message["To"] = json.loads(row.params or "{}").get("to") or row.recipient.email
    message["Message-ID"] = make_msgid(domain="espace-sante.invalid")
    message.set_content("\n".join(body))
    return message


class _Smtp:
    """One SMTP connection for a batch, opened on first use."""

    def __init__(self, config, timeout=None):
        self.config, self.conn = config, None
        self.timeout = timeout or config.get("SMTP_TIMEOUT", 20)

    def send(self, message):
        if self.conn is None:
            c = self.config
            conn = smtplib.SMTP(c["SMTP_HOST"], c["SMTP_PORT"], timeout=self.timeout)
            if c.get("SMTP_STARTTLS"):
                conn.starttls(context=ssl.create_default_context())
            if c.get("SMTP_USER"):
                conn.login(c["SMTP_USER"], c["SMTP_PASSWORD"])
            self.conn = conn
        self.conn.send_message(message)

    def close(self):
        if self.conn is not None:
            try:
                self.conn.quit()
            except smtplib.SMTPException:
                pass


class _Console:
    def send(self, message):
        sys.stdout.write(f"To: {message['To']}\nSubject: {message['Subject']}\n\n"
                         f"{message.get_content()}\n{'-' * 40}\n")

    def close(self):
        pass


class _Memory:
    def send(self, message):
        current_app.extensions.setdefault("mail_sent", []).append(message)

    def close(self):
        pass


def transport(timeout=None):
    """The transport configured for this app."""
    kind = current_app.config.get("MAIL_TRANSPORT", "console")
    if kind == "smtp":
        return _Smtp(current_app.config, timeout)
    return _Memory() if kind == "memory" else _Console()


def retry_delay(attempts):
    """Wait before the next attempt, after this many failed ones (doubling each time)."""
    base = dt.timedelta(seconds=current_app.config.get("MAIL_RETRY_SECONDS", 60))
    return min(base * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def due(now=None):
    """E-mails waiting to be sent whose next attempt time has come."""
    return (Outbox.select(Outbox, User).join(User, on=(Outbox.recipient == User.id))
            .where(_is_due(now or utcnow())).order_by(Outbox.id))


def _is_due(now):
    return ((Outbox.channel == "email") & Outbox.sent_at.is_null()
            & (Outbox.attempts < MAX_ATTEMPTS) & (Outbox.next_attempt_at <= now))


def _attempt(sender, row, now):
    """Try to deliver one row; True when sent. A failure is recorded with its next
    attempt time; an unreachable server raises ServerDown after recording it."""
    try:
        sender.send(build(row))
    except (OSError, smtplib.SMTPException) as error:
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:1000]
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.save(only=[Outbox.attempts, Outbox.last_error, Outbox.next_attempt_at])
        if not isinstance(error, MESSAGE_ERRORS):
            raise ServerDown() from error
        return False
    row.attempts += 1
    row.sent_at = now
    row.last_error = ""
    row.params = "{}"  # sent: the code or link it carried is kept nowhere
    row.save(only=[Outbox.attempts, Outbox.sent_at, Outbox.last_error, Outbox.params_sealed])
    return True


class ServerDown(Exception):
    """The mail server cannot be reached: the other e-mails wait for the next run."""


def claim(now, limit, lease):
    """Take up to `limit` due e-mails for this sender, in one short transaction: their
    next attempt moves past the lease, so another sender (another machine, a second run
    of the command) passes over them, and takes them back only if this one died. On
    PostgreSQL the rows another sender is claiming at that moment are skipped, not
    waited for (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time anyway."""
    with transaction():
        pick = Outbox.select(Outbox.id).where(_is_due(now)).order_by(Outbox.id).limit(limit)
        if not is_sqlite():
            pick = pick.for_update(skip_locked=True)
        ids = [row.id for row in pick]
        if ids:
            Outbox.update(next_attempt_at=now + lease).where(Outbox.id.in_(ids)).execute()
    return ids


def send_due(now=None, limit=500):
    """Deliver the due e-mails; return (sent, failed). Never runs inside a request.
    Several senders may run at once: each claims its own rows (claim)."""
    if has_request_context():
        raise RuntimeError("mail is sent by the send-outbox command, never in a request")
    now = now or utcnow()
    ids = claim(now, limit, SEND_LEASE)
    if not ids:
        return 0, 0
    sender, sent, failed, done = transport(), 0, 0, set()
    try:
        for row in due(now + SEND_LEASE).where(Outbox.id.in_(ids)):
            done.add(row.id)
            try:
                if _attempt(sender, row, now):
                    sent += 1
                else:
                    failed += 1
            except ServerDown:
                failed += 1
                break
    finally:
        sender.close()
        left = set(ids) - done  # the server went down: the rest is due again at once
        if left:
            Outbox.update(next_attempt_at=now).where(
                Outbox.id.in_(sorted(left)) & Outbox.sent_at.is_null()).execute()
    return sent, failed


SEND_LEASE = dt.timedelta(minutes=10)  # a sender that dies holds its rows this long
NOW_LEASE = dt.timedelta(minutes=5)  # a row being sent at once is not picked by the sender


def send_now(row, now=None):
    """Deliver one queued e-mail at once, inside the request that queued it (a code the
    person is waiting for); True when sent. If the server fails or is slow (a few
    seconds at most), the row stays in the outbox and send-outbox retries it."""
    now = now or utcnow()
    claimed = (Outbox.update(next_attempt_at=now + NOW_LEASE)
               .where((Outbox.id == row.id) & (Outbox.channel == "email")
                      & Outbox.sent_at.is_null() & (Outbox.next_attempt_at <= now))
               .execute())
    if not claimed:  # already sent, or being sent by the scheduled sender
        return False
    row = due(now + NOW_LEASE).where(Outbox.id == row.id).get()
    sender = transport(timeout=current_app.config.get("MAIL_NOW_TIMEOUT", 5))
    try:
        return _attempt(sender, row, now)
    except ServerDown:
        current_app.logger.warning("e-mail %s left in the outbox: %s", row.id, row.last_error)
        return False
    finally:
        sender.close()


def on_mail_queued(row):
    """Receiver of signals.mail_queued: an e-mail queued to leave at once."""
    send_now(row)
