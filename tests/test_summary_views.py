"""Health summary: chosen sections, printable page, PDF generated on the server, access."""

from pathlib import Path

import pytest

from tests.helpers import logged, make_space, make_user, sign_in_on, space_path
from webapp.models.spaces import Block, CareRelation
from webapp.privacy.history import describe
from webapp.record import pdf


@pytest.fixture
def owner(client, db):
    user = make_user(first_name="Camille", last_name="Martin")
    space = make_space(user)
    client.sign_in(user.email)
    base = space_path(space, "")
    client.submit(f"{base}/profil/allergies/ajouter", {"substance": "Pénicilline"})
    client.submit(f"{base}/profil/groupe-sanguin/ajouter", {"blood_group": "AB−"})
    client.submit(f"{base}/profil/traitements/non-concerne")
    client.submit(f"{base}/mesures/poids/ajouter",
                  {"value": "61,5", "measured_on": "2026-02-01"})
    return space


@pytest.fixture
def base(owner):
    """The address prefix of the owner's space."""
    return space_path(owner, "")


def test_summary_page_gathers_sections(client, base):
    _, doc = client.page(f"{base}/synthese")
    assert "Camille" in doc.find("h1").text
    text = doc.text
    assert "Pénicilline" in text and "AB−" in text and "61,5 kg" in text
    traitements = [s for s in doc.find_all("section") if "Traitements" in s.text][0]
    assert "Non concerné." in traitements.text
    assert doc.find("button", data_print=True) is not None  # revealed by app.js
    pdf_link = doc.find("a", href=f"{base}/synthese.pdf?rubriques=maladies&rubriques=traitements"
                        "&rubriques=hospitalisations&rubriques=allergies&rubriques="
                        "antecedents-familiaux&rubriques=handicaps&rubriques=groupe-sanguin"
                        "&rubriques=vaccinations&rubriques=directives-anticipees&rubriques="
                        "don-d-organes&rubriques=entourage&rubriques=mesures")
    assert pdf_link is not None


def test_chosen_sections_only(client, base):
    _, doc = client.page(f"{base}/synthese?rubriques=allergies")
    assert "Pénicilline" in doc.text and "AB−" not in doc.text
    assert [h.text for h in doc.find_all("h2") if h.get("id", "").startswith("bloc-")] == [
        "Allergies et intolérances"]
    assert doc.find("input", value="allergies").get("checked") is not None


def test_pdf_is_generated_with_unicode_text(client, base):
    r = client.get(f"{base}/synthese.pdf?rubriques=allergies&rubriques=groupe-sanguin")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-") and len(r.data) > 1000
    assert r.headers["Content-Disposition"].startswith("attachment")
    entry = logged(detail="summary.pdf").get()
    assert describe(entry) == "Téléchargement de la synthèse médicale"


def test_pdf_falls_back_to_core_font(client, base, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT", tmp_path / "missing.ttf")
    r = client.get(f"{base}/synthese.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")


def test_print_stylesheet_hides_the_controls(client, base):
    _, doc = client.page(f"{base}/synthese")
    assert "no-print" in doc.find("form", action=f"{base}/synthese").get("class")
    css = (Path(client.application.static_folder) / "css" / "app.css").read_text()
    assert ".no-print" in css.split("@media print")[1]


def test_access(client, owner, base):
    client._cookies.clear()
    r = client.get(f"{base}/synthese.pdf")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    pro = make_user(role="professional")
    CareRelation.create(professional=pro, space=owner)
    sign_in_on(client, pro, owner)
    assert client.get(f"{base}/synthese.pdf").status_code == 200
    Block.create(professional=pro, space=owner)
    assert client.get(f"{base}/synthese.pdf").status_code == 404
    assert client.get(f"{base}/synthese").status_code == 404
