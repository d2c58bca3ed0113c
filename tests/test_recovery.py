"""Password recovery that cannot take over an account: a single-use link to the
account's own address, then the birth date; every session ends and the person is told.
For someone without a usable address, a mediator prints a code after checking an
identity document; it is in the person's history."""

import datetime as dt
import hashlib
import json

import pytest

from tests.helpers import PASSWORD, make_space, make_user, parse, space_path
from webapp import mail
from webapp.accounts import recovery
from webapp.models.accounts import User, UserSession
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.recovery import AssistedRecovery, PasswordReset
from webapp.pro import ins

NEW = "une toute nouvelle phrase secrète"
NIR = "2850375000123" + ins.key_for("2850375000123")


@pytest.fixture
def holder(db):
    user = make_user(email="lea@example.org", first_name="Léa", last_name="Moreau")
    space = make_space(user, nir=NIR, birth_date=dt.date(1985, 3, 14))
    return user, space


def _links(user):
    return list(Outbox.select().where((Outbox.recipient == user)
                                      & (Outbox.template == "password_reset_link")))


def _url_of(row):
    return json.loads(row.params)["url"].split("127.0.0.1:5000", 1)[1]


def _ask(client, email):
    return client.submit("/mot-de-passe-oublie", {"email": email})


def test_the_answer_is_the_same_for_every_address(client, holder):
    mediator = make_user("mediator", email="med@example.org")
    answers = [_ask(client, email) for email in
               ("lea@example.org", "personne@example.org", "med@example.org")]
    assert {(r.status_code, r.headers["Location"]) for r in answers} == {
        (303, "/mot-de-passe-oublie/envoye")}
    assert PasswordReset.select().count() == 1  # only the citizen's account gets a link
    assert not _links(mediator)
    [mail] = _links(holder[0])
    assert mail.channel == "email" and json.loads(mail.params)["to"] == "lea@example.org"
    _r, doc = client.page("/mot-de-passe-oublie/envoye")
    assert "Si cette adresse est celle d'un compte" in doc.find("main").text


def test_tokens_are_stored_keyed_never_in_clear(app, client, holder):
    _ask(client, "lea@example.org")
    message = mail.build(_links(holder[0])[0])
    assert message["To"] == "lea@example.org"
    assert "http://127.0.0.1:5000/mot-de-passe-oublie/lien/" in message.get_content()
    token = _url_of(_links(holder[0])[0]).rsplit("/", 1)[1]
    row = PasswordReset.get()
    assert row.token_hash == recovery.keyed_hash(token)
    assert row.token_hash != hashlib.sha256(token.encode()).hexdigest()
    assert row.expires_at - row.created_at == dt.timedelta(minutes=30)


def test_recovering_a_password_ends_every_session_and_tells_the_person(app, client, holder):
    user, space = holder
    elsewhere = app.test_client()
    elsewhere.sign_in(user.email)
    _ask(client, user.email)
    mail = _links(user)[0]
    link = _url_of(mail)
    response = client.get(link)
    assert response.status_code == 303 and response.headers["Location"] == \
        "/mot-de-passe-oublie/nouveau"
    client.page("/mot-de-passe-oublie/nouveau")
    wrong = client.submit("/mot-de-passe-oublie/nouveau", {
        "birth_date": "15/03/1985", "password": NEW, "confirm": NEW})
    assert "n'est pas celle du titulaire" in parse(wrong.text).by_id("birth_date-error").text
    done = client.submit("/mot-de-passe-oublie/nouveau", {
        "birth_date": "14/03/1985", "password": NEW, "confirm": NEW})
    assert done.status_code == 303 and done.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == space_path(space)  # signed in
    assert elsewhere.get("/agenda").status_code == 302  # the other session ended
    assert UserSession.live().count() == 1
    assert User.get_by_id(user.id).password_hash != user.password_hash
    told = Outbox.select().where((Outbox.recipient == user)
                                 & (Outbox.template == "password_reset"))
    assert {r.channel for r in told} == {"email", "app"}
    assert AccessLog.select().where((AccessLog.space == space)
                                    & (AccessLog.action == "account.password_reset")
                                    & (AccessLog.detail == "email")).exists()
    assert not _links(user)  # its e-mail, not sent yet, went with the used link
    # single use: the link no longer works, even in another browser
    other = app.test_client()
    _r, doc = other.page(link)
    assert doc.find("h1").text == "Ce lien ne fonctionne plus"


def test_the_link_expires_after_thirty_minutes(client, holder):
    _ask(client, "lea@example.org")
    link = _url_of(_links(holder[0])[0])
    PasswordReset.update(expires_at=PasswordReset.created_at).execute()
    _r, doc = client.page(link)
    assert doc.find("h1").text == "Ce lien ne fonctionne plus"


def test_a_newer_link_replaces_the_older_one(client, holder):
    _ask(client, "lea@example.org")
    first = _url_of(_links(holder[0])[0])
    _ask(client, "lea@example.org")
    assert len(_links(holder[0])) == 1  # the older e-mail, not sent yet, is dropped
    _r, doc = client.page(first)
    assert doc.find("h1").text == "Ce lien ne fonctionne plus"


