"""Allergies, vaccinations, appointments, messages and the access history through the
API: what an app or a professional's software writes shows on the citizen's pages, what
the citizen wrote comes out, round trips are equal after normalisation."""

import base64
import datetime as dt

import pytest

from tests.fhir_support import bearer, make_client, post
from tests.helpers import PDF, make_space, make_user, space_path
from webapp.models.agenda import Appointment
from webapp.models.messages import Attachment, Conversation
from webapp.models.profile import ProfileEntry
from webapp.models.spaces import CareRelation
from webapp.record import profile as profile_actions
from webapp.record.profile_sections import BY_CODE

CITIZEN = ("patient/AllergyIntolerance.crs patient/Immunization.crs patient/Appointment.rs "
           "patient/Communication.rs patient/AuditEvent.rs patient/Patient.r")
PRO = ("user/AllergyIntolerance.crs user/Immunization.crs user/Appointment.crs "
       "user/Communication.crs user/AuditEvent.rs")


@pytest.fixture
def people(db):
    owner = make_user(first_name="Camille", last_name="Martin")
    space = make_space(owner)
    doctor = make_user("professional", first_name="Paul", last_name="Bernard")
    CareRelation.create(professional=doctor, space=space)
    return dict(owner=owner, space=space, doctor=doctor,
                app=bearer(owner, space, CITIZEN, client=make_client("app", "Carnet Santé")),
                pro=bearer(doctor, None, PRO))


def _strip(resource, *keys):
    return {k: v for k, v in resource.items() if k not in ("id", "meta") + keys}


def test_an_allergy_round_trip_shows_on_the_profile(client, people):
    space = people["space"]
    sent = {"resourceType": "AllergyIntolerance", "code": {"text": "Pénicilline"},
            "patient": {"reference": f"Patient/{space.ref}"},
            "reaction": [{"manifestation": [{"text": "Urticaire"}]}]}
    created = post(client, "/fhir/AllergyIntolerance", sent, people["app"])
    assert created.status_code == 201, created.text
    read = client.get(f"/fhir/AllergyIntolerance/{created.get_json()['id']}",
                      headers=people["app"]).get_json()
    assert _strip(read, "clinicalStatus", "recordedDate") == _strip(sent)
    client.sign_in(people["owner"].email)
    _, page = client.page(space_path(space, "/profil/allergies"))
    assert "Pénicilline" in page.text and "Urticaire" in page.text


def test_a_vaccination_the_citizen_typed_comes_out_and_one_sent_goes_in(client, people):
    space = people["space"]
    from webapp.access import Access

    profile_actions.add_entry(Access.system(space, "Tests"), BY_CODE["vaccinations"],
                              {"vaccine": "DTP", "date": dt.date(2025, 5, 2), "dose": "rappel",
                               "batch": "", "professional": ""}, dt.date(2025, 5, 2))
    sent = {"resourceType": "Immunization", "status": "completed",
            "vaccineCode": {"text": "Grippe saisonnière"},
            "patient": {"reference": f"Patient/{space.ref}"},
            "occurrenceDateTime": "2026-01-10", "lotNumber": "AB123",
            "performer": [{"actor": {"display": "Dr Bernard"}}]}
    created = post(client, "/fhir/Immunization", sent, people["pro"])
    assert created.status_code == 201, created.text
    assert _strip(created.get_json()) == _strip(sent)
    found = client.get(f"/fhir/Immunization?patient={space.ref}&date=ge2025",
                       headers=people["app"]).get_json()
    assert [e["resource"]["vaccineCode"]["text"] for e in found["entry"]] == [
        "Grippe saisonnière", "DTP"]
    entry = ProfileEntry.get(ProfileEntry.author == people["doctor"])
    assert entry.author_kind == "professional" and entry.values["batch"] == "AB123"
    assert client.get("/fhir/AllergyIntolerance", headers=people["app"]).get_json()[
        "total"] == 0  # a vaccination is not an allergy


