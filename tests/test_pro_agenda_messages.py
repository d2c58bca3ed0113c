"""A professional proposes an appointment (proposed in the patient's agenda, accepted or
declined there, the answer on the patient's page) and writes with attachments, both ways;
the inbox lists only the patients they may still reach."""

import datetime as dt
import io

import pytest

from tests.helpers import PDF, make_space, make_user, parse, space_path
from webapp.models.agenda import Appointment
from webapp.models.audit import AccessLog
from webapp.models.messages import Attachment, Conversation, Message
from webapp.models.notifications import Outbox
from webapp.models.spaces import Block, CareRelation


@pytest.fixture
def care(db):
    owner = make_user(first_name="Inès", last_name="Roux")
    space = make_space(owner, first_name="Inès", last_name="Roux")
    doctor = make_user("professional", first_name="Luc", last_name="Vidal")
    CareRelation.create(professional=doctor, space=space)
    return space, doctor


def _propose(client, space, **fields):
    data = dict(title="Consultation", day=(dt.date.today() + dt.timedelta(days=3)).isoformat(),
                time="10:30", minutes="20", address="8 rue X, Paris", note="À jeun.")
    data.update(fields)
    return client.submit(space_path(space, "/pro/rendez-vous"), data)


def _owner(client, space):
    owner = client.application.test_client()
    owner.sign_in(space.owner.email)
    return owner


def test_a_proposal_is_proposed_in_the_agenda_then_answered(client, care):
    space, doctor = care
    client.sign_in(doctor.email)
    client.page(space_path(space, "/pro/rendez-vous"))
    assert _propose(client, space).status_code == 303
    entry = Appointment.get()
    assert (entry.status, entry.owner_kind, entry.created_by_id) == (
        "proposed", "professional", doctor.id)
    assert entry.ends_at - entry.starts_at == dt.timedelta(minutes=20)
    assert Outbox.get(Outbox.template == "appointment_proposed").recipient_id == space.owner_id
    owner = _owner(client, space)
    _, agenda = owner.page(space_path(space, "/agenda"))
    assert "Proposé par Luc VIDAL" in agenda.text
    _, shown = owner.page(space_path(space, f"/agenda/{entry.id}"))
    assert shown.find("button", value="accept") and shown.find("button", value="decline")
    answered = owner.submit(space_path(space, f"/agenda/{entry.id}/repondre"),
                            {"reponse": "decline"})
    assert answered.status_code == 303
    assert Appointment.get_by_id(entry.id).status == "declined"
    assert owner.submit(space_path(space, f"/agenda/{entry.id}/repondre"),
                        {"reponse": "accept"}).status_code == 404  # answered once
    assert Outbox.get(Outbox.template == "appointment_answer").recipient_id == doctor.id
    _, patient = client.page(space_path(space, "/pro/"))
    assert "Refusé par le patient" in patient.text
    actions = {e.action for e in AccessLog.select().where(AccessLog.space == space)}
    assert {"agenda.propose", "agenda.answer"} <= actions


def test_the_proposal_form_keeps_what_was_typed_on_error(client, care):
    space, doctor = care
    client.sign_in(doctor.email)
    response = _propose(client, space, day="2020-01-01", title="Bilan")
    assert response.status_code == 200 and "Choisissez une date à venir" in response.text
    assert 'value="Bilan"' in response.text and not Appointment.select().exists()


def test_a_professional_sees_only_the_proposals_they_made(client, care):
    space, doctor = care
    other = make_user("professional", first_name="Zoé", last_name="Blanc")
    CareRelation.create(professional=other, space=space)
    client.sign_in(doctor.email)
    _propose(client, space, title="Mon rendez-vous")
    second = client.application.test_client()
    second.sign_in(other.email)
    _, patient = second.page(space_path(space, "/pro/"))
    assert "Mon rendez-vous" not in patient.text
    second.page(space_path(space, "/agenda"), status=404)


def test_the_professional_writes_with_attachments_and_the_patient_answers_with_one(client, care):
    space, doctor = care
    client.sign_in(doctor.email)
    started = client.submit(space_path(space, "/pro/messages/nouveau"), {
        "subject": "Vos résultats", "body": "Voici le compte rendu.",
        "files": (io.BytesIO(PDF), "compte-rendu.pdf")}, content_type="multipart/form-data")
    assert started.status_code == 303, started.text[:500]
    conversation = Conversation.get()
    assert [a.filename for a in Attachment.select()] == ["compte-rendu.pdf"]
    owner = _owner(client, space)
    _, thread = owner.page(space_path(space, f"/messages/{conversation.id}"))
    assert "compte-rendu.pdf" in thread.text
    attachment = Attachment.get()
    download = owner.get(space_path(space, f"/messages/{conversation.id}/pieces/{attachment.id}"))
    assert download.status_code == 200 and download.data == PDF
    download.close()
    owner.submit(space_path(space, f"/messages/{conversation.id}/repondre"), {
        "body": "Merci, voici ma carte.", "files": (io.BytesIO(PDF), "carte.pdf")},
        content_type="multipart/form-data")
    theirs = Attachment.get(Attachment.filename == "carte.pdf")
    _, pro_thread = client.page(space_path(space, f"/pro/messages/{conversation.id}"))
    assert "carte.pdf" in pro_thread.text and pro_thread.find("input", type="file")
    got = client.get(space_path(space, f"/pro/messages/{conversation.id}/pieces/{theirs.id}"))
    assert got.status_code == 200
    got.close()
    again = client.submit(space_path(space, f"/pro/messages/{conversation.id}/repondre"), {
        "body": "Bien reçu.", "files": (io.BytesIO(PDF), "ordonnance.pdf")},
        content_type="multipart/form-data")
    assert again.status_code == 303
    assert Message.select().count() == 3 and Attachment.select().count() == 3


def test_a_refused_attachment_is_said_on_the_field_and_nothing_is_sent(client, care):
    space, doctor = care
    client.sign_in(doctor.email)
    response = client.submit(space_path(space, "/pro/messages/nouveau"), {
        "subject": "Test", "body": "Texte", "files": (io.BytesIO(b"\x00\x01binaire"), "x.bin")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert "n'est pas d'un type accepté" in parse(response.text).text
    assert not Conversation.select().exists()


def test_the_inbox_lists_only_patients_still_reachable(client, care):
    space, doctor = care
    client.sign_in(doctor.email)
    client.submit(space_path(space, "/pro/messages/nouveau"), {"subject": "Bonjour",
                                                                "body": "Texte"})
    _, inbox = client.page("/pro/messages")
    assert "Bonjour" in inbox.text
    Block.create(space=space, professional=doctor)
    _, inbox = client.page("/pro/messages")
    assert "Bonjour" not in inbox.text
    client.page(space_path(space, "/pro/"), status=404)
