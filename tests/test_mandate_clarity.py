"""Clear mandates: the consent code leaves at once through a real SMTP server (the outbox
still retries when it is down) and says what the screen says; a person who already has
a mandate with the office is told so and the new mandate replaces it, under a consent
bound to that; the banner names the mandate a page uses; a page outside the mandate
says so to its holder, and stays a plain 404 to anyone else."""

import datetime as dt
import email
import email.policy
import re
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from flask_babel import format_date

from tests.helpers import check_structure, give_mandate, make_user, parse, space_path
from tests.test_mandate_support import (
    banner,
    citizen_with_space,
    confirm,
    consent_by_code,
    create_mandate,
    sent_to,
    start_draft,
    walk_to_consent,
)
from webapp import mail
from webapp.db import utcnow
from webapp.models.accounts import Office
from webapp.models.audit import AccessLog
from webapp.models.mandates import Mandate, MandateDraft
from webapp.models.notifications import Outbox


@pytest.fixture
def people(db, client):
    citizen, space = citizen_with_space()
    mediator = make_user("mediator")
    client.sign_in(mediator.email)
    return dict(citizen=citizen, space=space, mediator=mediator)


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
def smtp(app):
    """The app sends through SMTP to a port of this machine; start() opens a real server."""
    port = _free_port()
    app.config.update(MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                      SMTP_TIMEOUT=5, MAIL_NOW_TIMEOUT=2, MAIL_RETRY_SECONDS=60)
    inbox, servers = _Inbox(), []

    def start():
        server = Controller(inbox, hostname="127.0.0.1", port=port)
        server.start()
        servers.append(server)
        return inbox

    yield start
    for server in servers:
        server.stop()


def _received(inbox, count=1):
    for _ in range(100):
        if len(inbox.received) >= count:
            break
        time.sleep(0.02)
    return [email.message_from_bytes(e.content, policy=email.policy.default)
            for e in inbox.received]


def _summary(doc):
    """The label → value rows of the page's summary list."""
    return {dt_.text.strip(): dd.text.strip() for dt_, dd in
            zip(doc.find_all("dt"), doc.find_all("dd"), strict=True)}


def test_the_consent_code_leaves_at_once_and_says_what_the_screen_says(client, people, smtp):
    inbox = smtp()
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    draft = walk_to_consent(client, space, scopes=("documents.read", "agenda.read"),
                            duration="month")
    started = time.monotonic()
    assert client.submit(f"{draft}/accord", {"action": "send"}).status_code == 303
    [message] = _received(inbox)  # no send-outbox run: it left with the request
    assert time.monotonic() - started < 5
    assert inbox.received[0].rcpt_tos == [citizen.email]
    row = Outbox.get(Outbox.template == "mandate_consent_code")
    assert row.sent_at is not None and row.attempts == 1 and "code" not in row.params
    body = message.get_content()
    _r, doc = client.page(f"{draft}/accord")
    shown = _summary(doc)
    for label in ("Médiateur ou médiatrice", "Structure", "Rubriques autorisées", "Durée"):
        assert shown[label] in body, (label, shown[label], body)
    assert shown["Médiateur ou médiatrice"] == mediator.display_name
    assert shown["Structure"] == mediator.office.name
    assert shown["Rubriques autorisées"] == "Consulter les documents, Consulter l'agenda"
    assert shown["Durée"] == "un mois"
    code = re.search(r"Code : (\d{6})", body).group(1)
    r = client.submit(f"{draft}/accord", {"action": "code", "c-code": code})
    assert r.status_code == 303 and r.headers["Location"].endswith("/confirmation")
    assert mail.send_due(utcnow() + dt.timedelta(days=1)) == (0, 0)  # never sent twice


def test_a_consent_code_waits_in_the_outbox_when_the_mail_server_is_down(client, people,
                                                                         smtp):
    draft = walk_to_consent(client, people["space"])
    r = client.submit(f"{draft}/accord", {"action": "send"}, follow_redirects=True)
    assert r.status_code == 200 and "Un code à 6 chiffres a été envoyé" in r.text
    row = Outbox.get(Outbox.template == "mandate_consent_code")
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()  # the scheduled sender tries again in a minute
    inbox = smtp()
    assert mail.send_due(row.next_attempt_at) == (1, 0)
    [message] = _received(inbox)
    assert re.search(r"Code : \d{6}", message.get_content())


