"""The professional's "what I did" page lists the documents they deposited, with the
patient's name."""

import io

from tests.helpers import PDF, make_space, make_user, parse, space_path
from webapp.models.spaces import CareRelation


def test_a_deposit_is_in_my_activity_with_the_patient_s_name(client, db):
    space = make_space(make_user(first_name="Inès", last_name="Roux"))
    doctor = make_user("professional", first_name="Luc", last_name="Vidal")
    CareRelation.create(professional=doctor, space=space)
    client.sign_in(doctor.email)
    _, before = client.page("/pro/activite")
    response = client.submit(space_path(space, "/pro/documents/deposer"), dict(
        title="Compte rendu de consultation", loinc="11488-4", category="CPT_REND",
        document_date="2026-03-02", file=(io.BytesIO(PDF), "cr.pdf")),
        content_type="multipart/form-data")
    assert response.status_code == 303, response.text[:500]
    _, doc = client.page("/pro/activite")
    rows = [[cell.text for cell in tr.find_all() if cell.tag in ("th", "td")]
            for tr in doc.find("tbody").find_all("tr")]
    deposits = [r for r in rows if r[1:3] == ["Inès ROUX", "Ajout d'un document"]]
    assert deposits, rows
    assert len(rows) > len(parse(before.text).find_all("tr"))
