"""A patient's pages for the professional who follows them: the record as the profession
may see it, deposit a document (PDF or image, category the profession writes in, LOINC
type, date, title), keep it from the patient until the announcement consultation (lifted
by the professional or at a date), and new versions that keep the old one in history."""

import datetime as dt
import io

import pytest

from tests.helpers import (
    PDF,
    check_structure,
    make_document,
    make_space,
    make_user,
    parse,
    space_path,
)
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.notifications import Outbox
from webapp.models.spaces import CareRelation

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
       b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
       b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def care(db):
    """A patient and the professionals who follow her: a doctor and a biologist."""
    owner = make_user(first_name="Inès", last_name="Roux")
    space = make_space(owner, first_name="Inès", last_name="Roux")
    doctor = make_user("professional", first_name="Luc", last_name="Vidal")
    biologist = make_user("professional", profession="biologiste")
    for pro in (doctor, biologist):
        CareRelation.create(professional=pro, space=space)
    return space, doctor, biologist


def _deposit(client, space, query="", content=PDF, name="cr.pdf", **fields):
    data = dict(title="Compte rendu de consultation", loinc="11488-4", category="CPT_REND",
                document_date="2026-03-02")
    data.update(fields)
    data["file"] = (io.BytesIO(content), name)
    return client.submit(space_path(space, "/pro/documents/deposer" + query), data,
                         content_type="multipart/form-data")


