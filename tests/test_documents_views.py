"""Documents pages: list, pagination and filters (full page and fragment), detail, open and
download, upload validation, hide/show, edit and delete rules, the setting."""

import datetime as dt
import io
from pathlib import Path

import pytest
from flask_babel import to_user_timezone

from tests.helpers import PDF, camille_signed_in, logged, make_document, make_user, space_path
from webapp import storage
from webapp.db import utcnow
from webapp.models.documents import Document
from webapp.models.spaces import CareRelation

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def camille(client, db):
    return camille_signed_in(client)


def test_list_is_paginated_newest_first(client, camille):
    for i in range(45):
        make_document(camille, title=f"Doc {i:02d}", day=dt.date(2025, 1, 1) + dt.timedelta(i))
    _, doc = client.page(space_path(camille, "/documents"))
    titles = [a.text for a in doc.find_all("a") if a.text.startswith("Doc ")]
    assert titles[:2] == ["Doc 44", "Doc 43"] and len(titles) == 20
    assert "45 documents" in doc.find("h2", id="document-count").text
    nav = doc.find("nav", class_="pagination")
    assert nav is not None and "apres=" in nav.find("a", rel="next").get("href")
    assert nav.find("a", rel="prev") is None  # page 1
    for _page in range(2):
        _, doc = client.page(doc.find("nav", class_="pagination").find("a", rel="next")
                             .get("href"))
    titles = [a.text for a in doc.find_all("a") if a.text.startswith("Doc ")]
    assert titles == ["Doc 04", "Doc 03", "Doc 02", "Doc 01", "Doc 00"]
    nav = doc.find("nav", class_="pagination")
    assert nav.find("a", rel="next") is None and nav.find("a", rel="prev") is not None


def test_filters_work_as_full_page_and_as_fragment(client, camille):
    make_document(camille, title="Prise de sang mars", category="BIOLOGIE",
                  day=dt.date(2026, 3, 10))
    make_document(camille, title="Prise de sang janvier", category="BIOLOGIE",
                  day=dt.date(2026, 1, 10))
    make_document(camille, title="Ordonnance", category="ORD_SOIN", day=dt.date(2026, 3, 12))
    response, doc = client.page(space_path(camille,
                                           "/documents?categorie=BIOLOGIE&du=2026-02-01"))
    assert "Prise de sang mars" in doc.text
    assert "Prise de sang janvier" not in doc.text and "Ordonnance<" not in response.text
    assert doc.find("select", id="categorie").find("option", selected=True).get(
        "value") == "BIOLOGIE"
    response, frag = client.page(space_path(camille, "/documents?q=sang"), fragment=True)
    assert "<html" not in response.text and "HX-Request" in response.headers["Vary"]
    assert "Prise de sang mars" in frag.text and "Prise de sang janvier" in frag.text
    assert "Ordonnance" not in [a.text for a in frag.find_all("a")]
    assert frag.find(id="live") is not None  # the count is announced
    _, doc = client.page(space_path(camille, "/documents?au=2026-01-31"))
    assert "Prise de sang janvier" in doc.text and "Prise de sang mars" not in doc.text
    # counts per category reflect the other filters but not the category filter
    _, doc = client.page(space_path(camille, "/documents?categorie=ORD_SOIN"))
    counts = doc.find("details", class_="category-counts").text
    assert "Résultats de biologie : 2" in counts and "Ordonnances et soins : 1" in counts


def test_title_search_ignores_accents_and_case(client, camille):
    make_document(camille, title="Échographie abdominale", category="RADIO_SC")
    make_document(camille, title="ECG de contrôle", category="CPT_REND")
    for query in ("écho", "echo", "ECHOGRAPHIE", "Échographie abdo"):
        _, doc = client.page(space_path(camille, f"/documents?q={query}"))
        titles = [a.text.strip() for a in doc.find_all("a")]
        assert "Échographie abdominale" in titles and "ECG de contrôle" not in titles, query
    _, doc = client.page(space_path(camille, "/documents?q=controle"))
    assert "ECG de contrôle" in doc.text and "Échographie abdominale" not in doc.text


def test_a_very_long_search_answers_with_the_list(client, camille):
    """Found by the form fuzzer: a 50 KB search made SQLite's LIKE too complex (a 503)."""
    make_document(camille, title="Échographie abdominale", category="RADIO_SC")
    query = "écho" + "x" * 50_000
    _, doc = client.page(space_path(camille, f"/documents?q={query}"))
    assert "Échographie abdominale" not in doc.text and doc.find("form", role="search")


