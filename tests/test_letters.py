"""Activation codes issued for real: a file of insured people becomes spaces and one PDF
of letters; a lost code is reissued by post (the old one stops at once); at 18 the young
adult gets their own letter and takes their space over."""

import csv
import datetime as dt
import io
import re
import time

import pytest

from tests.helpers import make_child, make_space, make_user, parse
from webapp import policy
from webapp.accounts import letter_pdf, letters, lifecycle
from webapp.db import utcnow
from webapp.models.letters import Letter, LetterBatch, PostalAddress
from webapp.models.spaces import Guardianship, Space
from webapp.pro import ins

HEADER = ["matricule_ins", "oid", "nom_naissance", "prenoms_naissance", "premier_prenom",
          "date_naissance", "sexe", "lieu_naissance", "nom_utilise", "prenom_utilise",
          "adresse_ligne1", "adresse_ligne2", "code_postal", "commune", "pays"]


def person(n, birth=dt.date(1970, 1, 1), sex="F", **fields):
    """A line of the insurer's file with a matricule consistent with the birth and sex."""
    body = f"{'2' if sex == 'F' else '1'}{birth:%y%m}75056{n:03d}"  # 13 digits
    row = dict(matricule_ins=body + ins.key_for(body), oid=ins.NIR_OID,
               nom_naissance=f"Martin{n}", prenoms_naissance="Jeanne Marie",
               premier_prenom="", date_naissance=birth.isoformat(), sexe=sex,
               lieu_naissance="75056", nom_utilise="", prenom_utilise="",
               adresse_ligne1=f"{n} rue de la Paix", adresse_ligne2="", code_postal="75019",
               commune="Paris", pays="")
    row.update(fields)
    return row


