"""The national health identity (INS): a matricule (NIR, or NIA for people waiting for
one) with the OID that says which, the reference traits, and the identity's status.

The matricule's checks: its format, its key (97 minus the 13 first digits modulo 97;
Corsica's 2A and 2B count as 19 and 18), and its consistency with the birth date and
sex (the sex digit, the year, the month; 2A/2B only for births from 1976, 20 before).
The traits are shown to professionals in the order and wording of the national
identity-vigilance reference (RNIV).
"""

import re
from enum import StrEnum

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

NIR_OID = "1.2.250.1.213.1.4.8"
NIA_OID = "1.2.250.1.213.1.4.9"
TEST_NIR_OID = "1.2.250.1.213.1.4.10"  # test and demo identities, never real people
TEST_NIA_OID = "1.2.250.1.213.1.4.11"
KIND_OF_OID = {NIR_OID: "NIR", NIA_OID: "NIA", TEST_NIR_OID: "NIR", TEST_NIA_OID: "NIA"}
TEST_OIDS = frozenset({TEST_NIR_OID, TEST_NIA_OID})
CORSICA = {"2A": "19", "2B": "18"}
CORSICA_SPLIT_YEAR = 1976  # 2A/2B from this year of birth, 20 before
# The sex digit: 1 and 2 for a NIR; 7 and 8 too for a temporary number (NIA).
SEX_DIGITS = {"NIR": {"1": "M", "2": "F"}, "NIA": {"1": "M", "2": "F", "7": "M", "8": "F"}}
# The birth place is an INSEE code of the official geographic code (COG):
# - a commune of metropolitan France: department 01-95 (2A/2B for Corsica; "20", the
#   NIR's form, only for a birth there before 1976), then a commune 001-999;
# - overseas: a 3-digit code and a commune 01-99. The INS accepts the places the COG
#   codes as French: the departments 971-976 and the collectivities 975, 977 (Saint-
#   Barthélemy), 978 (Saint-Martin), 984 (TAAF), 986-988 (Wallis-et-Futuna, Polynésie
#   française, Nouvelle-Calédonie) and 989 (Clipperton); 980-983 and 985 code nothing,
#   and Monaco is a foreign country (99138);
# - abroad: 99, the continent (1-5) and the country 01-99; 99100 is France itself.
METROPOLITAN_PLACE = re.compile(r"(0[1-9]|[1-8]\d|9[0-5]|2[AB])(\d{3})")
OVERSEAS_PLACE = re.compile(r"(97[1-8]|98[46789])(\d{2})")
FOREIGN_PLACE = re.compile(r"99[1-5](\d{2})")
# NIR departments that say "born in metropolitan France" for certain. 91-94 also coded
# Algeria's departments before 1962, 95 Morocco and 96 Tunisia before 1956, and 97x/98x
# former colonies, whose natives' birth place is now a country: 99xxx is no mismatch.
NIR_METROPOLITAN = frozenset({f"{n:02d}" for n in range(1, 91)} | {"2A", "2B"})


class Status(StrEnum):
    """The status of an identity (RNIV): how far it was checked."""

    PROVISIONAL = "provisional"
    RETRIEVED = "retrieved"
    VALIDATED = "validated"
    QUALIFIED = "qualified"


STATUS_LABELS = {
    Status.PROVISIONAL: _l("Identité provisoire"),
    Status.RETRIEVED: _l("Identité récupérée"),
    Status.VALIDATED: _l("Identité validée"),
    Status.QUALIFIED: _l("Identité qualifiée"),
}
SEX_LABELS = {"F": _l("Féminin"), "M": _l("Masculin")}