def test_bad_date_range_is_explained(client, camille):
    _, doc = client.page(space_path(camille, "/documents?du=2026-03-01&au=2026-01-01"))
    assert "La date de fin doit être après la date de début." in doc.text


def test_detail_marks_as_read_and_logs(client, camille):
    d = make_document(camille, title="Radio du genou", category="RADIO_SC")
    _, listing = client.page(space_path(camille, "/documents"))
    assert "Nouveau" in listing.text
    _, doc = client.page(space_path(camille, f"/documents/{d.id}"))
    assert "Radio, écho, scanner, IRM" in doc.text and "PDF" in doc.text
    assert Document.get_by_id(d.id).first_opened_at is not None
    _, listing = client.page(space_path(camille, "/documents"))
    assert "Nouveau" not in listing.text
    assert logged(d, "detail").exists()


def test_open_inline_and_download(client, camille):
    pdf = make_document(camille, filename="cr.pdf")
    rtf = make_document(camille, content=b"{\\rtf1 hello}", filename="note.rtf")
    r = client.get(space_path(camille, f"/documents/{pdf.id}/ouvrir"))
    assert r.status_code == 200 and r.data == PDF and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("inline")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    r = client.get(space_path(camille, f"/documents/{pdf.id}/telecharger"))
    assert r.headers["Content-Disposition"].startswith("attachment")
    # not shown by browsers: downloaded
    r = client.get(space_path(camille, f"/documents/{rtf.id}/ouvrir"))
    assert r.headers["Content-Disposition"].startswith("attachment")
    txt = make_document(camille, content="Résultat : normal".encode(), filename="r.txt")
    r = client.get(space_path(camille, f"/documents/{txt.id}/ouvrir"))
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert logged(pdf, "download").exists()


def _upload(client, camille, content, filename="scan.pdf", **fields):
    data = {"title": "Mon ordonnance", "document_date": "2026-02-03", "category": "ORD_SOIN"}
    data.update(fields)
    if content is not None:
        data["file"] = (io.BytesIO(content), filename)
    return client.submit(space_path(camille, "/documents/ajouter"), data,
                         content_type="multipart/form-data")


def test_upload_stores_file_and_row(client, camille):
    client.page(space_path(camille, "/documents/ajouter"))
    r = _upload(client, camille, PDF)
    assert r.status_code == 303
    d = Document.get()
    assert (d.title, d.category, d.mime, d.author_kind) == (
        "Mon ordonnance", "ORD_SOIN", "application/pdf", "citizen")
    assert storage.exists(d.sha256) and d.original_filename == "scan.pdf"


def test_the_date_is_today_until_changed_and_an_error_keeps_what_was_typed(client, camille):
    """Most documents are added the day they arrive: the date is filled in (Paris time)."""
    _r, doc = client.page(space_path(camille, "/documents/ajouter"))
    today = to_user_timezone(utcnow()).date()
    assert doc.by_id("document_date").get("value") == today.isoformat()
    r = _upload(client, camille, None, document_date="2026-01-05")
    assert 'value="2026-01-05"' in r.text  # a form error keeps the date typed, not today


@pytest.mark.parametrize("content, filename, message", [
    (b"MZ\x90\x00\x03" + b"\x00" * 100, "virus.pdf", "Son contenu ne correspond"),
    (b"", "vide.pdf", "Le fichier choisi est vide"),
    (None, None, "Choisissez le fichier à ajouter."),
])
def test_upload_refusals_keep_what_was_typed(client, camille, content, filename, message):
    r = _upload(client, camille, content, filename or "x", title="Titre gardé")
    assert r.status_code == 200 and message in r.text
    assert 'value="Titre gardé"' in r.text and '<option selected value="ORD_SOIN">' in r.text
    assert r.text.count("<title>Erreur") == 1
    assert Document.select().count() == 0


def test_upload_too_large(client, camille):
    r = _upload(client, camille, b"%PDF-1.4" + b"0" * (5 * 1024 * 1024), "gros.pdf")
    assert r.status_code == 200 and "5 Mo au maximum" in r.text
    assert Document.select().count() == 0
    assert not [p for p in (camille_storage(client)).rglob("*") if p.is_file()]
    # Werkzeug's test client leaves the temporary file of a large body open: close it.
    r.request.environ["wsgi.input"].close()


def test_upload_beyond_the_request_limit_links_back_to_the_form(client, camille):
    r = _upload(client, camille, b"%PDF-1.4" + b"0" * (11 * 1024 * 1024), "enorme.pdf")
    assert r.status_code == 413 and "dépasse la taille autorisée de 5 Mo" in r.text
    assert f'href="{space_path(camille, "/documents/ajouter")}"' in r.text
    assert "Revenir au formulaire" in r.text
    assert Document.select().count() == 0
    r.request.environ["wsgi.input"].close()


