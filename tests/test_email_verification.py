"""An account uses an e-mail address only once its owner proved it with a code sent to it
(at activation, at a change, or later for an address never proven); the code is kept as
a keyed hash and gets five tries; nothing is e-mailed to a citizen's address before it
is proven, and nothing tells anyone whether an address has an account."""

import datetime as dt
import hashlib
import json

import pytest

from tests.helpers import PASSWORD, make_space, make_user, parse, space_path
from tests.test_activation import NIR, _identity, sent_code
from webapp.accounts import lifecycle, recovery
from webapp.db import SchemaVersion, database, utcnow
from webapp.migrations import create_schema
from webapp.models.accounts import User
from webapp.models.assistance import CaregiverInvitation
from webapp.models.notifications import Outbox
from webapp.models.privacy import EmailChange
from webapp.models.recovery import PasswordReset
from webapp.models.spaces import Space
from webapp.notify.queue import notify
from webapp.security import hash_password, keyed_hash

NEW = "une phrase assez longue"


@pytest.fixture
def letter(db):
    return make_space(nir=NIR, birth_date=dt.date(1980, 1, 1), notified_at=utcnow(),
                      activation_code_hash=hash_password("ABCD-2026"),
                      activation_expires_at=utcnow() + dt.timedelta(days=30))


def _choose(client, email, password=NEW):
    return client.submit("/activation/compte", {"email": email, "password": password,
                                                "confirm": password})


def _main_text(client, url):
    _r, doc = client.page(url)
    return doc.find("main").text


def test_activation_uses_the_address_only_once_the_code_sent_to_it_is_typed(client, letter):
    _identity(client)
    response = _choose(client, "Ines@example.org")
    assert response.headers["Location"].endswith("/activation/verification")
    # nobody holds the address yet, the account in waiting cannot sign in, the space waits
    assert User.by_email("ines@example.org") is None
    assert Space.get_by_id(letter.id).owner is None
    refused = client.submit("/connexion", {"email": "ines@example.org", "password": NEW})
    assert refused.status_code == 200  # no account signs in with it
    code = sent_code("ines@example.org")
    change = EmailChange.get(EmailChange.new_email == "ines@example.org")
    assert change.code_hash == keyed_hash(code, "email-change")  # keyed, not a bare digest
    assert change.code_hash != hashlib.sha256(code.encode()).hexdigest()
    wrong = "000000" if code != "000000" else "111111"
    response = client.submit("/activation/verification", {"code": wrong})
    assert response.status_code == 200
    assert parse(response.text).by_id("code-error") is not None
    response = client.submit("/activation/verification", {"code": code})
    assert response.status_code == 303
    user = User.by_email("ines@example.org")
    assert user.active and user.email_verified
    assert Space.get_by_id(letter.id).owner_id == user.id
    assert client.get("/").status_code == 302  # signed in: sent on to the space


def test_an_address_of_another_account_reads_the_same_and_gets_no_code(app, client, letter):
    taken = make_user(email="pris@example.org")
    _identity(client)
    free = _choose(client, "libre@example.org")
    free_page = _main_text(client, "/activation/verification").replace("libre@", "X@")
    response = _choose(client, "pris@example.org")
    assert response.status_code == free.status_code == 303
    assert response.headers["Location"] == free.headers["Location"]
    assert _main_text(client, "/activation/verification").replace("pris@", "X@") == free_page
    # no code goes to it; its owner is told, by e-mail
    codes = Outbox.select().where(Outbox.template == "email_verification_code")
    assert [json.loads(r.params)["to"] for r in codes] == ["libre@example.org"]
    assert Outbox.select().where((Outbox.recipient == taken)
                                 & (Outbox.template == "email_address_taken")).exists()
    for guess in ("000000", "123456", "999999"):
        assert client.submit("/activation/verification", {"code": guess}).status_code in (
            200, 303)
    assert Space.get_by_id(letter.id).owner is None
    assert User.by_email("pris@example.org").id == taken.id


def test_five_wrong_codes_end_the_code(client, letter):
    _identity(client)
    _choose(client, "cinq@example.org")
    code = sent_code("cinq@example.org")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert client.submit("/activation/verification", {"code": wrong}).status_code == 200
    response = client.submit("/activation/verification", {"code": wrong})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/activation/compte")
    client.submit("/activation/verification", {"code": code})
    assert Space.get_by_id(letter.id).owner is None
    assert User.by_email("cinq@example.org") is None


def test_codes_sent_at_activation_are_limited(client, letter):
    _identity(client)
    for n in range(5):
        assert _choose(client, f"essai{n}@example.org").status_code == 303
    response = _choose(client, "essai5@example.org")
    assert response.status_code == 200
    assert "Trop de codes demandés" in parse(response.text).by_id("email-error").text
    assert not EmailChange.select().where(EmailChange.new_email == "essai5@example.org").exists()
    # the five requests reused one account in waiting
    assert User.select().where(User.email.endswith("@attente.invalid")).count() == 1


def test_nothing_is_emailed_to_a_citizens_address_before_it_is_proven(db):
    unproven = make_user(email_verified_at=None)
    proven = make_user()
    assert notify(unproven, "new_document").channel == "app"
    assert not Outbox.select().where((Outbox.recipient == unproven)
                                     & (Outbox.channel == "email")).exists()
    assert notify(proven, "new_document").channel == "email"
    # a code sent to prove an address names it: it goes
    assert notify(unproven, "email_verification_code", channel="email", to=unproven.email,
                  code="123456") is not None


