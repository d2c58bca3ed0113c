"""Health summary: chosen sections, printable page, PDF generated on the server, access."""

import pytest

from tests.helpers import make_space, make_user, sign_in_on
from webapp.models.audit import AccessLog
from webapp.models.spaces import Block, CareRelation


@pytest.fixture
def owner(client, db):
    user = make_user(first_name="Camille", last_name="Martin")
    space = make_space(user)
    client.sign_in(user.email)
    client.submit("/profil/allergies/ajouter", {"substance": "Pénicilline"})
    client.submit("/profil/groupe-sanguin/ajouter", {"blood_group": "AB−"})
    client.submit("/profil/traitements/non-concerne")
    client.submit("/mesures/poids/ajouter", {"value": "61,5", "measured_on": "2026-02-01"})
    return space


def test_summary_page_gathers_sections(client, owner):
    _, doc = client.page("/synthese")
    assert "Camille" in doc.find("h1").text
    text = doc.text
    assert "Pénicilline" in text and "AB−" in text and "61,5 kg" in text
    traitements = [s for s in doc.find_all("section") if "Traitements" in s.text][0]
    assert "Non concerné." in traitements.text
    assert doc.find("button", data_print=True) is not None  # revealed by app.js
    pdf_link = doc.find("a", href="/synthese.pdf?rubriques=maladies&rubriques=traitements"
                        "&rubriques=hospitalisations&rubriques=allergies&rubriques="
                        "antecedents-familiaux&rubriques=handicaps&rubriques=groupe-sanguin"
                        "&rubriques=vaccinations&rubriques=directives-anticipees&rubriques="
                        "don-d-organes&rubriques=entourage&rubriques=mesures")
    assert pdf_link is not None


def test_chosen_sections_only(client, owner):
    _, doc = client.page("/synthese?rubriques=allergies")
    assert "Pénicilline" in doc.text and "AB−" not in doc.text
    assert [h.text for h in doc.find_all("h2") if h.get("id", "").startswith("bloc-")] == [
        "Allergies et intolérances"]
    assert doc.find("input", value="allergies").get("checked") is not None


def test_pdf_is_generated_with_unicode_text(client, owner):
    r = client.get("/synthese.pdf?rubriques=allergies&rubriques=groupe-sanguin")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-") and len(r.data) > 1000
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert AccessLog.select().where(AccessLog.target == "summary:pdf").exists()


def test_pdf_falls_back_to_core_font(client, owner, monkeypatch, tmp_path):
    from webapp.record import pdf

    monkeypatch.setattr(pdf, "FONT", tmp_path / "missing.ttf")
    r = client.get("/synthese.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")


def test_print_stylesheet_hides_the_controls(client, owner):
    _, doc = client.page("/synthese")
    assert "no-print" in doc.find("form", action="/synthese").get("class")
    from pathlib import Path

    css = (Path(client.application.static_folder) / "css" / "app.css").read_text()
    assert ".no-print" in css.split("@media print")[1]


def test_access(client, owner):
    client._cookies.clear()
    r = client.get("/synthese.pdf")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    pro = make_user(role="professional")
    CareRelation.create(professional=pro, space=owner)
    sign_in_on(client, pro, owner)
    assert client.get("/synthese.pdf").status_code == 200
    Block.create(professional=pro, space=owner)
    assert client.get("/synthese.pdf").status_code == 404
    assert client.get("/synthese").status_code == 404