def test_wrong_birth_dates_burn_the_link(client, holder):
    _ask(client, "lea@example.org")
    client.get(_url_of(_links(holder[0])[0]))
    for _ in range(recovery.MAX_ATTEMPTS - 1):
        client.submit("/mot-de-passe-oublie/nouveau", {
            "birth_date": "01/01/1990", "password": NEW, "confirm": NEW})
    last = client.submit("/mot-de-passe-oublie/nouveau", {
        "birth_date": "01/01/1990", "password": NEW, "confirm": NEW})
    assert "Ce lien ne fonctionne plus" in last.text
    good = client.submit("/mot-de-passe-oublie/nouveau", {
        "birth_date": "14/03/1985", "password": NEW, "confirm": NEW})
    assert "Ce lien ne fonctionne plus" in good.text
    assert User.get_by_id(holder[0].id).password_hash == holder[0].password_hash


def test_requests_are_rate_limited_per_account_and_per_address(client, holder):
    for _ in range(4):
        assert _ask(client, "lea@example.org").status_code == 303
    assert PasswordReset.select().count() == 3  # the fourth asked for nothing, silently
    for n in range(6):
        _ask(client, f"x{n}@example.org")
    response = _ask(client, "y@example.org")
    assert response.status_code == 429 and "Trop de demandes" in response.text


@pytest.fixture
def mediator(db, client):
    mediator = make_user("mediator", first_name="Amina", last_name="Diallo")
    client.sign_in(mediator.email)
    return mediator


def _issue(client, nir=NIR, birth="14/03/1985"):
    return client.submit("/assistance/recuperation", {
        "nir": nir, "birth_date": birth, "document_kind": "cni", "document_end": "4x2b",
        "present": "y"})


def test_a_mediator_prints_a_code_that_is_in_the_persons_history(app, client, holder,
                                                                 mediator):
    user, space = holder
    client.page("/assistance/recuperation")
    response = _issue(client)
    assert response.status_code == 303
    _r, doc = client.page("/assistance/recuperation/attestation")
    row = AssistedRecovery.get()
    text = doc.find("main").text
    assert "Léa MOREAU" in text and "numéro se terminant par 4X2B" in text
    assert row.document_kind == "cni" and row.document_end == "4X2B"
    code = next(dd.text for dt_, dd in zip(doc.find_all("dt"), doc.find_all("dd"),
                                           strict=True) if "Code" in dt_.text)
    pdf = client.get("/assistance/recuperation/attestation.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    entry = AccessLog.get((AccessLog.space == space)
                          & (AccessLog.action == "account.recovery_code"))
    assert entry.capacity == "mediator" and entry.actor_id == mediator.id
    assert entry.office_name == mediator.office.name and entry.detail == "cni:4X2B"
    assert Outbox.select().where((Outbox.recipient == user)
                                 & (Outbox.template == "recovery_code_issued")).exists()
    # the person, at home, sets a new password with the code
    person = app.test_client()
    form = {"nir": NIR, "birth_date": "14/03/1985", "code": code.lower().replace("-", ""),
            "password": NEW, "confirm": NEW}
    done = person.submit("/mot-de-passe-oublie/code", form)
    assert done.status_code == 303
    assert person.get("/").headers["Location"] == space_path(space)
    assert AccessLog.select().where((AccessLog.space == space) & (AccessLog.detail == "assisted")
                                    & (AccessLog.action == "account.password_reset")).exists()
    _r, doc = person.page(space_path(space, "/historique"))
    history = doc.find("main").text
    assert "Code remis en France Services pour retrouver le compte" in history
    assert "Amina DIALLO" in history and "Nouveau mot de passe choisi" in history
    again = app.test_client().submit("/mot-de-passe-oublie/code", form)
    assert "ne correspondent à aucun code" in again.text  # single use


def test_a_wrong_code_or_identity_is_refused_the_same_way(app, client, holder, mediator):
    _issue(client)
    person = app.test_client()
    for nir, code in ((NIR, "AAAA-BBBB"), ("1" + NIR[1:13] + ins.key_for("1" + NIR[1:13]),
                                            "AAAA-BBBB")):
        response = person.submit("/mot-de-passe-oublie/code", {
            "nir": nir, "birth_date": "14/03/1985", "code": code, "password": NEW,
            "confirm": NEW})
        assert "ne correspondent à aucun code" in parse(response.text).by_id("code-error").text
    assert User.get_by_id(holder[0].id).password_hash == holder[0].password_hash
    person.sign_in("lea@example.org", PASSWORD)  # nothing changed


def test_the_mediator_form_checks_what_was_typed(client, holder, mediator):
    response = client.submit("/assistance/recuperation", {"nir": NIR, "birth_date": "14/03/1985"})
    doc = parse(response.text)
    assert doc.by_id("document_kind-error") and doc.by_id("present-error")
    assert doc.by_id("nir").get("value") == NIR  # what was typed is kept
    response = _issue(client, birth="15/03/1985")
    assert "aucun espace activé" in parse(response.text).by_id("birth_date-error").text
    assert not AssistedRecovery.select().exists()


def test_only_mediators_start_an_assisted_recovery(client, holder):
    client.sign_in(holder[0].email)
    assert client.get("/assistance/recuperation").status_code == 404
