"""Activation (NIR with its key, birth date, single-use code; then e-mail and password;
then the code sent to that address) and objection before the deadline, with a proof;
after it, objection is refused."""

import datetime as dt
import json

import pytest

from tests.helpers import make_space, make_user, parse, space_path
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.privacy import Objection
from webapp.models.spaces import Space
from webapp.security import hash_password

NIR = "180017500000134"  # key 34: 97 - 1800175000001 % 97


@pytest.fixture
def pending(db):
    assert 97 - int(NIR[:13]) % 97 == int(NIR[13:])
    return make_space(nir=NIR, birth_date=dt.date(1980, 1, 1), notified_at=utcnow(),
                      activation_code_hash=hash_password("ABCD-2026"),
                      activation_expires_at=utcnow() + dt.timedelta(days=30))


def _identity(client, nir=NIR, birth="01/01/1980", code="ABCD-2026", url="/activation"):
    return client.submit(url, {"nir": nir, "birth_date": birth, "code": code})


def _error(response, field):
    doc = parse(response.text)
    node = doc.by_id(f"{field}-error")
    assert node is not None, response.text[:3000]
    assert doc.find("div", class_="error-summary") is not None
    return node.text


def sent_code(address):
    """The last code e-mailed to this address to prove it."""
    row = (Outbox.select().where(Outbox.template == "email_verification_code")
           .order_by(Outbox.id.desc()))
    return next(json.loads(r.params)["code"] for r in row
                if json.loads(r.params)["to"] == address)


def _account(client, email="a@example.org", password="x" * 12):
    """Step 2 then step 3 with the code e-mailed to the address."""
    client.submit("/activation/compte", {"email": email, "password": password,
                                         "confirm": password})
    return client.submit("/activation/verification", {"code": sent_code(email)})


