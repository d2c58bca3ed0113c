"""The look-up's checks: a matricule's first digit is the sex digit (1 or 2; 7 or 8 for a
waiting number, never 3), said on the field; ambiguous answers count against the rate
limit like fruitless ones; which spaces a professional reaches is the policy's decision."""

import datetime as dt

import pytest

from tests.helpers import make_space, make_user, parse
from webapp import policy
from webapp.models.pro import PatientLookup
from webapp.models.spaces import Block
from webapp.pro import ins, patients

FIND = "/pro/patients/rechercher"


def test_the_first_digit_is_the_sex_digit():
    for first in "1278":
        body = first + "840575056123"
        assert ins.format_ok(body + ins.key_for(body)), first
    for first in "034569":
        body = first + "840575056123"
        assert not ins.format_ok(body + ins.key_for(body)), first
        assert not ins.key_ok(body + ins.key_for(body)), first


def test_a_number_starting_with_3_is_refused_on_the_field(client, db):
    body = "3840575056123"
    pro = make_user("professional")
    client.sign_in(pro.email)
    response = client.submit(FIND, {"by": "ins", "ins-matricule": body + ins.key_for(body),
                                    "ins-birth_date": "1984-05-14"})
    assert response.status_code == 200
    doc = parse(response.text)
    error = doc.by_id("ins-matricule-error")
    assert error is not None and "Ce numéro n'est pas valide" in error.text
    assert doc.find("input", name="ins-matricule").get("aria-invalid") == "true"
    assert not PatientLookup.select().exists()  # an invalid form looks nobody up


@pytest.fixture
def twins(db):
    """Two open spaces with the same reference traits, and a professional."""
    for n in ("123", "124"):
        body = "2900769123" + n
        make_space(make_user(), first_name="Inès", last_name="Roux", sex="F",
                   birth_date=dt.date(1990, 7, 9), nir=body + ins.key_for(body),
                   birth_name="Durand")
    return make_user("professional")


def _by_traits(client):
    return client.submit(FIND, {"by": "traits", "traits-birth_name": "Durand",
                                "traits-first_name": "Inès", "traits-sex": "F",
                                "traits-birth_date": "1990-07-09"})


def test_repeated_ambiguous_look_ups_are_limited(client, twins):
    client.sign_in(twins.email)
    for _ in range(10):
        assert "Plusieurs patients ont ces traits" in _by_traits(client).text
    response = _by_traits(client)
    assert "Trop de recherches sans résultat" in response.text
    assert PatientLookup.select().where(PatientLookup.outcome == "ambiguous").count() == 10
    assert PatientLookup.select().where(PatientLookup.outcome == "limited").count() == 1


def test_the_policy_says_which_spaces_a_professional_reaches(db):
    pro = make_user("professional")
    open_ = make_space(make_user())
    blocked = make_space(make_user())
    Block.create(space=blocked, professional=pro)
    waiting = make_space(None, state="created",
                         notified_at=dt.datetime.now() - dt.timedelta(days=3))
    assert policy.reachable_among(pro, [open_, blocked, waiting]) == {open_.id}
    assert policy.reachable_among(pro, []) == set()


def test_the_look_up_asks_the_policy(db, monkeypatch):
    pro = make_user("professional")
    space = make_space(make_user(), birth_date=dt.date(1980, 1, 1))
    assert patients.by_ins(pro, space.nir, space.birth_date).outcome == "found"
    monkeypatch.setattr(policy, "reachable_among", lambda professional, spaces: set())
    assert patients.by_ins(pro, space.nir, space.birth_date).outcome == "not_found"
