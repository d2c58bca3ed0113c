"""The birth place is a real INSEE code (a French commune of a department that exists, an
overseas place the COG codes, 99xxx for a foreign country but never 99100, France), "20"
only for Corsica before 1976, and it may not contradict a NIR that says "born abroad" or
"born in France"; the file of insured people refuses such lines."""

import datetime as dt

import pytest

from webapp.accounts import insured
from webapp.pro import ins

CAMILLE = "284057505612387"  # born in Paris (75056)


@pytest.mark.parametrize("code", [
    "01001", "75056", "95018", "2A004", "2B033", "97105", "97411", "97502", "97611",
    "97701", "97801", "98415", "98611", "98735", "98818", "98901", "99101", "99208",
    "99352", "99517"])
def test_real_insee_codes_are_accepted(code):
    assert ins.birth_place_ok(code)


@pytest.mark.parametrize("code,why", [
    ("00000", "no department 00"), ("00123", "no department 00"),
    ("20004", "20 is Corsica's code before 1976 only"), ("75000", "no commune 000"),
    ("2A000", "no commune 000"), ("96123", "96 is no department"),
    ("97000", "970 is no overseas place"), ("97900", "979 is no overseas place"),
    ("97100", "no commune 00"), ("98000", "Monaco is a country, 99138"),
    ("98512", "985 codes nothing"), ("99000", "no continent 0"),
    ("99100", "France is not abroad"), ("99999", "no continent 9"),
    ("99600", "no continent 6"), ("99200", "no country 00"), ("2C004", "no 2C"),
    ("7505", "4 characters"), ("750561", "6 characters"), ("", "empty")])
def test_codes_that_name_no_place_are_refused(code, why):
    assert not ins.birth_place_ok(code), why


def test_corsica_is_20_before_1976_and_2a_2b_always():
    assert ins.birth_place_ok("20004", dt.date(1970, 2, 1))
    assert not ins.birth_place_ok("20004", dt.date(1976, 1, 1))
    assert not ins.birth_place_ok("20004")  # without a birth date, nothing says before 1976
    assert ins.birth_place_ok("2A004", dt.date(1970, 2, 1))
    assert ins.birth_place_ok("2A004", dt.date(1990, 2, 1))


def _nir(body):
    return body + ins.key_for(body)


def test_a_nir_born_abroad_contradicts_a_french_place_and_the_other_way():
    abroad = _nir("1881199208042")
    assert ins.place_problems(abroad, "99208") == []
    assert ins.place_problems(abroad, "75056") == ["place"]
    assert ins.place_problems(CAMILLE, "75056") == []
    assert ins.place_problems(CAMILLE, "99208") == ["place"]
    corsica = _nir("170022A123456")
    assert ins.place_problems(corsica, "99131") == ["place"]


def test_only_the_certain_mismatches_are_reported():
    # Another department or country code: communes move, Seine-et-Oise became 78 and
    # 91-95 in 1968, country codes were renumbered; nothing certain.
    assert ins.place_problems(CAMILLE, "92012") == []
    assert ins.place_problems(_nir("1881199208042"), "99209") == []
    # 91-94 were Algeria's departments before 1962: such a NIR with 99352 is right.
    assert ins.place_problems(_nir("1550391123456"), "99352") == []
    # Overseas NIRs may be of former colonies, now countries.
    assert ins.place_problems(_nir("1550397501123"), "99397") == []
    # A NIA (temporary number) and an unknown place are not compared.
    assert ins.place_problems(_nir("8840599123456"), "75056", kind="NIA") == []
    assert ins.place_problems(CAMILLE, "") == []


def _row(**fields):
    row = dict(matricule_ins=CAMILLE, oid=ins.NIR_OID, nom_naissance="Martin",
               prenoms_naissance="Camille Marie", date_naissance="1984-05-14", sexe="F",
               lieu_naissance="75056", adresse_ligne1="1 rue de la Paix",
               code_postal="75019", commune="Paris")
    row.update(fields)
    return row


@pytest.mark.parametrize("place", ["00000", "20004", "96123", "99000", "99100", "99999"])
def test_the_file_of_insured_people_refuses_a_place_that_is_no_insee_code(place):
    with pytest.raises(ValueError, match="lieu_naissance is not an INSEE code"):
        insured.person(_row(lieu_naissance=place))


def test_the_file_takes_corsica_s_old_code_for_a_birth_before_1976():
    old = _nir("2700220004123")
    fields, _address = insured.person(_row(matricule_ins=old, date_naissance="1970-02-01",
                                           lieu_naissance="20004"))
    assert fields["birth_place"] == "20004"


def test_the_file_refuses_a_place_abroad_for_a_nir_born_in_france():
    with pytest.raises(ValueError, match="lieu_naissance: born abroad and in France"):
        insured.person(_row(lieu_naissance="99208"))
    fields, _address = insured.person(_row(lieu_naissance="13055"))
    assert fields["birth_place"] == "13055"  # another department is no certain mismatch
