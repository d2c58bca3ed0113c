"""Cancelling an Appointment through the API: a PUT of the resource as read with status
"cancelled". The professional's software withdraws its own proposal (the holders are
told, the agenda shows it cancelled), a citizen's app declines a proposal still waiting
as the agenda page would; any other change is refused, and scope letter `u` is needed."""

import datetime as dt
import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fhir_support import FHIR_JSON, bearer, make_client, post
from tests.helpers import make_space, make_user, space_path
from tests.test_fhir_fuzz import IDS, JSON, SETTINGS, TEXT, _check, _mutated
from webapp.models.agenda import Appointment
from webapp.models.audit import AccessLog
from webapp.models.notifications import Outbox
from webapp.models.spaces import CareRelation

PRO = "user/Appointment.cru"


@pytest.fixture
def people(db):
    owner = make_user(first_name="Camille", last_name="Martin")
    space = make_space(owner)
    doctor = make_user("professional", first_name="Paul", last_name="Bernard")
    CareRelation.create(professional=doctor, space=space)
    return dict(owner=owner, space=space, doctor=doctor, pro=bearer(doctor, None, PRO))


def _propose(client, people):
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0)
    sent = {"resourceType": "Appointment", "status": "proposed",
            "description": "Consultation de suivi", "start": start.isoformat(),
            "minutesDuration": 20,
            "participant": [{"actor": {"reference": f"Patient/{people['space'].ref}"},
                             "status": "needs-action"}]}
    created = post(client, "/fhir/Appointment", sent, people["pro"])
    assert created.status_code == 201, created.text
    return created.get_json()


def put(client, resource, headers):
    return client.put(f"/fhir/Appointment/{resource['id']}", data=json.dumps(resource),
                      headers=headers, content_type=FHIR_JSON)


def test_the_professional_s_software_withdraws_its_proposal_and_the_patient_is_told(
        client, people):
    read = _propose(client, people)
    answer = put(client, {**read, "status": "cancelled"}, people["pro"])
    assert answer.status_code == 200, answer.text
    assert answer.get_json()["status"] == "cancelled"
    entry = Appointment.get()
    assert entry.status == "withdrawn"
    assert AccessLog.get(AccessLog.action == "agenda.withdraw").target_id == entry.id
    told = Outbox.select().where(Outbox.template == "appointment_withdrawn")
    assert {n.recipient_id for n in told} == {people["owner"].id}
    sent = told.count()
    again = put(client, {**read, "status": "cancelled"}, people["pro"])
    assert again.status_code == 200 and told.count() == sent  # the same PUT: a no-op
    client.sign_in(people["owner"].email)
    _, page = client.page(space_path(people["space"], f"/agenda/{entry.id}"))
    assert "Annulée par Paul BERNARD" in page.text


def test_any_other_change_than_cancelling_is_refused(client, people):
    read = _propose(client, people)
    moved = put(client, {**read, "status": "cancelled", "description": "Autre"}, people["pro"])
    assert moved.status_code == 422
    assert moved.get_json()["issue"][0]["code"] == "business-rule"
    booked = put(client, {**read, "status": "booked"}, people["pro"])
    assert booked.status_code == 422
    other_id = put(client, {**read, "id": read["id"] + "9", "status": "cancelled"},
                   people["pro"])
    assert other_id.status_code == 404  # no such appointment
    wrong = client.put(f"/fhir/Appointment/{read['id']}", data="{",
                       headers=people["pro"], content_type=FHIR_JSON)
    assert wrong.status_code == 400
    assert Appointment.get().status == "proposed"


def test_cancelling_needs_the_u_scope_letter(client, people):
    read = _propose(client, people)
    no_u = bearer(people["doctor"], None, "user/Appointment.crs")
    refused = put(client, {**read, "status": "cancelled"}, no_u)
    assert refused.status_code == 403 and "insufficient_scope" in refused.headers[
        "WWW-Authenticate"]
    assert Appointment.get().status == "proposed"


def test_another_professional_cannot_cancel_a_proposal_they_did_not_make(client, people):
    read = _propose(client, people)
    colleague = make_user("professional", first_name="Anne", last_name="Petit")
    CareRelation.create(professional=colleague, space=people["space"])
    refused = put(client, {**read, "status": "cancelled"}, bearer(colleague, None, PRO))
    assert refused.status_code == 404
    assert Appointment.get().status == "proposed"


def test_the_citizen_s_app_declines_a_waiting_proposal_as_the_agenda_page_does(
        client, people):
    read = _propose(client, people)
    app = bearer(people["owner"], people["space"], "patient/Appointment.rus",
                 client=make_client("app", "Carnet Santé"))
    as_app = client.get(f"/fhir/Appointment/{read['id']}", headers=app).get_json()
    answer = put(client, {**as_app, "status": "cancelled"}, app)
    assert answer.status_code == 200, answer.text
    assert Appointment.get().status == "declined"
    assert Outbox.get(Outbox.template == "appointment_answer").recipient_id == \
        people["doctor"].id
    back = put(client, {**as_app, "status": "cancelled"}, app)
    assert back.status_code == 200  # already cancelled: nothing to do
    assert put(client, {**as_app, "status": "booked"}, app).status_code == 422


def test_the_citizen_s_app_cannot_cancel_an_accepted_appointment(client, people):
    read = _propose(client, people)
    Appointment.update(status="accepted").execute()  # accepted on the agenda page
    app = bearer(people["owner"], people["space"], "patient/Appointment.rus",
                 client=make_client("app", "Carnet Santé"))
    booked = client.get(f"/fhir/Appointment/{read['id']}", headers=app).get_json()
    assert booked["status"] == "booked"
    refused = put(client, {**booked, "status": "cancelled"}, app)
    assert refused.status_code == 422  # the pages offer no cancelling once accepted
    assert Appointment.get().status == "accepted"


KEYS = ["resourceType", "id", "status", "description", "start", "end", "comment",
        "participant", "participant.status", "participant.actor.reference", "meta"]


@SETTINGS
@given(data=st.data())
def test_random_updates_never_fail(client, people, data):
    read = people.get("read") or people.setdefault("read", _propose(client, people))
    app = people.get("app") or people.setdefault("app", bearer(
        people["owner"], people["space"], "patient/Appointment.rus"))
    body = data.draw(st.one_of(
        JSON.map(json.dumps),
        st.tuples(st.sampled_from(KEYS), JSON).map(
            lambda kv: json.dumps(_mutated({**read, "status": "cancelled"}, *kv))),
        TEXT))
    path = quote(data.draw(st.one_of(st.just(read["id"]), IDS)), safe="-")
    response = client.put(f"/fhir/Appointment/{path}", data=body, content_type=FHIR_JSON,
                          headers=data.draw(st.sampled_from([people["pro"], app])))
    _check(response)
