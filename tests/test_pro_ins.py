"""The national health identity: the matricule's key and its agreement with the birth date
and sex (Corsica included), NIA, OIDs, the traits in the official order and wording; and
the numbers of professionals and their places (RPPS, FINESS, SIRET)."""

import datetime as dt

import pytest

from webapp.accounts import lifecycle
from webapp.models.spaces import Space
from webapp.pro import identifiers, ins

CAMILLE = "284057505612387"


@pytest.mark.parametrize("matricule,ok", [
    (CAMILLE, True),
    ("284057505612388", False),  # wrong key
    ("2 84 05 75 056 123 87", False),  # not normalised
    ("191122A123456" + ins.key_for("191122A123456"), True),  # Corsica: 2A counts as 19
    ("191122B123456" + ins.key_for("191122B123456"), True),  # 2B counts as 18
    ("191122A12345600", False),
    ("28405750561238", False),  # 14 characters
    ("984057505612387", False),  # no such first digit
])
def test_the_key_is_97_minus_the_number_modulo_97(matricule, ok):
    assert ins.key_ok(matricule) is ok


def test_corsica_keys_differ_from_a_plain_department():
    assert ins.key_for("191122A123456") != ins.key_for("1911220123456")
    assert ins.key_for("191122A123456") == ins.key_for("1911219123456")


def test_normalize_keeps_the_corsican_letters():
    assert ins.normalize("1 91 12 2a 123 456 78") == "191122A12345678"
    assert ins.normalize(" 2.84.05-75 056 123 87 ") == CAMILLE


@pytest.mark.parametrize("born,sex,expected", [
    (dt.date(1984, 5, 14), "F", []),
    (dt.date(1984, 5, 14), "M", ["sex"]),
    (dt.date(1985, 5, 14), "F", ["year"]),
    (dt.date(1984, 6, 14), "F", ["month"]),
    (dt.date(1984, 5, 14), "", []),  # sex unknown: only the digit's meaning is checked
])
def test_the_matricule_must_agree_with_birth_date_and_sex(born, sex, expected):
    assert ins.problems(CAMILLE, born, sex) == expected


def test_an_unknown_birth_month_is_accepted_when_coded_so():
    body = "2843275056123"  # month 32: unknown month
    assert ins.problems(body + ins.key_for(body), dt.date(1984, 5, 14), "F") == []
    body = "2841575056123"  # month 15 means nothing
    assert ins.problems(body + ins.key_for(body), dt.date(1984, 5, 14), "F") == ["month"]


def test_corsica_is_2a_2b_from_1976_and_20_before():
    new = "180022A123456"
    assert ins.problems(new + ins.key_for(new), dt.date(1980, 2, 1), "M") == []
    assert "corsica" in ins.problems(new.replace("180", "170") + ins.key_for(
        new.replace("180", "170")), dt.date(1970, 2, 1), "M")
    old = "1700220123456"
    assert ins.problems(old + ins.key_for(old), dt.date(1970, 2, 1), "M") == []
    late = "1800220123456"
    assert ins.problems(late + ins.key_for(late), dt.date(1980, 2, 1), "M") == ["corsica"]


def test_a_nia_may_start_with_7_or_8():
    body = "8840599123456"
    nia = body + ins.key_for(body)
    assert ins.problems(nia, dt.date(1984, 5, 1), "F", kind="NIA") == []
    assert ins.problems(nia, dt.date(1984, 5, 1), "F", kind="NIR") == ["sex"]
    assert ins.problems(nia, dt.date(1984, 5, 1), "M", kind="NIA") == ["sex"]


def test_oids_name_the_kind_and_the_test_identities():
    assert ins.kind_of("1.2.250.1.213.1.4.8") == "NIR"
    assert ins.kind_of("1.2.250.1.213.1.4.9") == "NIA"
    assert ins.kind_of("1.2.250.1.213.1.4.10") == "NIR"
    assert ins.kind_of("1.2.250.1.213.1.4.11") == "NIA"
    assert ins.is_test("1.2.250.1.213.1.4.10") and ins.is_test("1.2.250.1.213.1.4.11")
    assert not ins.is_test("1.2.250.1.213.1.4.8")


@pytest.mark.parametrize("code,ok", [("75056", True), ("2A004", True), ("99101", True),
                                     ("7505", False), ("2C004", False), ("", False)])
def test_birth_place_is_an_insee_code(code, ok):
    assert ins.birth_place_ok(code) is ok


def test_traits_come_in_the_official_order_and_wording(app):
    space = Space(first_name="Camille", last_name="Martin", birth_date=dt.date(1984, 5, 14),
                  nir=CAMILLE, sex="F", ins_oid=ins.TEST_NIR_OID, birth_name="Durand",
                  birth_first_names="Camille Marie", birth_first_name="Camille",
                  birth_place="75056", identity_status="qualified")
    with app.test_request_context():
        rows = [(str(label), value) for label, value in ins.traits(space)]
        assert rows == [
            ("Nom de naissance", "DURAND"), ("Premier prénom de naissance", "Camille"),
            ("Prénom(s) de naissance", "Camille Marie"), ("Date de naissance", "14/05/1984"),
            ("Sexe", "Féminin"), ("Lieu de naissance (code INSEE)", "75056"),
            ("Nom utilisé", "MARTIN"),
            ("Matricule INS", "2 84 05 75 056 123 87 (NIR)"), ("OID", ins.TEST_NIR_OID)]
        assert str(ins.status_label(space)) == "Identité qualifiée"
        assert ins.is_qualified(space)
        space.identity_status = "retrieved"
        assert str(ins.status_label(space)) == "Identité récupérée"
        assert not ins.is_qualified(space)


def test_lifecycle_keeps_its_nir_checks():
    assert lifecycle.nir_key_ok(CAMILLE) and not lifecycle.nir_key_ok("284057505612388")
    assert lifecycle.nir_format_ok(CAMILLE)


@pytest.mark.parametrize("number,ok", [("10001234565", True), ("10001234567", False),
                                       ("1000123456", False), ("1000123456X", False)])
def test_rpps_is_11_digits_with_a_luhn_key(number, ok):
    assert identifiers.rpps_ok(number) is ok


@pytest.mark.parametrize("number,ok", [("750712184", True), ("750712185", False),
                                       ("2A0000014", True), ("75071218", False)])
def test_finess_is_9_characters_with_a_luhn_key(number, ok):
    assert identifiers.finess_ok(number) is ok


@pytest.mark.parametrize("number,ok", [("73282932000074", True), ("73282932000075", False),
                                       ("35600000000001", True), ("35600000000002", False),
                                       ("7328293200007", False)])
def test_siret_is_14_digits_with_a_luhn_key_la_poste_apart(number, ok):
    assert identifiers.siret_ok(number) is ok