def camille_storage(client):
    """The storage directory of the test app."""
    return Path(client.application.config["STORAGE_PATH"])


def test_upload_missing_fields(client, camille):
    r = _upload(client, camille, PDF, title="", document_date="", category="")
    for message in ("Saisissez le titre du document.", "Saisissez la date du document",
                    "Choisissez la catégorie du document."):
        assert message in r.text
    r = _upload(client, camille, PDF, document_date="2099-01-01")
    assert "ne peut pas être dans le futur" in r.text
    assert Document.select().count() == 0


def test_hide_and_show(client, camille):
    d = make_document(camille)
    r = client.submit(space_path(camille, f"/documents/{d.id}/masquer"))
    assert r.status_code == 303 and Document.get_by_id(d.id).hidden
    _, doc = client.page(space_path(camille, f"/documents/{d.id}"))
    assert "Montrer aux professionnels" in doc.text
    client.submit(space_path(camille, f"/documents/{d.id}/masquer"))
    assert not Document.get_by_id(d.id).hidden


def test_professional_documents_cannot_be_edited_or_deleted(client, camille):
    pro = make_user(role="professional", first_name="Paul", last_name="Bernard")
    d = make_document(camille, author=pro, author_kind="professional",
                      author_name="Dr Paul BERNARD", source="professional")
    _, doc = client.page(space_path(camille, f"/documents/{d.id}"))
    assert "vous ne pouvez ni le modifier ni le supprimer" in doc.text
    assert client.get(space_path(camille, f"/documents/{d.id}/supprimer")).status_code == 404
    assert client.submit(space_path(camille, f"/documents/{d.id}/supprimer")).status_code == 404
    assert client.submit(space_path(camille, f"/documents/{d.id}/modifier"),
                         {"title": "x"}).status_code == 404
    assert Document.get_by_id(d.id).title == "Compte rendu"


def test_edit_and_delete_own_document(client, camille):
    d = make_document(camille, author_kind="citizen")
    client.page(space_path(camille, f"/documents/{d.id}/modifier"))
    r = client.submit(space_path(camille, f"/documents/{d.id}/modifier"), {
        "title": "Nouveau titre", "document_date": "2026-01-05", "category": "DOC_ADM"})
    assert r.status_code == 303 and Document.get_by_id(d.id).category == "DOC_ADM"
    r = client.submit(space_path(camille, f"/documents/{d.id}/modifier"),
                      {"title": "", "document_date": "abc", "category": "DOC_ADM"})
    assert r.status_code == 200 and "Saisissez une date valide" in r.text
    client.page(space_path(camille, f"/documents/{d.id}/supprimer"))
    r = client.submit(space_path(camille, f"/documents/{d.id}/supprimer"))
    assert r.status_code == 303 and Document.select().count() == 0
    assert not storage.exists(d.sha256)


def test_hide_new_documents_setting(client, camille):
    _, doc = client.page(space_path(camille, "/parametres"))
    assert "Documents masqués par défaut" in doc.text
    client.page(space_path(camille, "/parametres/documents"))
    r = client.submit(space_path(camille, "/parametres/documents"), {"hide_new": "1"})
    assert r.status_code == 303
    _upload(client, camille, PDF)
    assert Document.get().hidden


def test_home_card_counts_new_documents(client, camille):
    make_document(camille)
    make_document(camille)
    _, doc = client.page(space_path(camille))
    assert "2 nouveaux documents" in doc.text


def test_a_professionals_upload_is_theirs(client, camille):
    pro = make_user(role="professional", first_name="Paul", last_name="Bernard")
    CareRelation.create(professional=pro, space=camille)
    client._cookies.clear()
    client.sign_in(pro.email)
    assert _upload(client, camille, PDF).status_code == 404  # a professional deposits:
    deposit = client.submit(space_path(camille, "/pro/documents/deposer"), {
        "title": "Mon ordonnance", "document_date": "2026-02-03", "category": "ORD_SOIN",
        "loinc": "57833-6", "file": (io.BytesIO(PDF), "scan.pdf")},
        content_type="multipart/form-data")
    assert deposit.status_code == 303
    d = Document.get()
    assert (d.author_id, d.author_kind, d.source) == (pro.id, "professional", "professional")
    client._cookies.clear()
    client.sign_in(camille.owner.email)
    _, doc = client.page(space_path(camille, f"/documents/{d.id}"))
    assert "vous ne pouvez ni le modifier ni le supprimer" in doc.text
    assert client.submit(space_path(camille, f"/documents/{d.id}/supprimer")).status_code == 404
