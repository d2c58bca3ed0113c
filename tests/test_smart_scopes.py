"""SMART v2 scopes: what parses, what is refused (system/, unknown resources, letters out
of the cruds order), what a scope permits, and that every offered scope reads in plain
words."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from webapp.smart import scopes

LETTERS = "cruds"
SUBSETS = ["".join(c) for n in range(1, 6) for c in itertools.combinations(LETTERS, n)]


@given(context=st.sampled_from(scopes.CONTEXTS), resource=st.sampled_from(sorted(
    scopes.RESOURCES)), letters=st.sampled_from(SUBSETS))
def test_every_cruds_subset_in_order_parses_back(context, resource, letters):
    text = f"{context}/{resource}.{letters}"
    parsed = scopes.parse(text)
    assert (parsed.context, parsed.resource, parsed.permissions) == (context, resource, letters)
    assert str(parsed) == text
    for letter in LETTERS:
        assert scopes.permits([text], resource, letter) is (letter in letters)
        assert scopes.permits([text], resource, letter, context="system") is False


@given(letters=st.text(alphabet="cruds", min_size=2, max_size=6))
def test_letters_out_of_order_or_repeated_are_refused(letters):
    ordered = "".join(sorted(set(letters), key=LETTERS.index))
    parsed = scopes.parse(f"patient/Observation.{letters}")
    assert (parsed is not None) is (letters == ordered)


@given(st.text(max_size=60))
def test_any_text_parses_or_is_refused_without_error(text):
    parsed = scopes.parse(text)
    assert parsed is None or isinstance(parsed, (str, scopes.ResourceScope))
    offered, unknown = scopes.split(text)
    assert set(offered).isdisjoint(unknown)


def test_system_scopes_unknown_resources_and_v1_are_refused():
    for text in ["system/Patient.rs", "patient/Unknown.rs", "patient/*.rs",
                 "patient/Observation.read", "user/DocumentReference.", "launch",
                 "patient/Observation.rs?category=vital-signs"]:
        assert scopes.parse(text) is None, text


def test_special_scopes_parse_as_themselves():
    for text in ["launch/patient", "openid", "fhirUser", "offline_access"]:
        assert scopes.parse(text) == text
    assert not scopes.permits(["launch/patient", "offline_access"], "Patient", "r")


def test_split_keeps_order_and_drops_repeats():
    assert scopes.split("openid bogus openid patient/Patient.r system/Patient.r") == (
        ["openid", "patient/Patient.r"], ["bogus", "system/Patient.r"])


def test_context_of_a_request():
    assert scopes.context_of(["patient/Patient.r", "launch/patient"]) == "patient"
    assert scopes.context_of(["user/Patient.r"]) == "user"
    assert scopes.context_of(["user/Patient.r", "patient/Patient.r"]) is None


def test_plain_words(app):
    with app.test_request_context():
        assert scopes.describe("patient/DocumentReference.rs") == \
            "Lire et rechercher dans vos documents de santé"
        assert scopes.describe("user/DocumentReference.cru") == \
            "Ajouter, lire et modifier les documents de vos patients"
        assert scopes.describe("patient/Observation.c") == \
            "Ajouter vos mesures (poids, taille, tension, glycémie…)"
        for scope, words in scopes.table():
            assert scope not in words and words, scope


def test_a_request_is_covered_by_the_letters_registered_together():
    registered = ["patient/Observation.rs", "patient/Observation.c", "launch/patient"]
    assert scopes.covered("patient/Observation.crs", registered)
    assert scopes.covered("patient/Observation.s", registered)
    assert scopes.covered("launch/patient", registered)
    assert not scopes.covered("patient/Observation.u", registered)
    assert not scopes.covered("user/Observation.r", registered)
    assert not scopes.covered("offline_access", registered)
