"""A professional's emergency access: its kind from the profession's codes, only with the
space's switch for that kind on, with a stated reason, read-only (documents and profile),
logged as an emergency, always notified to the holders; none for a professional who
already follows the patient."""

import datetime as dt

import pytest

from tests.helpers import make_child, make_document, make_space, make_user, parse, space_path
from webapp import policy
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.privacy import EmergencyAccess, EmergencySettings
from webapp.models.spaces import Block, CareRelation
from webapp.privacy.actions import open_emergency
from webapp.pro.professions import Profession, Specialty, emergency_kind
from webapp.scopes import EMERGENCY_SCOPES, Scope

NIR = "180017500000134"


def _notified(template="emergency_access"):
    return Outbox.select().where(Outbox.template == template)


@pytest.fixture
def world(db):
    owner = make_user()
    space = make_space(owner, nir=NIR, birth_date=dt.date(1980, 1, 1))
    doctor = make_user("professional", profession=Profession.MEDECIN,
                       specialty=Specialty.MEDECINE_URGENCE)
    gp = make_user("professional", profession=Profession.MEDECIN,
                   specialty=Specialty.MEDECINE_GENERALE)
    return dict(owner=owner, space=space, doctor=doctor, gp=gp)


def _ask(client, nir=NIR, birth="01/01/1980", reason="Patient inconscient aux urgences"):
    return client.submit("/urgence", {"nir": nir, "birth_date": birth, "reason": reason})


@pytest.mark.parametrize("profession, specialty, kind", [
    (Profession.MEDECIN, Specialty.MEDECINE_URGENCE, "ems"),
    (Profession.MEDECIN, Specialty.MEDECINE_GENERALE, "break_glass"),
    (Profession.MEDECIN, Specialty.NONE, "break_glass"),
    (Profession.INFIRMIER, Specialty.NONE, "break_glass"),
    (Profession.INFIRMIER, Specialty.MEDECINE_URGENCE, "break_glass"),  # not a physician
    ("Médecin des urgences", "", "break_glass"),  # free text means nothing any more
])
def test_kind_comes_from_the_profession_codes(profession, specialty, kind):
    assert emergency_kind(profession, specialty) == kind


@pytest.mark.parametrize("who, kind, words", [
    ("doctor", "ems", "aide médicale urgente"), ("gp", "break_glass", "bris de glace")])
def test_both_kinds_are_opened_and_said(client, world, who, kind, words):
    client.sign_in(world[who].email)
    _r, doc = client.page("/urgence")
    assert words in doc.find("main").text
    assert _ask(client).status_code == 303
    assert EmergencyAccess.get().kind == kind


