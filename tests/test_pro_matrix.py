"""The authorisation matrix, cell by cell: the table in the code is this one and the one in
docs/access-model.md; the policy applies it to each profession (what a professional reads
in a patient's record), with the author's own documents, hidden documents and emergency
accesses as the access model says."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from tests.helpers import PDF, make_document, make_space, make_user
from webapp import policy
from webapp.access import Access
from webapp.db import utcnow
from webapp.models.documents import Document
from webapp.models.privacy import EmergencyAccess, EmergencySettings
from webapp.models.spaces import CareRelation
from webapp.pro import matrix
from webapp.pro.professions import Profession
from webapp.record import documents
from webapp.record.categories import CATEGORIES

DOC = Path(__file__).resolve().parents[1] / "docs" / "access-model.md"
COLUMNS = ["SYNTHESE", "ORD_SOIN", "RADIO_SC", "BIOLOGIE", "CPT_REND", "DEPISTAG",
           "CERT_MED", "DOC_ADM", "AUTR_DOC"]
# The matrix as decided. Change a cell here, in webapp/pro/matrix.py and in the doc.
EXPECTED = {
    "medecin":                  "RW RW RW RW RW RW RW R  RW",
    "sage_femme":               "RW RW R  R  RW RW RW -  R",
    "chirurgien_dentiste":      "R  RW RW R  RW -  W  -  -",
    "pharmacien":               "R  RW -  R  -  RW -  -  -",
    "infirmier":                "R  R  -  R  RW RW -  -  -",
    "masseur_kinesitherapeute": "R  R  R  -  RW -  -  -  -",
    "biologiste":               "R  R  -  RW -  -  -  -  -",
}
CELLS = [(p, c, right) for p, row in EXPECTED.items()
         for c, right in zip(COLUMNS, row.split(), strict=True)]


def test_the_matrix_covers_every_profession_and_category():
    assert list(matrix.COLUMNS) == COLUMNS and set(COLUMNS) == set(CATEGORIES)
    assert {p.value for p in matrix.MATRIX} == {p.value for p in Profession} == set(EXPECTED)


@pytest.mark.parametrize("profession,category,right", CELLS,
                         ids=[f"{p}-{c}" for p, c, _r in CELLS])
def test_each_cell_of_the_matrix(profession, category, right):
    assert matrix.may_read(profession, category) is ("R" in right)
    assert matrix.may_write(profession, category) is ("W" in right)


def _doc_table():
    rows = {}
    for line in DOC.read_text().splitlines():
        found = re.match(r"\| .*\(`(\w+)`\) \|(.*)\|$", line)
        if found:
            rows[found.group(1)] = [c.strip().replace("–", "-") for c in found.group(2)
                                    .split("|")]
    return rows


def test_the_documented_matrix_is_the_code_s():
    documented = _doc_table()
    assert documented == {p: row.split() for p, row in EXPECTED.items()}


def test_an_unknown_profession_reads_and_writes_nothing():
    assert matrix.readable("astrologue") == frozenset() == matrix.writable("")


@pytest.fixture
def record(db):
    """A patient with one document in each category (one of them hidden), and another
    patient's documents that nobody here may see."""
    space = make_space(make_user(first_name="Inès", last_name="Roux"))
    docs = {c: make_document(space, title=f"Doc {c}", category=c) for c in CATEGORIES}
    hidden = make_document(space, title="Masqué", category="ORD_SOIN", hidden=True)
    make_document(make_space(make_user()), title="Ailleurs", category="ORD_SOIN")
    return space, docs, hidden


def _grant(profession, space):
    user = make_user("professional", profession=profession)
    CareRelation.create(professional=user, space=space)
    return user, policy.grant_for(user, space)


def _titles(grant):
    return {d.title for d in policy.visible(Document, grant)}


@pytest.mark.parametrize("profession", sorted(EXPECTED))
def test_each_profession_reads_its_categories_through_the_policy(record, profession):
    space, docs, _hidden = record
    _user, grant = _grant(profession, space)
    readable = {c for c, right in zip(COLUMNS, EXPECTED[profession].split(), strict=True)
                if "R" in right}
    assert _titles(grant) == {f"Doc {c}" for c in readable}


def test_a_professional_always_sees_what_they_deposited(record):
    space, _docs, _hidden = record
    user, grant = _grant("biologiste", space)
    make_document(space, title="Mon compte rendu", category="CPT_REND", author=user,
                  author_kind="professional")
    assert "Mon compte rendu" in _titles(grant) and "Doc CPT_REND" not in _titles(grant)


def test_the_holder_sees_every_category_and_hidden_documents(record):
    space, docs, hidden = record
    grant = policy.grant_for(space.owner, space)
    assert _titles(grant) == {d.title for d in docs.values()} | {hidden.title}


def test_hidden_documents_stay_hidden_except_in_an_allowed_emergency(record):
    space, _docs, hidden = record
    _user, grant = _grant("medecin", space)
    assert hidden.title not in _titles(grant)
    stranger = make_user("professional", profession="pharmacien")
    EmergencySettings.create(space=space, hidden_readable=True)
    EmergencyAccess.create(space=space, professional=stranger, kind="break_glass",
                           reason="Malaise", ends_at=utcnow() + dt.timedelta(hours=2))
    emergency = policy.grant_for(stranger, space)
    assert emergency.emergency
    titles = _titles(emergency)
    assert hidden.title in titles  # ORD_SOIN: a pharmacist reads it, hidden or not
    assert "Doc RADIO_SC" not in titles  # an emergency reads within the matrix


class _Upload:
    """A file as a form gives it."""

    def __init__(self, content, filename="cr.pdf"):
        self.stream, self.filename = io.BytesIO(content), filename


@pytest.mark.parametrize("profession", sorted(EXPECTED))
def test_each_profession_deposits_only_where_it_writes(record, profession):
    space, _docs, _hidden = record
    user, grant = _grant(profession, space)
    for category, right in zip(COLUMNS, EXPECTED[profession].split(), strict=True):
        access = Access(user, space, grant)
        if "W" in right:
            doc = documents.deposit(access, _Upload(PDF), title=f"Dépôt {category}",
                                    category=category, loinc="11488-4",
                                    document_date=dt.date(2026, 3, 1))
            assert doc.author_id == user.id and doc.category == category
        else:
            with pytest.raises(PermissionError):
                documents.deposit(access, _Upload(PDF), title="Refusé", category=category,
                                  loinc="11488-4", document_date=dt.date(2026, 3, 1))
    assert not Document.select().where(Document.title == "Refusé").exists()