def test_a_professional_proposes_an_appointment_the_citizen_sees(client, people):
    space = people["space"]
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0)
    sent = {"resourceType": "Appointment", "status": "proposed",
            "description": "Consultation de suivi", "start": start.isoformat(),
            "end": (start + dt.timedelta(minutes=20)).isoformat(),
            "participant": [{"actor": {"reference": f"Patient/{space.ref}"},
                             "status": "needs-action"}]}
    created = post(client, "/fhir/Appointment", sent, people["pro"])
    assert created.status_code == 201, created.text
    entry = Appointment.get()
    assert (entry.status, entry.starts_at, entry.ends_at - entry.starts_at) == (
        "proposed", start.replace(tzinfo=None), dt.timedelta(minutes=20))
    mine = client.get(f"/fhir/Appointment?patient={space.ref}", headers=people["pro"]).get_json()
    assert [e["resource"]["status"] for e in mine["entry"]] == ["proposed"]
    refused = post(client, "/fhir/Appointment", {**sent, "status": "booked"}, people["pro"])
    assert refused.status_code == 400
    client.sign_in(people["owner"].email)
    _, page = client.page(space_path(space, f"/agenda/{entry.id}"))
    assert "Consultation de suivi" in page.text


def test_a_professional_writes_to_the_patient_with_a_file(client, people):
    space = people["space"]
    sent = {"resourceType": "Communication", "status": "completed",
            "subject": {"reference": f"Patient/{space.ref}"},
            "topic": {"text": "Résultats"},
            "payload": [{"contentString": "Vos résultats sont normaux."},
                        {"contentAttachment": {"contentType": "application/pdf",
                                               "title": "resultats.pdf",
                                               "data": base64.b64encode(PDF).decode()}}]}
    created = post(client, "/fhir/Communication", sent, people["pro"])
    assert created.status_code == 201, created.text
    conversation = Conversation.get()
    assert conversation.subject == "Résultats" and Attachment.select().count() == 1
    listed = client.get("/fhir/Communication", headers=people["app"]).get_json()
    payload = listed["entry"][0]["resource"]["payload"]
    assert payload[0]["contentString"] == "Vos résultats sont normaux."
    assert payload[1]["contentAttachment"]["title"] == "resultats.pdf"
    app_token = bearer(people["owner"], space, "patient/Communication.crs")
    assert post(client, "/fhir/Communication", sent, app_token).status_code == 403  # new
    reply = {"resourceType": "Communication", "status": "completed",
             "subject": {"reference": f"Patient/{space.ref}"},
             "inResponseTo": [{"reference": f"Communication/{created.get_json()['id']}"}],
             "payload": [{"contentString": "Merci docteur."}]}
    answered = post(client, "/fhir/Communication", reply, app_token)
    assert answered.status_code == 201, answered.text
    assert answered.get_json()["recipient"][0]["display"] == "Paul BERNARD"
    mine = client.get(f"/fhir/Communication?patient={space.ref}",
                      headers=people["pro"]).get_json()
    assert [e["resource"]["payload"][0]["contentString"] for e in mine["entry"]] == [
        "Merci docteur.", "Vos résultats sont normaux."]
    reply["inResponseTo"][0]["reference"] = f"Communication/{space.ref}-999"
    assert post(client, "/fhir/Communication", reply, app_token).status_code == 404
    client.sign_in(people["owner"].email)
    _, page = client.page(space_path(space, f"/messages/{conversation.id}"))
    assert "Vos résultats sont normaux." in page.text


def test_the_citizen_reads_her_access_history_and_a_professional_does_not(client, people):
    space = people["space"]
    client.get(f"/fhir/Patient/{space.ref}", headers=people["app"])
    events = client.get("/fhir/AuditEvent", headers=people["app"]).get_json()
    assert events["total"] >= 1
    first = events["entry"][-1]["resource"]
    assert first["agent"][0]["who"]["display"] == "Application Carnet Santé"
    assert first["outcome"] == "0"
    assert client.get(f"/fhir/AuditEvent?patient={space.ref}",
                      headers=people["pro"]).status_code == 404
