"""Professionals' accounts: an admin creates one (RPPS, profession, place with its FINESS or
SIRET, all checked) and deactivates it; the professional chooses a password through the
link sent by e-mail. "What I did" lists their own actions, signed in each patient's
history with their profession and place. The demo has five professions."""

import json

import pytest

from tests.helpers import make_space, make_user, space_path
from webapp.models.accounts import User, UserSession
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.pro import Practice, Structure
from webapp.models.spaces import CareRelation, Space
from webapp.pro import identifiers, ins

NEW = "/admin/professionnels/nouveau"
GOOD = dict(last_name="Haddad", first_name="Inès", email="ines.haddad@example.org",
            rpps="10055667785", profession="sage_femme", specialty="",
            structure="Maison de naissance Belleville", address="2 rue Ramponeau, Paris",
            finess="750012346", siret="")


@pytest.fixture
def admin(client, db):
    user = make_user("admin")
    client.sign_in(user.email)
    return user


def test_an_admin_creates_a_professional_who_sets_a_password(client, admin):
    assert identifiers.rpps_ok(GOOD["rpps"])
    _, form = client.page(NEW)
    assert form.by_id("rpps") and form.by_id("finess") and form.by_id("profession")
    response = client.submit(NEW, GOOD)
    assert response.status_code == 303, response.text[:1500]
    user = User.by_email(GOOD["email"])
    assert (user.role, user.rpps, user.profession, user.password_hash) == (
        "professional", "10055667785", "sage_femme", "!")
    place = Structure.select().join(Practice).where(Practice.professional == user).get()
    assert (place.name, place.finess) == ("Maison de naissance Belleville", "750012346")
    _, listing = client.page("/admin/professionnels")
    assert "Inès HADDAD" in listing.text and "FINESS 750012346" in listing.text
    mail = Outbox.get((Outbox.recipient == user) & (Outbox.template == "pro_invitation"))
    link = mail.link
    assert link.startswith("/pro/compte/")
    newcomer = client.application.test_client()
    newcomer.page(link)
    bad = newcomer.submit(link, {"password": "court", "confirm": "court"})
    assert bad.status_code == 200 and "12 caractères" in bad.text
    done = newcomer.submit(link, {"password": "un-mot-de-passe-long", "confirm":
                                  "un-mot-de-passe-long"})
    assert done.status_code == 303
    newcomer.page(link, status=404)  # the link works once
    newcomer.sign_in(GOOD["email"], password="un-mot-de-passe-long")
    _, home = newcomer.page("/")
    assert "Rechercher un patient" in home.text
    assert json.loads(mail.params).get("to") == GOOD["email"]


@pytest.mark.parametrize("field,value,message", [
    ("rpps", "10055667786", "Ce numéro RPPS n'est pas valide"),
    ("finess", "750012347", "Ce numéro FINESS n'est pas valide"),
    ("finess", "", "Saisissez le numéro FINESS du lieu d'exercice"),
    ("profession", "astrologue", "Choisissez la profession."),
    ("specialty", "pediatrie", "Cette profession n'a pas de spécialité"),
])
def test_every_number_and_choice_is_checked_on_its_field(client, admin, field, value, message):
    from tests.helpers import parse

    response = client.submit(NEW, {**GOOD, field: value})
    assert response.status_code == 200
    page = parse(response.text)
    assert message in page.text and page.find("div", class_="error-summary")
    assert User.by_email(GOOD["email"]) is None


def test_a_siret_stands_in_for_a_missing_finess(client, admin):
    assert client.submit(NEW, {**GOOD, "finess": "", "siret": "73282932000074"}
                         ).status_code == 303
    user = User.by_email(GOOD["email"])
    place = Structure.select().join(Practice).where(Practice.professional == user).get()
    assert place.identifier == ("SIRET", "73282932000074")


def test_an_rpps_is_used_once(client, admin):
    make_user("professional", rpps="10055667785")
    response = client.submit(NEW, GOOD)
    assert "Un professionnel a déjà ce numéro RPPS" in response.text


def test_deactivating_signs_the_professional_out_and_keeps_them_out(client, admin):
    pro = make_user("professional")
    session = client.application.test_client()
    session.sign_in(pro.email)
    assert client.submit(f"/admin/professionnels/{pro.id}/statut").status_code == 303
    assert not User.get_by_id(pro.id).active
    assert not UserSession.select().where((UserSession.user == pro)
                                          & UserSession.ended_at.is_null()).exists()
    assert session.get("/pro/patients/rechercher").status_code == 302
    client.submit(f"/admin/professionnels/{pro.id}/statut")
    assert User.get_by_id(pro.id).active