def test_nadia_demo_space_activates_in_three_steps(client, demo):
    client.page("/activation")
    response = _identity(client, "2 95 03 13 055 012 70", "08/03/1995", "nadia-2026")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/activation/compte")
    client.page("/activation/compte")
    response = client.submit("/activation/compte", {
        "email": "Nadia.Benali@example.org", "password": "une phrase assez longue",
        "confirm": "une phrase assez longue"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/activation/verification")
    _r, doc = client.page("/activation/verification")
    assert "nadia.benali@example.org" in doc.find("main").text
    assert Space.get(Space.nir == "295031305501270").owner is None  # not before the code
    response = client.submit("/activation/verification",
                             {"code": sent_code("nadia.benali@example.org")})
    assert response.status_code == 303
    nadia = Space.get(Space.nir == "295031305501270")
    assert nadia.state == "active" and nadia.owner.email == "nadia.benali@example.org"
    assert nadia.owner.email_verified
    assert nadia.activation_code_hash is None
    assert client.get("/").headers["Location"].endswith(space_path(nadia, "/"))
    _response, doc = client.page(space_path(nadia, "/"))
    assert "Nadia" in doc.find("main").text
    assert AccessLog.select().where((AccessLog.space == nadia)
                                    & (AccessLog.action == "space.activate")).exists()


def test_wrong_key_is_specific(client, pending):
    response = _identity(client, nir=NIR[:13] + "58")
    assert response.status_code == 200
    assert "clé" in _error(response, "nir")


def test_wrong_length_is_specific(client, pending):
    assert "15 chiffres" in _error(_identity(client, nir=NIR[:12]), "nir")


def test_wrong_birth_date_reads_like_an_unknown_person(client, pending):
    wrong_date = _error(_identity(client, birth="02/01/1980"), "birth_date")
    other_nir = "180017500000233"  # valid key, nobody has it
    assert 97 - int(other_nir[:13]) % 97 == int(other_nir[13:])
    unknown = _error(_identity(client, nir=other_nir), "birth_date")
    assert wrong_date == unknown


def test_bad_date_format(client, pending):
    assert "JJ/MM/AAAA" in _error(_identity(client, birth="1er janvier"), "birth_date")


def _unknown(client):
    """What anyone is told about a NIR and birth date nobody has."""
    return _error(_identity(client, nir="180017500000233"), "birth_date")


def test_wrong_code_then_locked(client, pending):
    assert _error(_identity(client, code="ZZZZ-0000"), "birth_date") == _unknown(client)
    pending.activation_attempts = 5
    pending.save()
    locked = _error(_identity(client), "birth_date")
    assert locked == _unknown(client) and "5 essais incorrects" in locked


def test_activation_tells_nothing_of_a_space_to_whoever_lacks_its_code(client, db):
    """NIR and birth date alone tell neither 'already activated', 'minor', 'objected',
    'closed' nor 'a new code is on its way': all read like a person nobody knows."""
    unknown = _unknown(client)
    birth = dt.date(1980, 1, 1)
    cases = {
        "used": dict(owner=make_user(), state="active"),
        "objected": dict(state="objected"),
        "closed": dict(state="closed", activation_code_hash=hash_password("ABCD-2026")),
        "minor": dict(birth_date=dt.date.today() - dt.timedelta(days=365 * 10),
                      activation_code_hash=hash_password("ABCD-2026")),
    }
    for n, (name, fields) in enumerate(cases.items()):
        body = f"18001750010{n:02d}"
        nir = body + f"{97 - int(body) % 97:02d}"
        make_space(**{"nir": nir, "birth_date": birth, "notified_at": utcnow(), **fields})
        born = fields.get("birth_date", birth).strftime("%d/%m/%Y")
        told = _error(_identity(client, nir=nir, birth=born, code="WXYZ-9999"), "birth_date")
        assert told == unknown, name


def test_with_the_right_code_the_person_learns_why(client, db):
    make_space(nir=NIR, birth_date=dt.date.today() - dt.timedelta(days=365 * 10),
               activation_code_hash=hash_password("ABCD-2026"))
    born = (dt.date.today() - dt.timedelta(days=365 * 10)).strftime("%d/%m/%Y")
    assert "enfant mineur" in _error(_identity(client, birth=born), "code")


def test_expired_code(client, pending):
    pending.activation_expires_at = utcnow() - dt.timedelta(minutes=1)
    pending.save()
    assert "expiré" in _error(_identity(client), "code")  # said with the right code only


def test_code_is_single_use(client, pending):
    _identity(client)
    assert _account(client).status_code == 303
    client.submit("/deconnexion")
    assert _error(_identity(client), "birth_date") == _unknown(client)


def test_rate_limited_per_nir(client, pending):
    for _ in range(5):
        _identity(client, code="ZZZZ-0000")
    assert "Trop de tentatives" in _error(_identity(client), "code")


def test_account_step_errors_keep_what_was_typed(client, pending):
    _identity(client)
    response = client.submit("/activation/compte", {"email": "moi@example", "password": "court",
                                                     "confirm": "autre"})
    assert response.status_code == 200
    doc = parse(response.text)
    assert doc.by_id("email").get("value") == "moi@example"
    assert doc.by_id("email-error") is not None
    assert "12 caractères" in doc.by_id("password-error").text
    assert Space.get_by_id(pending.id).owner is None


def test_account_step_needs_the_identity_step(client, db):
    response = client.get("/activation/compte")
    assert response.status_code == 302 and response.headers["Location"].endswith("/activation")


def test_objection_before_deadline(client, pending):
    response = _identity(client, url="/opposition")
    assert response.status_code == 303
    _r, doc = client.page("/opposition/confirmer")
    response = client.submit("/opposition/confirmer", {})
    assert response.status_code == 200 and "Cochez" in parse(response.text).by_id(
        "confirm-error").text
    response = client.submit("/opposition/confirmer", {"confirm": "y"})
    assert response.status_code == 303
    space = Space.get_by_id(pending.id)
    assert space.state == "objected" and space.activation_code_hash is None
    proof = Objection.get(Objection.space == space)
    _r, doc = client.page("/opposition/attestation")
    assert proof.reference in doc.find("main").text
    pdf = client.get("/opposition/attestation.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert pdf.mimetype == "application/pdf"
    # the space can never be activated afterwards
    client.application.extensions.pop("attempt_counters", None)
    assert _error(_identity(client), "birth_date") == _unknown(client)


def test_objection_after_deadline_is_refused_with_an_explanation(client, pending):
    pending.notified_at = utcnow() - dt.timedelta(weeks=6, minutes=1)
    pending.save()
    response = _identity(client, url="/opposition")
    assert response.status_code == 200
    text = parse(response.text).find("main").text
    assert "délai pour vous opposer est dépassé" in text and "fermer" in text
    assert Space.get_by_id(pending.id).state == "created"


def test_objection_after_activation_is_refused(client, pending):
    pending.owner = make_user()
    pending.state = "active"
    pending.save()
    response = _identity(client, url="/opposition")
    assert "déjà été activé" in parse(response.text).find("main").text


def test_proof_pages_need_an_objection_in_this_session(client, db):
    assert client.get("/opposition/attestation").status_code == 302
    assert client.get("/opposition/attestation.pdf").status_code == 302
    assert client.get("/opposition/confirmer").status_code == 302


def test_wrong_code_on_objection(client, pending):
    wrong = _error(_identity(client, code="NOPE", url="/opposition"), "birth_date")
    assert wrong == _error(_identity(client, nir="180017500000233", url="/opposition"),
                           "birth_date")
    assert User.select().count() == 0
