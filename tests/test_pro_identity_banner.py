"""Every page a professional sees under a patient's address names the patient by their
national health identity: the reference traits in the official order and the identity's
status (the patient's own page in full, the others in a compact banner); the patient's
own pages show no such banner."""


import pytest
from flask import url_for

from tests.helpers import (
    check_structure,
    make_document,
    make_ines,
    make_user,
    parse,
    space_path,
)
from webapp.models.messages import Conversation
from webapp.models.spaces import CareRelation

TRAITS = ["DURAND", "Inès", "09/07/1990", "Féminin", "69123"]


@pytest.fixture
def followed(client, db):
    """Inès ROUX (born DURAND), validated identity; Dr VIDAL follows her and wrote to her;
    one document in her record. The client is signed in as the doctor."""
    space = make_ines("validated")
    doctor = make_user("professional", first_name="Luc", last_name="Vidal")
    CareRelation.create(professional=doctor, space=space)
    document = make_document(space, title="Bilan sanguin")
    client.sign_in(doctor.email)
    sent = client.submit(space_path(space, "/pro/messages/nouveau"),
                         {"subject": "Vos résultats", "body": "Bonjour, voici vos résultats."})
    assert sent.status_code == 303, sent.text[:500]
    return space, document, Conversation.get(Conversation.space == space)


def _pages(app, space, document, conversation):
    """Every GET address under the space's, with the ids its parameters need."""
    values = {"doc_id": document.id, "conversation_id": conversation.id}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/espaces/<") or "GET" not in rule.methods:
                continue
            needed = rule.arguments - {"ref"}
            if needed <= values.keys():
                yield rule.endpoint, url_for(rule.endpoint, ref=space.ref,
                                             **{k: values[k] for k in needed})


def _identity_texts(doc, endpoint):
    if endpoint == "pro_record.patient":
        return doc.find("section", class_="identity").text
    banner = doc.find("section", class_="identity-banner")
    assert banner is not None, f"{endpoint}: no identity banner"
    assert banner.find("details") is not None and banner.find("summary") is not None
    return banner.find("summary").text, banner.text


def test_every_professional_page_under_the_patient_s_address_shows_the_identity(
        app, client, followed):
    space, document, conversation = followed
    shown = []
    for endpoint, url in _pages(app, space, document, conversation):
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        doc = parse(response.text)
        assert not check_structure(doc), endpoint
        texts = _identity_texts(doc, endpoint)
        for text in (texts if isinstance(texts, tuple) else (texts,)):
            for trait in TRAITS + ["Identité validée"]:
                assert trait in text, (endpoint, trait)
        shown.append(endpoint)
    for expected in ("pro_record.patient", "pro_record.record", "pro_record.deposit",
                     "pro_record.propose", "pro_messages.start", "pro_messages.show",
                     "documents.detail"):
        assert expected in shown, (expected, shown)


def test_the_banner_s_line_keeps_the_official_order_and_the_details_every_trait(
        client, followed):
    space, _document, _conversation = followed
    _, doc = client.page(space_path(space, "/pro/dossier"))
    banner = doc.find("section", class_="identity-banner")
    line = banner.find("summary").text
    positions = [line.index(trait) for trait in TRAITS]
    assert positions == sorted(positions)
    labels = [dt_.text for dt_ in banner.find_all("dt")]
    assert labels[:6] == ["Nom de naissance", "Premier prénom de naissance",
                          "Prénom(s) de naissance", "Date de naissance", "Sexe",
                          "Lieu de naissance (code INSEE)"]
    assert {"Matricule INS", "OID", "Statut de l'identité"} <= set(labels)
    assert banner.get("aria-label") == "Identité nationale de santé du patient"
    assert "Identité de démonstration" in banner.text


def test_the_patient_s_own_pages_have_no_identity_banner(app, followed):
    space, document, _conversation = followed
    owner = app.test_client()
    owner.sign_in(space.owner.email)
    _, doc = owner.page(space_path(space, "/"))
    assert doc.find("section", class_="identity-banner") is None
    _, doc = owner.page(space_path(space, "/documents/" + str(document.id)))
    assert doc.find("section", class_="identity-banner") is None