def _csv(rows, delimiter=";"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _run(app, tmp_path, rows, name="lot.pdf"):
    source = tmp_path / "assures.csv"
    source.write_text(_csv(rows), encoding="utf-8")
    target = tmp_path / name
    result = app.test_cli_runner().invoke(args=["import-insured", str(source), "--letters",
                                                str(target)])
    return result, target


def test_a_batch_of_a_thousand_letters(app, db, tmp_path, capsys):
    rows = [person(n, birth=dt.date(1950 + n % 50, 1 + n % 12, 1 + n % 28)) for n in range(1000)]
    started = time.perf_counter()
    result, target = _run(app, tmp_path, rows)
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "1000 space(s) created" in result.output and "1000 letter(s) printed" in result.output
    content = target.read_bytes()
    assert content.startswith(b"%PDF") and re.search(rb"/Count 1000\b", content)
    assert Space.select().where((Space.state == "created")
                                & Space.activation_code_hash.startswith("$argon2")).count() == 1000
    assert Letter.select().where(Letter.printed_at.is_null(False)).count() == 1000
    assert LetterBatch.get().letters == 1000
    space = Space.get(Space.nir == rows[0]["matricule_ins"])
    assert space.birth_name == "Martin0" and space.birth_first_names == "Jeanne Marie"
    assert space.first_name == "Jeanne" and space.birth_place == "75056"
    assert lifecycle.objection_deadline(space) - space.notified_at == dt.timedelta(weeks=6)
    with capsys.disabled():
        print(f"\n[letters] 1000 letters: {seconds:.1f} s, {len(content)} bytes")


def test_lines_with_mistakes_are_refused_and_the_others_imported(app, db, tmp_path):
    good = person(1)
    rows = [good, person(2, matricule_ins=good["matricule_ins"][:13] + "00"),
            person(3, date_naissance="31/02/1990"), person(4, sexe="X"),
            person(5, code_postal="7501"),
            good, person(6, adresse_ligne1="")]
    result, target = _run(app, tmp_path, rows)
    assert result.exit_code == 1
    assert "1 space(s) created" in result.output
    for line, reason in ((3, "matricule_ins: key"), (4, "date_naissance"), (5, "sexe"),
                         (6, "code_postal"), (7, "twice"), (8, "missing adresse_ligne1")):
        assert f"line {line}: " in result.output and reason in result.output, (line, reason)
    again, _target = _run(app, tmp_path, [good], name="again.pdf")
    assert "0 space(s) created" in again.output and "1 already known" in again.output
    assert "No letter waiting" in again.output and not _target.exists()


def test_children_get_no_letter_until_eighteen(app, db, tmp_path):
    today = dt.date.today()
    child = person(7, birth=today.replace(year=today.year - 10, day=1))
    result, _target = _run(app, tmp_path, [child])
    assert "1 minor(s)" in result.output and "No letter waiting" in result.output
    assert not Letter.select().exists()


def test_the_letter_is_plain_french_with_the_code_and_the_deadline(app, db, tmp_path):
    _run(app, tmp_path, [person(8)])
    letter = Letter.get()
    subject, before, after, dated = letter_pdf.letter_text(letter)
    assert subject == "Votre espace santé est créé : voici votre code d'activation"
    assert "/activation" in before[-1] and "votre date de naissance et ce code" in before[-1]
    deadline = lifecycle.objection_deadline(letter.space)
    assert any("vous y opposer jusqu'au" in p and str(deadline.year) in p and "/opposition" in p
               for p in after)
    assert PostalAddress.get().lines("Jeanne MARTIN8") == [
        "JEANNE MARTIN8", "8 RUE DE LA PAIX", "75019 PARIS"]


@pytest.fixture
def printed(app, db, tmp_path):
    """A person imported, their letter printed: (space, code)."""
    _run(app, tmp_path, [person(9, birth=dt.date(1990, 5, 17))])
    Letter.update(printed_at=None).execute()  # print again to read the code in memory
    _batch, [(letter, code)] = letters.issue(letters.printable())
    return letter.space, code


def _activate(client, space, code):
    return client.submit("/activation", {"nir": space.nir, "birth_date": "17/05/1990",
                                         "code": code})


def test_a_lost_code_is_reissued_and_the_old_one_stops(app, client, printed):
    space, old = printed
    client.page("/activation/nouveau-code")
    for form in ({"nir": space.nir, "birth_date": "17/05/1990", "postal_code": "75018"},
                 {"nir": space.nir, "birth_date": "17/05/1990", "postal_code": "75019"}):
        response = client.submit("/activation/nouveau-code", form)
        assert response.status_code == 303  # the same answer, matching or not
        assert response.headers["Location"] == "/activation/nouveau-code/demande"
    assert Letter.pending().where(Letter.kind == "new_code").count() == 1
    refused = _activate(client, space, old)
    assert "nouveau courrier" in parse(refused.text).by_id("birth_date-error").text
    _batch, [(letter, new)] = letters.issue(letters.printable())
    assert letter.kind == "new_code" and new != old
    assert "Le code précédent ne fonctionne plus" in letter_pdf.letter_text(letter)[1][0]
    assert "nouveau courrier" in parse(_activate(client, space, old).text).by_id(
        "birth_date-error").text
    response = _activate(client, space, new.replace("-", "").lower())
    assert response.status_code == 303 and response.headers["Location"].endswith("/compte")


def test_a_lost_code_page_checks_what_was_typed(client, db):
    response = client.submit("/activation/nouveau-code", {
        "nir": "123", "birth_date": "hier", "postal_code": "750"})
    doc = parse(response.text)
    assert doc.by_id("nir-error") and doc.by_id("birth_date-error")
    assert doc.by_id("postal_code").get("value") == "750"


def test_an_activated_space_gets_no_new_letter(client, printed):
    space, _code = printed
    space.owner = make_user()
    space.state = "active"
    space.save()
    assert not letters.request_new_code(space.nir, space.birth_date, "75019")


def test_at_eighteen_the_young_adult_takes_over(app, db):
    parent = make_user()
    child = make_child(parent, dt.date(2008, 6, 15), created_at=dt.datetime(2015, 1, 1))
    PostalAddress.create(space=child, line1="3 rue Haute", postal_code="69001", city="Lyon")
    grown_up = make_space(birth_date=dt.date(2007, 1, 1), created_at=dt.datetime(2026, 1, 2),
                          state="created")
    assert letters.hand_over_adults(dt.date(2026, 6, 14)) == 0
    assert letters.hand_over_adults(dt.date(2026, 6, 15)) == 1
    assert letters.hand_over_adults(dt.date(2026, 6, 16)) == 0  # once
    assert not Letter.select().where(Letter.space == grown_up).exists()
    _batch, [(letter, code)] = letters.issue(letters.printable())
    assert letter.kind == "adult" and letter.space.id == child.id
    assert "représentants légaux" in letter_pdf.letter_text(letter)[1][0]
    child = Space.get_by_id(child.id)
    birthday = dt.datetime(2026, 6, 15, 9, 0)
    assert lifecycle.activation_problem(child, code, now=dt.datetime(2026, 6, 14, 9)) == "minor"
    assert lifecycle.activation_problem(child, code, now=birthday) is None
    owner = lifecycle.activate(child, make_user(email="lea@example.org"), now=birthday)
    child = Space.get_by_id(child.id)
    assert child.owner_id == owner.id and child.state == "active"
    assert Guardianship.get(Guardianship.child == child).ended_at == birthday
    assert policy.grant_for(parent, child, now=birthday) is None
    assert policy.grant_for(owner, child, now=birthday).capacity == "owner"


def test_hand_over_and_print_commands(app, db, tmp_path):
    parent = make_user()
    child = make_child(parent, dt.date(2008, 6, 15), created_at=dt.datetime(2015, 1, 1))
    PostalAddress.create(space=child, line1="3 rue Haute", postal_code="69001", city="Lyon")
    orphan = make_child(parent, dt.date(2008, 6, 1), created_at=dt.datetime(2015, 1, 1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hand-over-adults", "--today", "2026-06-15"])
    assert result.exit_code == 0 and "2 letter(s) queued" in result.output
    target = tmp_path / "lot.pdf"
    result = runner.invoke(args=["print-letters", str(target)])
    assert "1 letter(s) printed" in result.output and "1 letter(s) wait for a postal" \
        in result.output
    assert target.read_bytes().startswith(b"%PDF")
    assert Letter.pending().get().space.id == orphan.id


def test_a_failed_print_changes_nothing(app, db, tmp_path):
    _run(app, tmp_path, [person(10)])
    Letter.update(printed_at=None).execute()
    before = Space.get().activation_code_hash

    def broken(issued):
        raise OSError("disk full")

    with pytest.raises(OSError):
        letters.issue(letters.printable(), deliver=broken)
    assert Space.get().activation_code_hash == before
    assert Letter.pending().count() == 1 and utcnow()