def test_an_existing_mandate_is_announced_and_extended_with_a_new_consent(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    old = create_mandate(client, mediator, space, citizen,
                         scopes=("documents.read", "agenda.read"), duration="day")
    draft = start_draft(client, space)
    _r, doc = client.page(f"{draft}/rubriques")
    notice = doc.find("section", class_="notice notice--info")
    assert notice is not None and "a déjà un mandat avec votre structure" in notice.text
    assert "Consulter les documents, Consulter l'agenda" in notice.text
    checked = {i.get("value") for i in doc.find_all("input", type="checkbox")
               if i.get("checked") is not None}
    assert checked == {"documents.read", "agenda.read"}  # a change starts from what runs
    r = client.submit(f"{draft}/rubriques", {"action": "extend"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{draft}/duree")
    assert MandateDraft.get().scope_list == ["agenda.read", "documents.read"]
    client.submit(f"{draft}/duree", {"duration": "six_months"})
    _r, doc = client.page(f"{draft}/conditions")
    assert "Il remplace le mandat en cours" in doc.find("main").text
    client.submit(f"{draft}/conditions", {"read": "y"})
    _r, doc = client.page(f"{draft}/accord")
    assert "Votre mandat, jusqu'au" in _summary(doc)["Mandat remplacé"]
    consent_by_code(client, draft, citizen)
    assert "remplacera celui qui est en cours" in sent_to(citizen)[-1].get_content()
    _r, doc = client.page(f"{draft}/confirmation")
    assert "Mandat remplacé" in _summary(doc)
    assert confirm(client, draft, mediator).status_code == 303
    new = Mandate.select().order_by(Mandate.id.desc()).get()
    assert Mandate.get_by_id(old.id).state() == "revoked" and new.state() == "active"
    assert new.scope_set == old.scope_set and new.duration == "six_months"
    assert AccessLog.select().where((AccessLog.action == "mandate.end")
                                    & (AccessLog.mandate_ref == old.reference)).exists()


def test_a_change_replaces_the_offices_mandate_and_other_offices_keep_theirs(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    other_office = give_mandate(make_user("mediator"), space, ["messages.read"],
                                ends_at=utcnow() + dt.timedelta(days=3))
    colleague = make_user("mediator", office=mediator.office)
    theirs = give_mandate(colleague, space, ["documents.read"])
    draft = start_draft(client, space)
    _r, doc = client.page(f"{draft}/rubriques")
    text = doc.find("section", class_="notice notice--info").text
    assert f"Le mandat tenu par {colleague.display_name}" in text
    assert "messages" not in text.lower()  # another office's mandate is not this office's
    create_mandate(client, mediator, space, citizen, scopes=("agenda.read",))
    assert Mandate.get_by_id(theirs.id).state() == "revoked"
    assert Mandate.get_by_id(other_office.id).state() == "active"


def test_a_consent_is_bound_to_the_mandates_it_replaces(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    draft = walk_to_consent(client, space)
    consent_by_code(client, draft, citizen)  # consent given when nothing was to replace
    colleague = make_user("mediator", office=mediator.office)
    give_mandate(colleague, space, ["agenda.read"])  # meanwhile, at the next desk
    r = confirm(client, draft, mediator)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{draft}/accord")
    assert Mandate.select().where(Mandate.holder == mediator).count() == 0


def test_the_banner_names_the_mandate_the_page_uses(client, people):
    space, mediator = people["space"], people["mediator"]
    long_one = give_mandate(mediator, space, ["documents.read"],
                            ends_at=utcnow() + dt.timedelta(days=30))
    other = Office.create(name="France Services Autre")  # where they worked before
    short_one = give_mandate(mediator, space, ["agenda.read"], office=other,
                             ends_at=utcnow() + dt.timedelta(days=1))
    _r, doc = client.page(space_path(space, "/documents"))
    text = banner(doc).text
    assert "Consulter les documents" in text and "agenda" not in text
    assert _day(long_one.ends_at) in text and _day(short_one.ends_at) not in text
    _r, doc = client.page(space_path(space, "/agenda"))
    text = banner(doc).text
    assert "Consulter l'agenda" in text and "documents" not in text
    assert _day(short_one.ends_at) in text


def _day(moment):
    """The day of a moment as the banner prints it (Paris time, day and month)."""
    return format_date(moment, "d MMMM")


def test_a_page_outside_the_mandate_says_it_is_not_covered(client, people):
    space, mediator = people["space"], people["mediator"]
    give_mandate(mediator, space, ["documents.read"])
    r = client.get(space_path(space, "/agenda"))
    assert r.status_code == 404
    doc = parse(r.text)
    assert not check_structure(doc)
    assert doc.find("h1").text.strip() == "Cette page n'est pas couverte par votre mandat"
    main = doc.find("main").text
    assert "Page introuvable" not in r.text and "Consulter les documents" in main
    assert doc.find("a", href=space_path(space, "/")) is not None  # the way back
    refused = AccessLog.select().where((AccessLog.space == space)
                                       & (AccessLog.allowed == False)).get()  # noqa: E712
    assert refused.action == "agenda.read"


@pytest.mark.parametrize("who", ["mediator_without_mandate", "citizen"])
def test_without_any_mandate_on_the_space_it_stays_a_plain_404(app, people, who):
    client = app.test_client()
    stranger = make_user("mediator" if who.startswith("mediator") else "citizen")
    give_mandate(stranger, citizen_with_space()[1], ["agenda.read"])  # someone else's
    client.sign_in(stranger.email)
    r = client.get(space_path(people["space"], "/agenda"))
    assert r.status_code == 404 and "Page introuvable" in r.text
    assert "couverte par votre mandat" not in r.text