def test_a_reset_link_goes_only_to_a_proven_address(db):
    unproven = make_user(email_verified_at=None)
    make_space(unproven)
    assert recovery.request_link(unproven.email) is False
    assert not PasswordReset.select().exists()
    proven = make_user()
    make_space(proven)
    assert recovery.request_link(proven.email) is True


def test_an_address_never_proven_is_proven_from_the_account_page(client, db):
    user = make_user(email="ancien@example.org", email_verified_at=None)
    make_space(user)
    client.sign_in(user.email)
    assert "non confirmée" in _main_text(client, "/compte")
    response = client.submit("/compte/email/verifier")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/compte/email/confirmer")
    _r, home = client.page(space_path(Space.get(Space.owner == user), "/"))
    assert "Confirmez votre adresse e-mail" in home.find("main").text  # said at home too
    code = sent_code("ancien@example.org")
    assert client.submit("/compte/email/confirmer", {"code": code}).status_code == 303
    user = User.get_by_id(user.id)
    assert user.email == "ancien@example.org" and user.email_verified
    assert "non confirmée" not in _main_text(client, "/compte")
    _r, home = client.page(space_path(Space.get(Space.owner == user), "/"))
    assert "Confirmez votre adresse e-mail" not in home.find("main").text
    assert not Outbox.select().where(Outbox.template == "email_changed").exists()


def test_a_change_of_address_proves_the_new_one(client, db):
    user = make_user(email="avant@example.org")
    make_space(user)
    client.sign_in(user.email)
    client.submit("/compte/email", {"email": "apres@example.org", "password": PASSWORD})
    row = Outbox.select().where(Outbox.template == "email_change_code").get()
    code = json.loads(row.params)["code"]
    before = User.get_by_id(user.id).email_verified_at
    assert client.submit("/compte/email/confirmer", {"code": code}).status_code == 303
    user = User.get_by_id(user.id)
    assert user.email == "apres@example.org" and user.email_verified_at > before


def test_an_address_of_another_account_on_a_change_reads_the_same(client, db):
    make_user(email="pris@example.org")
    user = make_user(email="moi@example.org")
    make_space(user)
    client.sign_in(user.email)
    client.submit("/compte/email", {"email": "libre@example.org", "password": PASSWORD})
    free = _main_text(client, "/compte/email/confirmer").replace("libre@", "X@")
    client.submit("/compte/email", {"email": "pris@example.org", "password": PASSWORD})
    assert _main_text(client, "/compte/email/confirmer").replace("pris@", "X@") == free


def test_the_demo_accounts_are_proven(demo):
    for key in ("camille", "jean", "amina", "bernard", "admin"):
        assert User.get_by_id(demo.users[key].id).email_verified, key


def test_migration_11_on_an_older_database(app, db):
    """Addresses proven by an earlier change count as proven; caregiver invitations get
    the invitee's address and may then name no account."""
    inviter, invitee = make_user(), make_user(email="jean@example.org")
    space = make_space(inviter)
    invitation = CaregiverInvitation.create(space=space, invited_by=inviter, invitee=invitee,
                                            scopes="documents.read",
                                            expires_at=utcnow() + dt.timedelta(days=30))
    EmailChange.create(user=invitee, new_email=invitee.email, code_hash="x",
                       expires_at=utcnow(), used_at=utcnow())
    for table, column in (("user", "email_verified_at"), ("caregiver_invitation", "email")):
        database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    SchemaVersion.delete().where(SchemaVersion.version == 11).execute()
    try:
        create_schema()
    finally:  # PostgreSQL keeps its schema between tests
        for table, column, kind in (("user", "email_verified_at", "TIMESTAMP"),
                                    ("caregiver_invitation", "email",
                                     "VARCHAR(255) NOT NULL DEFAULT ''")):
            if column not in [c.name for c in database.get_columns(table)]:
                database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind}')
    assert CaregiverInvitation.get_by_id(invitation.id).email == "jean@example.org"
    assert User.get_by_id(invitee.id).email_verified
    assert not User.get_by_id(inviter.id).email_verified
    CaregiverInvitation.create(space=space, invited_by=inviter, email="x@example.org",
                               scopes="documents.read", expires_at=utcnow())
    assert CaregiverInvitation.select().count() == 2


def test_activations_left_before_the_address_is_proven_are_forgotten(app, client, letter):
    _identity(client)
    _choose(client, "parti@example.org")
    waiting = User.get(User.email.endswith("@attente.invalid"))
    kept = make_user()
    assert lifecycle.forget_accounts_in_waiting() == 0  # not before a day
    User.update(created_at=utcnow() - dt.timedelta(days=2)).where(
        User.id.in_([waiting.id, kept.id])).execute()
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert "forgot 1 activation(s)" in result.output, result.output
    assert User.get_or_none(User.id == waiting.id) is None
    assert not EmailChange.select().where(EmailChange.user == waiting.id).exists()
    assert User.get_or_none(User.id == kept.id) is not None
    assert Space.get_by_id(letter.id).owner is None