def test_the_patient_page_shows_identity_and_what_to_do(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    _, doc = client.page(space_path(space, "/pro/"))
    links = {a.get("href") for a in doc.find_all("a")}
    for path in ("/pro/dossier", "/pro/documents/deposer", "/pro/rendez-vous",
                 "/pro/messages/nouveau"):
        assert space_path(space, path) in links
    assert "Identité nationale de santé (INS)" in doc.text and "Identité provisoire" in doc.text
    _, home = client.page("/")
    assert space_path(space, "/pro/") in {a.get("href") for a in home.find_all("a")}


def test_the_record_shows_only_what_the_profession_reads(client, care):
    space, _doctor, biologist = care
    make_document(space, title="Bilan sanguin", category="BIOLOGIE")
    make_document(space, title="Radio du genou", category="RADIO_SC")
    client.sign_in(biologist.email)
    _, doc = client.page(space_path(space, "/pro/dossier"))
    assert "Bilan sanguin" in doc.text and "Radio du genou" not in doc.text
    assert "Catégories que votre profession ne consulte pas" in doc.text
    radio = Document.get(Document.title == "Radio du genou")
    client.page(space_path(space, f"/documents/{radio.id}"), status=404)


def test_a_deposit_is_in_the_record_logged_signed_and_notified(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    response = _deposit(client, space)
    assert response.status_code == 303, response.text[:800]
    doc = Document.get(Document.title == "Compte rendu de consultation")
    assert (doc.author_id, doc.author_kind, doc.loinc, doc.category) == (
        doctor.id, "professional", "11488-4", "CPT_REND")
    assert doc.document_date == dt.date(2026, 3, 2) and not doc.withheld
    entry = AccessLog.get((AccessLog.action == "documents.add") & (AccessLog.target_id == doc.id))
    assert entry.actor_name == "Luc VIDAL" and entry.office_name.startswith("Médecin")
    assert Outbox.select().where((Outbox.recipient == space.owner)
                                 & (Outbox.template == "new_document")).exists()


def test_an_image_is_accepted_text_is_not(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    assert _deposit(client, space, content=PNG, name="photo.png").status_code == 303
    refused = _deposit(client, space, content=b"juste du texte\n", name="note.txt",
                       title="Note")
    page = parse(refused.text)
    assert refused.status_code == 200 and not check_structure(page)
    assert "Déposez un PDF ou une image" in refused.text
    assert 'value="Note"' in refused.text  # what was typed stays
    assert not Document.select().where(Document.title == "Note").exists()


def test_a_profession_deposits_only_in_the_categories_it_writes(client, care):
    space, _doctor, biologist = care
    client.sign_in(biologist.email)
    _, page = client.page(space_path(space, "/pro/documents/deposer"))
    offered = {o.get("value") for o in page.by_id("category").find_all("option")} - {""}
    assert offered == {"BIOLOGIE"}
    refused = _deposit(client, space, category="CPT_REND")
    assert refused.status_code == 200 and "votre profession ne dépose que" in refused.text
    assert _deposit(client, space, category="BIOLOGIE", loinc="11502-2",
                    title="NFS").status_code == 303


def test_the_citizen_s_add_form_is_not_a_professional_s(client, care):
    space, _doctor, biologist = care
    client.sign_in(biologist.email)
    client.page(space_path(space, "/documents/ajouter"), status=404)


def test_a_withheld_document_waits_for_the_consultation(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    assert _deposit(client, space, title="Résultat de biopsie", withheld="y").status_code == 303
    doc = Document.get(Document.title == "Résultat de biopsie")
    assert doc.withheld
    assert not Outbox.select().where(Outbox.template == "new_document").exists()
    owner = client.application.test_client()
    owner.sign_in(space.owner.email)
    _, listing = owner.page(space_path(space, "/documents"))
    assert "Un document vous attend" in listing.text and "Luc VIDAL" in listing.text
    assert "biopsie" not in listing.text.lower()
    owner.page(space_path(space, f"/documents/{doc.id}"), status=404)
    assert owner.get(space_path(space, f"/documents/{doc.id}/telecharger")).status_code == 404
    released = client.submit(space_path(space, f"/pro/documents/{doc.id}/montrer"))
    assert released.status_code == 303
    assert not Document.get_by_id(doc.id).withheld
    _, listing = owner.page(space_path(space, "/documents"))
    assert "Résultat de biopsie" in listing.text and "vous attend" not in listing.text
    assert Outbox.select().where(Outbox.template == "new_document").exists()
    assert AccessLog.select().where(AccessLog.action == "documents.release").exists()


def test_a_withheld_document_shows_itself_at_its_date(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    day = (utcnow() + dt.timedelta(days=14)).date().isoformat()
    assert _deposit(client, space, title="Scanner", withheld="y",
                    release_on=day).status_code == 303
    doc = Document.get(Document.title == "Scanner")
    assert doc.release_at is not None
    owner = client.application.test_client()
    owner.sign_in(space.owner.email)
    owner.page(space_path(space, f"/documents/{doc.id}"), status=404)
    Document.update(release_at=utcnow() - dt.timedelta(minutes=1)).execute()
    owner.page(space_path(space, f"/documents/{doc.id}"))


def test_a_release_date_must_come_and_needs_the_box(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    past = _deposit(client, space, withheld="y", release_on="2020-01-01")
    assert "Choisissez une date à venir" in past.text
    alone = _deposit(client, space, release_on="2099-01-01")
    assert "Cochez d'abord la case" in alone.text
    assert not Document.select().exists()


def test_only_the_author_shows_a_withheld_document(client, care):
    space, doctor, biologist = care
    client.sign_in(doctor.email)
    _deposit(client, space, category="BIOLOGIE", loinc="11502-2", title="Caryotype",
             withheld="y")
    doc = Document.get(Document.title == "Caryotype")
    other = client.application.test_client()
    other.sign_in(biologist.email)
    other.submit(space_path(space, f"/pro/documents/{doc.id}/montrer"))
    assert Document.get_by_id(doc.id).withheld


def test_a_new_version_replaces_the_old_one_which_stays_in_history(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    _deposit(client, space, title="Bilan v1")
    old = Document.get(Document.title == "Bilan v1")
    _, form = client.page(space_path(space, f"/pro/documents/deposer?remplace={old.id}"))
    assert form.by_id("title").get("value") == "Bilan v1"
    assert _deposit(client, space, f"?remplace={old.id}", title="Bilan v2").status_code == 303
    new = Document.get(Document.title == "Bilan v2")
    assert new.replaces_id == old.id and Document.get_by_id(old.id).superseded_at
    owner = client.application.test_client()
    owner.sign_in(space.owner.email)
    _, listing = owner.page(space_path(space, "/documents"))
    assert "Bilan v2" in listing.text and "Bilan v1" not in listing.text
    _, detail = owner.page(space_path(space, f"/documents/{new.id}"))
    assert "Versions précédentes" in detail.text and "Bilan v1" in detail.text
    _, previous = owner.page(space_path(space, f"/documents/{old.id}"))
    assert "Cette version a été remplacée" in previous.text


def test_only_the_author_replaces_a_document(client, care):
    space, doctor, _bio = care
    theirs = make_document(space, title="De quelqu'un d'autre", category="CPT_REND")
    client.sign_in(doctor.email)
    _deposit(client, space, f"?remplace={theirs.id}", title="Remplaçant")
    assert Document.get(Document.title == "Remplaçant").replaces_id is None
    assert Document.get_by_id(theirs.id).superseded_at is None


def test_a_blocked_or_unrelated_professional_reaches_none_of_these_pages(client, care):
    space, _doctor, _bio = care
    stranger = make_user("professional")
    client.sign_in(stranger.email)
    for path in ("/pro/", "/pro/dossier", "/pro/documents/deposer", "/pro/rendez-vous"):
        client.page(space_path(space, path), status=404)
    owner = client.application.test_client()
    owner.sign_in(space.owner.email)
    owner.page(space_path(space, "/pro/"), status=404)  # the holder has her own pages


def test_without_a_category_the_type_s_usual_one_is_taken_if_the_profession_writes_it(
        client, care):
    space, _doctor, biologist = care
    client.sign_in(biologist.email)
    assert _deposit(client, space, category="", loinc="11502-2", title="Ionogramme"
                    ).status_code == 303
    assert Document.get(Document.title == "Ionogramme").category == "BIOLOGIE"
    refused = _deposit(client, space, category="", loinc="11488-4", title="Lettre")
    assert refused.status_code == 200
    assert "votre profession ne dépose pas dans celle de ce type" in parse(refused.text).text


def test_the_document_date_starts_at_today(client, care):
    space, doctor, _bio = care
    client.sign_in(doctor.email)
    _, page = client.page(space_path(space, "/pro/documents/deposer"))
    assert page.by_id("document_date").get("value") == utcnow().date().isoformat()


def test_a_followed_professional_who_is_then_blocked_loses_the_pages(client, care):
    from webapp.models.spaces import Block

    space, doctor, _bio = care
    client.sign_in(doctor.email)
    client.page(space_path(space, "/pro/"))
    Block.create(space=space, professional=doctor)
    client.page(space_path(space, "/pro/"), status=404)
    assert _deposit(client, space).status_code == 404


def test_the_release_command_shows_due_documents_and_tells_the_patient(app, care):
    space, doctor, _bio = care
    due = make_document(space, title="Dû", author=doctor, author_kind="professional",
                        withheld=True, release_at=utcnow() - dt.timedelta(minutes=5))
    later = make_document(space, title="Plus tard", author=doctor, author_kind="professional",
                          withheld=True, release_at=utcnow() + dt.timedelta(days=3))
    result = app.test_cli_runner().invoke(args=["release-documents"])
    assert "1 document(s)" in result.output, result.output
    assert not Document.get_by_id(due.id).withheld and Document.get_by_id(later.id).withheld
    assert Outbox.get(Outbox.template == "new_document").recipient_id == space.owner_id
    entry = AccessLog.get(AccessLog.action == "documents.release")
    assert (entry.capacity, entry.actor_name, entry.target_id) == ("system", "Mon espace santé",
                                                                   due.id)
