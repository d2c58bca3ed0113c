"""The authorisation matrix as each profession meets it on its pages: the record lists the
categories it reads and no other, a document of another category is not found, the
deposit form offers the categories it writes in, and a deposit elsewhere is refused on
the form. One run per profession, so a row that changes shows here as well."""

import io

import pytest

from tests.helpers import PDF, make_document, make_ines, make_user, parse, space_path
from webapp.models.documents import Document
from webapp.models.spaces import CareRelation
from webapp.pro import matrix
from webapp.pro.professions import Profession


@pytest.fixture
def record(db):
    """Inès's record with one document in each category."""
    space = make_ines()
    documents = {category: make_document(space, title=f"Pièce {category}", category=category)
                 for category in matrix.COLUMNS}
    return space, documents


@pytest.mark.parametrize("profession", list(Profession), ids=str)
def test_each_profession_reads_and_deposits_as_its_row_says(client, record, profession):
    space, documents = record
    pro = make_user("professional", profession=profession)
    CareRelation.create(professional=pro, space=space)
    client.sign_in(pro.email)
    readable, writable = matrix.readable(profession), matrix.writable(profession)

    _r, page = client.page(space_path(space, "/pro/dossier"))
    shown = {c for c in matrix.COLUMNS if f"Pièce {c}" in page.text}
    assert shown == readable
    for category, document in documents.items():
        client.page(space_path(space, f"/documents/{document.id}"),
                    status=200 if category in readable else 404)

    _r, form = client.page(space_path(space, "/pro/documents/deposer"))
    offered = {o.attrs.get("value") for o in form.find("select", name="category")
               .find_all("option") if o.attrs.get("value")}
    assert offered == writable

    before = Document.select().count()
    refused = next(c for c in matrix.COLUMNS if c not in writable)
    response = client.submit(space_path(space, "/pro/documents/deposer"), dict(
        title="Compte rendu", loinc="11488-4", category=refused, document_date="2026-03-02",
        file=(io.BytesIO(PDF), "cr.pdf")), content_type="multipart/form-data")
    assert response.status_code == 200 and parse(response.text).find(class_="error-summary")
    allowed = sorted(writable)[0]
    response = client.submit(space_path(space, "/pro/documents/deposer"), dict(
        title="Compte rendu", loinc="11488-4", category=allowed, document_date="2026-03-02",
        file=(io.BytesIO(PDF), "cr.pdf")), content_type="multipart/form-data")
    assert response.status_code == 303
    assert Document.select().count() == before + 1
    assert Document.select().order_by(Document.id.desc()).get().category == allowed