def normalize(value):
    """The matricule without spaces, dots or dashes, in capitals."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def format_ok(matricule):
    """15 characters: 13 digits (2A/2B for Corsica) and a 2-digit key; the first is the sex
    digit, 1 or 2 (7 or 8 for a temporary number, NIA)."""
    return bool(re.fullmatch(r"[1278]\d{4}(\d{2}|2A|2B)\d{6}\d{2}", matricule or ""))


def key_ok(matricule):
    """True when the key is 97 minus the first 13 digits modulo 97 (2A=19, 2B=18)."""
    if not format_ok(matricule):
        return False
    body = matricule[:5] + CORSICA.get(matricule[5:7], matricule[5:7]) + matricule[7:13]
    return 97 - int(body) % 97 == int(matricule[13:])


def key_for(body):
    """The key of 13 characters (to build test identities)."""
    digits = body[:5] + CORSICA.get(body[5:7], body[5:7]) + body[7:13]
    return f"{97 - int(digits) % 97:02d}"


def _month_ok(code, month):
    """01-12 must be the birth month; 20, 30-42 and 50-99 stand for an unknown month."""
    value = int(code)
    if 1 <= value <= 12:
        return value == month
    return value == 20 or 30 <= value <= 42 or value >= 50


def problems(matricule, birth_date, sex, kind="NIR"):
    """What is wrong with a matricule for these traits: a list of codes among 'format',
    'key', 'sex', 'year', 'month', 'corsica' (empty when it is right)."""
    if not format_ok(matricule):
        return ["format"]
    found = [] if key_ok(matricule) else ["key"]
    sexes = SEX_DIGITS.get(kind, SEX_DIGITS["NIR"])
    if sexes.get(matricule[0]) is None or (sex and sexes[matricule[0]] != sex):
        found.append("sex")
    if birth_date is not None:
        if matricule[1:3] != f"{birth_date.year % 100:02d}":
            found.append("year")
        if not _month_ok(matricule[3:5], birth_date.month):
            found.append("month")
        department = matricule[5:7]
        if (department in CORSICA and birth_date.year < CORSICA_SPLIT_YEAR) or (
                department == "20" and birth_date.year >= CORSICA_SPLIT_YEAR):
            found.append("corsica")
    return found


def consistent(matricule, birth_date, sex, kind="NIR"):
    """True when the matricule is valid and agrees with the birth date and sex."""
    return not problems(matricule, birth_date, sex, kind)


def kind_of(oid):
    """'NIR' or 'NIA' from the OID ('NIR' when unknown: the spaces of the insured)."""
    return KIND_OF_OID.get(oid or "", "NIR")


def is_test(oid):
    """True for the OIDs of test and demo identities."""
    return oid in TEST_OIDS


def birth_place_ok(code, birth_date=None):
    """An INSEE code of the COG (see the codes above): a French commune or 99xxx abroad.
    "20xxx" only with a birth date before 1976 (Corsica's code then)."""
    code = code or ""
    found = METROPOLITAN_PLACE.fullmatch(code)
    if found:
        department, commune = found.groups()
        if department == "20":
            return birth_date is not None and birth_date.year < CORSICA_SPLIT_YEAR
        return commune != "000"
    found = OVERSEAS_PLACE.fullmatch(code) or FOREIGN_PLACE.fullmatch(code)
    return bool(found) and found.groups()[-1] != "00"


def place_problems(matricule, code, kind="NIR"):
    """['place'] when the birth place contradicts the NIR's positions 6-10 (department and
    commune, or 99 and the country) where that is certain, else [].

    Only a NIR (sex digit 1 or 2) is compared, and only "born abroad" against "born in
    France": a NIR of 99 with a French place, or of a metropolitan department (01-90,
    2A/2B) with a 99xxx place. Departments and communes are not compared: communes merge
    or change department, Seine and Seine-et-Oise became 75, 78 and 91-95 in 1968, and the
    country codes were renumbered (the former Soviet republics); nor are 91-96, 97x and
    98x against 99xxx (Algeria before 1962, Morocco, Tunisia, former colonies)."""
    if kind != "NIR" or not code or not format_ok(matricule) or matricule[0] not in "12":
        return []
    abroad, department = code.startswith("99"), matricule[5:7]
    if department == "99" and not abroad:
        return ["place"]
    if abroad and department in NIR_METROPOLITAN:
        return ["place"]
    return []


def grouped(matricule):
    """The matricule as printed on the card: "2 84 05 75 056 123 87"."""
    m = matricule or ""
    if len(m) != 15:
        return m
    return " ".join((m[0], m[1:3], m[3:5], m[5:7], m[7:10], m[10:13], m[13:]))


def first_names_of(space):
    """(first given name at birth, every given name at birth), falling back on the used
    first name when the civil record's are unknown."""
    names = (space.birth_first_names or "").split()
    first = space.birth_first_name or (names[0] if names else space.first_name)
    return first, " ".join(names) or first


def traits(space):
    """The identity as shown to a professional: (label, value) in the official order,
    the reference traits first, then the matricule with its nature and OID."""
    first, names = first_names_of(space)
    oid = space.ins_oid or NIR_OID
    rows = [
        (_l("Nom de naissance"), (space.birth_name or space.last_name).upper()),
        (_l("Premier prénom de naissance"), first),
        (_l("Prénom(s) de naissance"), names),
        (_l("Date de naissance"), format_date(space.birth_date, "dd/MM/yyyy")),
        (_l("Sexe"), SEX_LABELS.get(space.sex, space.sex or "—")),
        (_l("Lieu de naissance (code INSEE)"), space.birth_place or "—"),
    ]
    if space.last_name.upper() != (space.birth_name or space.last_name).upper():
        rows.append((_l("Nom utilisé"), space.last_name.upper()))
    if space.first_name != first:
        rows.append((_l("Prénom utilisé"), space.first_name))
    rows += [
        (_l("Matricule INS"), f"{grouped(space.nir)} ({kind_of(oid)})"),
        (_l("OID"), oid),
    ]
    return rows


def line_traits(space):
    """The traits of the one-line identity of a professional's pages, in the official
    order: birth name, first first name, birth date, sex, birth place (every first name,
    the matricule and its OID are in the details)."""
    rows = traits(space)
    return [rows[0], rows[1], rows[3], rows[4], rows[5]]


def status_label(space):
    """The identity's status, as worded by the RNIV."""
    return STATUS_LABELS.get(space.identity_status, STATUS_LABELS[Status.PROVISIONAL])


def is_qualified(space):
    """Only a qualified identity's matricule may name the patient's health data."""
    return space.identity_status == Status.QUALIFIED