def test_only_admins_manage_professionals(client, db):
    pro = make_user("professional")
    client.sign_in(pro.email)
    client.page("/admin/professionnels", status=404)
    assert client.submit(f"/admin/professionnels/{pro.id}/statut").status_code == 404


def test_what_i_did_lists_my_actions_signed_with_profession_and_place(client, demo):
    camille, bernard = demo.spaces["camille"], demo.users["bernard"]
    client.sign_in(bernard.email)
    client.page(space_path(camille, "/pro/dossier"))
    entry = AccessLog.select().where(AccessLog.actor == bernard).order_by(
        AccessLog.id.desc()).first()
    assert entry.office_name == "Médecin – Médecine générale, Cabinet médical de Belleville"
    _, page = client.page("/pro/activite")
    assert "Camille MARTIN" in page.text and "Consultation des documents" in page.text
    other = make_user("professional")
    CareRelation.create(professional=other, space=camille)
    second = client.application.test_client()
    second.sign_in(other.email)
    _, theirs = second.page("/pro/activite")
    assert "Camille MARTIN" not in theirs.text
    owner = client.application.test_client()
    owner.sign_in(demo.users["camille"].email)
    _, history = owner.page(space_path(camille, "/historique"))
    assert "Cabinet médical de Belleville" in history.text


def test_the_demo_has_five_professions_checked_numbers_and_demo_identities(demo):
    pros = list(User.select().where(User.role == "professional"))
    assert len({p.profession for p in pros}) >= 5
    for pro in pros:
        assert identifiers.rpps_ok(pro.rpps), pro.email
        place = Structure.select().join(Practice).where(Practice.professional == pro).get()
        assert identifiers.finess_ok(place.finess) or identifiers.siret_ok(place.siret)
    for key in ("camille", "leo", "jean", "nadia"):
        space = Space.get_by_id(demo.spaces[key].id)
        assert space.ins_oid == ins.TEST_NIR_OID and space.birth_name
        assert ins.consistent(space.nir, space.birth_date, space.sex), key
    from webapp import seed

    seed.run()  # again: nothing is added twice
    assert User.select().where(User.role == "professional").count() == len(pros)
    assert Practice.select().count() == len(pros)


def test_a_patient_without_professionals_is_still_a_space(db):
    assert make_space(make_user()).ins_oid == ins.NIR_OID


DROPPED = {"space": ["ins_oid", "birth_name", "birth_first_names", "birth_first_name",
                     "birth_place", "identity_status"],
           "document": ["loinc", "withheld", "release_at", "superseded_at"],
           "appointment": ["status", "answered_at"]}


def test_an_older_database_gets_the_identity_documents_and_proposals_columns(db):
    """Migration 5 on a copy made before it (the self-reference of documents kept: SQLite
    cannot drop a foreign key's column)."""
    import datetime as dt

    from tests.helpers import make_document
    from webapp.db import SchemaVersion, database
    from webapp.migrations import create_schema
    from webapp.models.agenda import Appointment
    from webapp.models.documents import Document

    space = make_space(make_user())
    doc = make_document(space)
    entry = Appointment.create(space=space, title="RDV", starts_at=dt.datetime(2026, 5, 1, 9))
    for index in ("document_new", "document_withheld"):  # migrations 15 and 17 came later
        database.execute_sql(f'DROP INDEX IF EXISTS "{index}"')
    # (on PostgreSQL the tables outlive the test: 15 and 17 run again and put them back)
    for table, names in DROPPED.items():
        for name in names:
            database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{name}"')
    SchemaVersion.delete().where(SchemaVersion.version.in_([5, 15, 17])).execute()
    create_schema()
    for table, names in DROPPED.items():
        assert set(names) <= {c.name for c in database.get_columns(table)}, table
    assert Space.get_by_id(space.id).ins_oid == ins.NIR_OID
    assert Space.get_by_id(space.id).identity_status == "provisional"
    assert not Document.get_by_id(doc.id).withheld
    assert Appointment.get_by_id(entry.id).status == ""
    assert SchemaVersion.get_by_id(5).name == "professionals_feed_the_record"


def test_what_i_did_names_the_professionals_own_actions(client, demo):
    from tests.helpers import parse

    camille = demo.spaces["camille"]
    garnier = demo.users["garnier"]
    client.sign_in(garnier.email)
    found = client.submit("/pro/patients/rechercher", {
        "by": "ins", "ins-matricule": camille.nir, "ins-birth_date": "1984-05-14"})
    token = parse(found.text).find("input", name="token").get("value")
    client.submit("/pro/patients/declarer", {"token": token, "informed": "y"})
    _, page = client.page("/pro/activite")
    assert "Déclaration d'une relation de soin" in page.text
    assert "Recherche du patient par son identité nationale de santé" in page.text
    assert "care." not in page.text
