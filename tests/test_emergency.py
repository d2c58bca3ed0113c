"""A professional's emergency access: only with the space's switches on, with a stated
reason, read-only, logged as an emergency, and always notified to the holders."""

import datetime as dt

import pytest

from tests.helpers import make_child, make_space, make_user, parse
from webapp import policy
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.privacy import EmergencyAccess, EmergencySettings
from webapp.models.spaces import Block
from webapp.policy import Scope
from webapp.views.emergency import kind_of

NIR = "180017500000134"


@pytest.fixture
def world(db):
    owner = make_user()
    space = make_space(owner, nir=NIR, birth_date=dt.date(1980, 1, 1))
    doctor = make_user("professional", profession="Médecin des urgences")
    gp = make_user("professional", profession="Médecin généraliste")
    return dict(owner=owner, space=space, doctor=doctor, gp=gp)


def _ask(client, nir=NIR, birth="01/01/1980", reason="Patient inconscient aux urgences"):
    return client.submit("/urgence", {"nir": nir, "birth_date": birth, "reason": reason})


def test_kind_comes_from_the_profession(world):
    assert kind_of(world["doctor"]) == "ems"
    assert kind_of(world["gp"]) == "break_glass"


def test_emergency_access_with_reason_is_logged_and_notified(client, world):
    client.sign_in(world["gp"].email)
    client.page("/urgence")
    response = _ask(client)
    assert response.status_code == 303
    grant = policy.grant_for(world["gp"], world["space"])
    assert grant.emergency and grant.allows(Scope.DOCUMENTS_READ)
    assert not grant.allows(Scope.DOCUMENTS_ADD) and not grant.allows(Scope.PRIVACY)
    assert not grant.sees_hidden
    opened = AccessLog.get(AccessLog.action == "emergency.open")
    assert opened.emergency and opened.allowed and "inconscient" in opened.target
    assert Outbox.select().where((Outbox.recipient == world["owner"])
                                 & (Outbox.template == "emergency_access")).exists()
    # the pages reached afterwards are logged as emergency accesses too
    if "documents.index" in client.application.view_functions:
        client.page("/documents")
        last = AccessLog.select().order_by(AccessLog.id.desc()).first()
        assert last.emergency and last.action == "documents.read"


def test_reason_is_required(client, world):
    client.sign_in(world["gp"].email)
    response = _ask(client, reason="")
    assert response.status_code == 200
    assert parse(response.text).by_id("reason-error") is not None
    assert not EmergencyAccess.select().exists()


@pytest.mark.parametrize("who, switch", [("gp", "break_glass_allowed"),
                                         ("doctor", "ems_allowed")])
def test_refused_when_the_switch_is_off(client, world, who, switch):
    EmergencySettings.create(space=world["space"], **{switch: False})
    client.sign_in(world[who].email)
    response = _ask(client)
    assert response.status_code == 200
    assert "refusé l'accès en urgence" in parse(response.text).by_id("nir-error").text
    assert policy.grant_for(world[who], world["space"]) is None
    refused = AccessLog.get(AccessLog.action == "emergency.open")
    assert not refused.allowed
    assert not Outbox.select().where(Outbox.template == "emergency_access").exists()


def test_other_switch_does_not_matter(client, world):
    EmergencySettings.create(space=world["space"], ems_allowed=False)
    client.sign_in(world["gp"].email)
    assert _ask(client).status_code == 303


def test_hidden_documents_only_when_allowed(world):
    EmergencySettings.create(space=world["space"], hidden_readable=True)
    grant = policy.emergency_grant(world["gp"], world["space"], "Arrêt cardiaque", "break_glass")
    assert grant.sees_hidden


def test_blocked_professional_has_no_emergency_access(world):
    Block.create(space=world["space"], professional=world["gp"])
    assert policy.emergency_grant(world["gp"], world["space"], "Urgence vitale",
                                  "break_glass") is None


def test_access_ends_after_two_hours(world):
    now = utcnow()
    policy.emergency_grant(world["gp"], world["space"], "Urgence vitale", "break_glass", now=now)
    assert policy.grant_for(world["gp"], world["space"], now=now + dt.timedelta(minutes=119))
    assert policy.grant_for(world["gp"], world["space"], now=now + dt.timedelta(hours=2)) is None


def test_minor_space_notifies_the_legal_representatives(world):
    parent = make_user()
    child = make_child(parent, dt.date(2015, 6, 1))
    policy.emergency_grant(world["doctor"], child, "Chute, enfant inconscient", "ems")
    assert Outbox.select().where((Outbox.recipient == parent)
                                 & (Outbox.template == "emergency_access")).exists()


def test_unknown_patient_and_bad_key(client, world):
    client.sign_in(world["gp"].email)
    assert "clé" in parse(_ask(client, nir=NIR[:13] + "00").text).by_id("nir-error").text
    assert _ask(client, birth="02/01/1980").status_code == 200
    assert not EmergencyAccess.select().exists()


def test_resume_a_running_access(client, world):
    client.sign_in(world["gp"].email)
    _ask(client)
    access = EmergencyAccess.get()
    _r, doc = client.page("/urgence")
    assert world["space"].display_name in doc.find("main").text
    assert client.submit(f"/urgence/{access.id}/ouvrir").status_code == 303
    other = make_user("professional")
    client.submit("/deconnexion")
    client.sign_in(other.email)
    assert client.submit(f"/urgence/{access.id}/ouvrir").status_code == 404


@pytest.mark.parametrize("role", ["citizen", "mediator", "admin"])
def test_only_professionals(client, world, role):
    client.sign_in(make_user(role).email)
    assert client.get("/urgence").status_code == 404
