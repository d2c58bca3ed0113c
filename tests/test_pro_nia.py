"""People without a NIR carry a waiting number (NIA) with its own OID: the demo has one,
born abroad, whom a professional finds by that number and sees as a NIA with its OID; the
file of insured people takes NIA lines."""

from tests.helpers import parse
from webapp.accounts import insured
from webapp.models.spaces import Space
from webapp.pro import ins

FIND = "/pro/patients/rechercher"
YUSUF_NIA = "188119920804251"


def test_the_demo_has_a_nia_identity_born_abroad(demo):
    space = Space.get(Space.nir == YUSUF_NIA)
    assert space.ins_oid == ins.TEST_NIA_OID == "1.2.250.1.213.1.4.11"
    assert ins.kind_of(space.ins_oid) == "NIA" and ins.is_test(space.ins_oid)
    assert space.birth_place.startswith("99") and ins.birth_place_ok(space.birth_place)
    assert space.identity_status == ins.Status.RETRIEVED
    assert ins.consistent(space.nir, space.birth_date, space.sex, kind="NIA")
    assert demo.spaces["yusuf"].id == space.id


def test_a_professional_finds_the_nia_space_and_sees_it_as_a_nia(client, demo):
    client.sign_in("dr.garnier@example.org")
    response = client.submit(FIND, {"by": "ins", "ins-matricule": ins.grouped(YUSUF_NIA),
                                    "ins-birth_date": "1988-11-02"})
    assert response.status_code == 200
    doc = parse(response.text)
    assert "Patient trouvé : Yusuf KAYA" in doc.text
    rows = {dt_.text: dd.text for dt_, dd in zip(doc.find_all("dt"),
                                                   doc.find_all("dd"), strict=True)}
    assert rows["Matricule INS"] == "1 88 11 99 208 042 51 (NIA)"
    assert rows["OID"] == "1.2.250.1.213.1.4.11"
    assert rows["Lieu de naissance (code INSEE)"] == "99208"
    assert rows["Statut de l'identité"] == "Identité récupérée"


def _row(**fields):
    body = "8900599131012"  # a waiting number of a woman born in 1990 in Belgium
    row = dict(matricule_ins=body + ins.key_for(body), oid=ins.NIA_OID,
               nom_naissance="Peeters", prenoms_naissance="Anke", date_naissance="1990-05-03",
               sexe="F", lieu_naissance="99131", statut_identite="retrieved",
               adresse_ligne1="4 rue de Flandre", code_postal="75019", commune="Paris")
    row.update(fields)
    return row


def test_the_file_of_insured_people_takes_a_nia_line(db):
    outcome = insured.import_rows([_row()])
    assert outcome.created == 1 and not outcome.refused
    space = Space.get(Space.birth_name == "Peeters")
    assert space.ins_oid == ins.NIA_OID and ins.kind_of(space.ins_oid) == "NIA"
    assert space.birth_place == "99131" and space.identity_status == "retrieved"


def test_a_waiting_number_under_the_nir_oid_is_refused(db):
    outcome = insured.import_rows([_row(oid=ins.NIR_OID)])
    assert outcome.created == 0
    assert outcome.refused == [(2, "matricule_ins: sex")]


def test_the_professional_s_home_lists_birth_date_and_identity_status(client, demo):
    client.sign_in("dr.bernard@example.org")
    _, doc = client.page("/")
    rows = {tr.find("th").text: [td.text for td in tr.find_all("td")]
            for tr in doc.find("tbody").find_all("tr")}
    assert rows["Camille MARTIN"][1] == "Identité qualifiée"
    assert rows["Léo MARTIN"][1] == "Identité validée"
    assert "1984" in rows["Camille MARTIN"][0]
    assert [th.text for th in doc.find("thead").find_all("th")] == [
        "Patient", "Date de naissance", "Statut de l'identité"]
