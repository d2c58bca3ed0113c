"""Finding a patient by their health identity and declaring the care relation: found by
matricule and birth date or by the traits, shown with the INS in the official order; the
declaration needs the box, shows at once in the patient's history and professionals, and
is notified; a blocked professional finds nobody; refused look-ups are logged and rate
limited."""

import datetime as dt

import pytest

from tests.helpers import check_structure, make_ines, make_space, make_user, parse, space_path
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.pro import PatientLookup
from webapp.models.spaces import Block, CareRelation
from webapp.pro import ins

FIND = "/pro/patients/rechercher"
NADIA_NIR = "295031305501270"


@pytest.fixture
def patient(db):
    """Inès ROUX (born Durand), open space, demo identity; and a professional."""
    return make_ines("qualified"), make_user("professional", first_name="Luc", last_name="Vidal")


def _by_ins(client, space, birth=None, matricule=None):
    return client.submit(FIND, {"by": "ins", "ins-matricule": matricule or ins.grouped(space.nir),
                                "ins-birth_date": (birth or space.birth_date).isoformat()})


def _token(page):
    return page.find("input", name="token").get("value")


def _checked(response):
    """The page a POST re-rendered, with its structure checked."""
    assert response.status_code == 200, response.text[:500]
    doc = parse(response.text)
    assert not check_structure(doc)
    return doc


def test_found_by_matricule_and_birth_date_with_the_ins_in_official_order(client, patient):
    space, pro = patient
    client.sign_in(pro.email)
    _, doc = client.page(FIND)
    assert doc.find("input", name="ins-matricule") and doc.find("input", name="traits-birth_name")
    doc = _checked(_by_ins(client, space))
    labels = [dt_.text for dt_ in doc.find_all("dt")]
    assert labels[:6] == ["Nom de naissance", "Premier prénom de naissance",
                          "Prénom(s) de naissance", "Date de naissance", "Sexe",
                          "Lieu de naissance (code INSEE)"]
    assert "Statut de l'identité" in labels and "Identité qualifiée" in doc.text
    assert "DURAND" in doc.text and "Identité de démonstration" in doc.text
    assert doc.find("input", name="informed") is not None and _token(doc)


def test_found_by_the_traits_without_accents_or_case(client, patient):
    space, pro = patient
    client.sign_in(pro.email)
    response = client.submit(FIND, {"by": "traits", "traits-birth_name": "durand",
                                    "traits-first_name": "INES", "traits-sex": "F",
                                    "traits-birth_date": "1990-07-09"})
    assert "Patient trouvé : Inès ROUX" in response.text
    wrong_sex = client.submit(FIND, {"by": "traits", "traits-birth_name": "Durand",
                                     "traits-first_name": "Inès", "traits-sex": "M",
                                     "traits-birth_date": "1990-07-09"})
    assert "Aucun patient ne correspond" in wrong_sex.text


def test_two_patients_with_the_same_traits_ask_for_the_matricule(client, patient):
    space, pro = patient
    body = "2900769123999"
    make_space(make_user(), first_name="Inès", last_name="Roux", birth_date=space.birth_date,
               nir=body + ins.key_for(body), sex="F", birth_name="Durand")
    client.sign_in(pro.email)
    response = client.submit(FIND, {"by": "traits", "traits-birth_name": "Durand",
                                    "traits-first_name": "Inès", "traits-sex": "F",
                                    "traits-birth_date": "1990-07-09"})
    assert "Plusieurs patients ont ces traits" in response.text


def test_a_wrong_key_or_birth_date_is_said_on_the_field(client, patient):
    space, pro = patient
    client.sign_in(pro.email)
    response = _by_ins(client, space, matricule=space.nir[:-2] + "00")
    assert _checked(response)
    assert "Ce numéro n'est pas valide" in parse(response.text).text
    assert "Erreur :" in response.text
    assert 'value="' + space.nir[:-2] + '00"' in response.text  # what was typed stays
    response = _by_ins(client, space, birth=dt.date(1991, 7, 9))
    assert "Cette date ne correspond pas au numéro" in response.text
    assert PatientLookup.select().count() == 0  # an invalid form looks nobody up