def test_emergency_access_with_reason_is_logged_and_notified(client, world):
    client.sign_in(world["gp"].email)
    response = _ask(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(space_path(world["space"], "/documents"))
    grant = policy.grant_for(world["gp"], world["space"])
    assert grant.emergency and grant.allows(Scope.DOCUMENTS_READ)
    assert not grant.allows(Scope.DOCUMENTS_ADD) and not grant.allows(Scope.PRIVACY)
    assert not grant.sees_hidden
    opened = AccessLog.get(AccessLog.action == "emergency.open")
    assert opened.emergency and opened.allowed and "inconscient" in opened.detail
    assert opened.actor_id == world["gp"].id and opened.space_id == world["space"].id
    told = _notified().where(Outbox.recipient == world["owner"])
    assert told.where(Outbox.channel == "email").count() == 1
    count = _notified().count()
    # the pages reached afterwards are logged as emergency accesses too, and not notified
    client.page(space_path(world["space"], "/documents"))
    last = AccessLog.select().order_by(AccessLog.id.desc()).first()
    assert last.emergency and last.action == "documents.read"
    assert _notified().count() == count


def test_the_emergency_grant_reads_documents_and_profile_only(client, world):
    hidden = make_document(world["space"], title="Document masqué", hidden=True)
    shown = make_document(world["space"], title="Compte rendu visible")
    client.sign_in(world["gp"].email)
    _ask(client)
    assert policy.grant_for(world["gp"], world["space"]).scopes == EMERGENCY_SCOPES
    prefix = space_path(world["space"], "")
    _r, doc = client.page(f"{prefix}/documents")
    assert "Compte rendu visible" in doc.text and "Document masqué" not in doc.text
    assert client.get(f"{prefix}/documents/{shown.id}/telecharger").status_code == 200
    assert client.get(f"{prefix}/documents/{hidden.id}/telecharger").status_code == 404
    client.page(f"{prefix}/profil")
    for path in ("/documents/ajouter", "/profil/allergies/ajouter", "/agenda", "/messages",
                 "/messages/nouveau", "/parametres", "/historique",
                 "/confidentialite/professionnels", f"/documents/{shown.id}/masquer"):
        assert client.get(prefix + path).status_code in (404, 405), path
    assert client.submit(f"{prefix}/documents/{shown.id}/masquer").status_code == 404


def test_a_professional_who_follows_the_patient_gets_no_emergency_access(client, world):
    CareRelation.create(professional=world["gp"], space=world["space"])
    client.sign_in(world["gp"].email)
    response = _ask(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(space_path(world["space"], "/documents"))
    assert not EmergencyAccess.select().exists()
    assert not AccessLog.select().where(AccessLog.action == "emergency.open").exists()
    assert not _notified().exists()
    grant = policy.grant_for(world["gp"], world["space"])
    assert not grant.emergency and grant.allows(Scope.DOCUMENTS_ADD)


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
    assert not refused.allowed and not refused.emergency
    assert not EmergencyAccess.select().exists()
    assert not _notified().exists()


@pytest.mark.parametrize("who, other_switch", [("gp", "ems_allowed"),
                                               ("doctor", "break_glass_allowed")])
def test_the_other_switch_does_not_matter(client, world, who, other_switch):
    EmergencySettings.create(space=world["space"], **{other_switch: False})
    client.sign_in(world[who].email)
    assert _ask(client).status_code == 303


def test_hidden_documents_only_when_allowed(world):
    EmergencySettings.create(space=world["space"], hidden_readable=True)
    assert open_emergency(world["gp"], world["space"], "Arrêt cardiaque") is None
    assert policy.grant_for(world["gp"], world["space"]).sees_hidden


def test_blocked_professional_has_no_emergency_access(world):
    Block.create(space=world["space"], professional=world["gp"])
    assert open_emergency(world["gp"], world["space"], "Urgence vitale") == "refused"
    assert policy.grant_for(world["gp"], world["space"]) is None
    assert not EmergencyAccess.select().exists() and not _notified().exists()


def test_access_ends_after_two_hours(world):
    now = utcnow()
    open_emergency(world["gp"], world["space"], "Urgence vitale", now=now)
    assert policy.grant_for(world["gp"], world["space"], now=now + dt.timedelta(minutes=119))
    assert policy.grant_for(world["gp"], world["space"], now=now + dt.timedelta(hours=2)) is None


def test_switching_off_ends_a_running_access(world):
    open_emergency(world["gp"], world["space"], "Urgence vitale")
    EmergencySettings.create(space=world["space"], break_glass_allowed=False)
    assert policy.grant_for(world["gp"], world["space"]) is None


def test_minor_space_notifies_the_legal_representatives(world):
    parent = make_user()
    child = make_child(parent, dt.date(2015, 6, 1))
    assert open_emergency(world["doctor"], child, "Chute, enfant inconscient") is None
    assert _notified().where(Outbox.recipient == parent).exists()


def test_unknown_patient_and_bad_key(client, world):
    client.sign_in(world["gp"].email)
    assert "clé" in parse(_ask(client, nir=NIR[:13] + "00").text).by_id("nir-error").text
    response = _ask(client, birth="02/01/1980")
    assert response.status_code == 200 and parse(response.text).by_id("nir-error")
    assert not EmergencyAccess.select().exists()
    assert not AccessLog.select().exists()  # nothing is learnt, nothing written anywhere


def test_a_running_access_is_listed_with_a_link_to_the_space(client, world):
    client.sign_in(world["gp"].email)
    _ask(client)
    _r, doc = client.page("/urgence")
    main = doc.find("main")
    assert world["space"].display_name in main.text
    link = main.find("a", href=space_path(world["space"], "/documents"))
    assert link is not None
    client.page(link.get("href"))
    Block.create(space=world["space"], professional=world["gp"])  # no longer allowed
    _r, doc = client.page("/urgence")
    assert world["space"].display_name not in doc.find("main").text
    other = make_user("professional", profession=Profession.INFIRMIER)
    client.submit("/deconnexion")
    client.sign_in(other.email)
    _r, doc = client.page("/urgence")
    assert world["space"].display_name not in doc.find("main").text
    assert client.get(space_path(world["space"], "/documents")).status_code == 404


@pytest.mark.parametrize("role", ["citizen", "mediator", "admin"])
def test_only_professionals(client, world, role):
    client.sign_in(make_user(role).email)
    assert client.get("/urgence").status_code == 404
    assert client.submit("/urgence", {"nir": NIR, "birth_date": "01/01/1980",
                                      "reason": "Patient inconscient"}).status_code == 404
    assert not EmergencyAccess.select().exists()


def test_refused_look_ups_are_limited_and_logged(app, client, db, caplog):
    pro = make_user("professional")
    client.sign_in(pro.email)
    for i in range(10):
        nir = _valid_nir(i)
        response = client.submit("/urgence", {"nir": nir, "birth_date": "01/01/1980",
                                              "reason": "Patient inconscient aux urgences"})
        assert "Aucun espace santé consultable" in response.text
    response = client.submit("/urgence", {"nir": _valid_nir(11), "birth_date": "01/01/1980",
                                          "reason": "Patient inconscient aux urgences"})
    assert "Trop de recherches sans résultat" in response.text
    assert sum("refused emergency look-up" in r.message for r in caplog.records) == 10
    assert not any(_valid_nir(i) in r.message for r in caplog.records for i in range(10))


def _valid_nir(i):
    body = f"1800175{i:06d}"[:13]
    return body + f"{97 - int(body) % 97:02d}"
