"""The demo has a professional of every profession (the authorisation matrix treats each
differently), with an RPPS number and a place of practice whose keys are valid, and the
README lists each of them."""

from pathlib import Path

from webapp.models.accounts import User
from webapp.models.pro import Practice
from webapp.pro import identifiers
from webapp.pro.professions import Profession

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_profession_has_a_demo_account_with_valid_numbers(demo):
    readme = README.read_text(encoding="utf-8")
    found = set()
    for user in User.select().where(User.role == "professional"):
        found.add(user.profession)
        assert identifiers.rpps_ok(user.rpps), user.email
        structure = Practice.get(Practice.professional == user).structure
        assert (identifiers.finess_ok(structure.finess) if structure.finess
                else identifiers.siret_ok(structure.siret)), structure.name
        assert f"| {user.email} |" in readme and user.rpps in readme, user.email
    assert found == set(Profession)


def test_the_midwife_and_the_dentist_follow_a_patient(demo):
    for key, email in (("rousseau", "lea.rousseau@example.org"),
                       ("girard", "dr.girard@example.org")):
        assert demo.users[key].email == email
        assert demo.users[key].patients.count() == 1