def test_declaring_needs_the_box_then_shows_everywhere_at_once(client, patient):
    space, pro = patient
    client.sign_in(pro.email)
    token = _token(parse(_by_ins(client, space).text))
    refused = _checked(client.submit("/pro/patients/declarer", {"token": token}))
    assert "Cochez la case" in refused.text and refused.find("div", class_="error-summary")
    assert not CareRelation.select().where(CareRelation.professional == pro).exists()
    done = client.submit("/pro/patients/declarer", {"token": token, "informed": "y"})
    assert done.status_code == 303 and done.headers["Location"].endswith(
        space_path(space, "/pro/"))
    assert CareRelation.select().where((CareRelation.professional == pro)
                                       & (CareRelation.space == space)).exists()
    entry = AccessLog.get((AccessLog.space == space) & (AccessLog.action == "care.declare"))
    assert entry.actor_id == pro.id and entry.allowed and entry.detail == "informed"
    assert entry.office_name.startswith("Médecin")
    notice = Outbox.get((Outbox.recipient == space.owner) & (Outbox.template == "care_relation"))
    assert "Luc" not in notice.params  # what the notice says is generic
    client.page(space_path(space, "/pro/"))
    owner = make_client(client)
    owner.sign_in(space.owner.email)
    _, doc = owner.page(space_path(space, "/confidentialite/professionnels"))
    assert "Luc VIDAL" in doc.text
    _, doc = owner.page(space_path(space, "/historique"))
    assert "Luc VIDAL" in doc.text


def make_client(client):
    """Another browser on the same app."""
    return client.application.test_client()


def test_a_forged_or_old_token_declares_nothing(client, patient):
    space, pro = patient
    client.sign_in(pro.email)
    response = client.submit("/pro/patients/declarer", {"token": "forged", "informed": "y"})
    assert response.status_code == 303
    assert not CareRelation.select().where(CareRelation.professional == pro).exists()
    token = _token(parse(_by_ins(client, space).text))
    other = make_user("professional")
    thief = make_client(client)
    thief.sign_in(other.email)
    thief.submit("/pro/patients/declarer", {"token": token, "informed": "y"})
    assert not CareRelation.select().where(CareRelation.professional == other).exists()


def test_a_blocked_professional_finds_nobody_and_the_refusal_is_logged(client, patient):
    space, pro = patient
    Block.create(space=space, professional=pro)
    client.sign_in(pro.email)
    response = _by_ins(client, space)
    assert "Aucun patient ne correspond" in response.text and "Inès" not in response.text
    assert PatientLookup.get(PatientLookup.professional == pro).outcome == "refused"
    entry = AccessLog.get((AccessLog.space == space) & (AccessLog.action == "care.lookup"))
    assert not entry.allowed and entry.actor_id == pro.id


def test_a_space_not_yet_open_is_found_by_nobody(client, db):
    space = make_space(None, state="created", nir=NADIA_NIR, birth_date=dt.date(1995, 3, 8),
                       sex="F", notified_at=dt.datetime.now() - dt.timedelta(days=3))
    pro = make_user("professional")
    client.sign_in(pro.email)
    response = _by_ins(client, space)
    assert "Aucun patient ne correspond" in response.text
    assert PatientLookup.get().outcome == "not_found"
    assert not AccessLog.select().where(AccessLog.space == space).exists()


def test_fruitless_look_ups_are_rate_limited(client, patient):
    space, pro = patient
    client.sign_in(pro.email)
    for _ in range(10):
        assert "Aucun patient" in _by_ins(client, space, birth=dt.date(1990, 7, 10)).text
    response = _by_ins(client, space)  # even the right identity waits now
    assert "Trop de recherches sans résultat" in response.text
    assert PatientLookup.select().where(PatientLookup.outcome == "limited").count() == 1
    other = make_client(client)
    other.sign_in(make_user("professional").email)
    assert "Patient trouvé" in _by_ins(other, space).text  # counted per professional


def test_a_professional_who_already_follows_gets_a_link(client, patient):
    space, pro = patient
    CareRelation.create(professional=pro, space=space)
    client.sign_in(pro.email)
    response = _by_ins(client, space)
    assert "Vous suivez déjà ce patient" in response.text
    assert space_path(space, "/pro/") in response.text
    entry = AccessLog.get((AccessLog.space == space) & (AccessLog.action == "care.lookup"))
    assert entry.allowed


def test_only_professionals_find_patients(client, patient):
    space, _pro = patient
    client.sign_in(space.owner.email)
    assert client.get(FIND).status_code == 404
    assert client.submit("/pro/patients/declarer", {}).status_code == 404
