"""A form sent to a space one may no longer act on (a block, a guardianship that ended) is
refused with a page that says nothing was recorded, and it tells nothing more than the
page for a space that does not exist."""

import datetime as dt
import html

import pytest

from tests.helpers import make_child, make_space, make_user, space_path
from webapp.db import utcnow
from webapp.models.agenda import Appointment
from webapp.models.messages import Conversation, Message
from webapp.models.spaces import Block, CareRelation, Guardianship

NOT_RECORDED = "n'a été enregistré nulle part"
MESSAGE = {"subject": "Vos résultats", "body": "Tapé avant le blocage"}
APPOINTMENT = {"kind": "appointment", "title": "Tapé trop tard", "day": "2031-03-15",
               "time": "10:00"}


@pytest.fixture
def patient(app, db):
    owner = make_user()
    return make_space(owner)


def _rows():
    return (Message.select().count(), Conversation.select().count(),
            Appointment.select().count())


def test_a_message_written_before_the_block_is_refused_and_recorded_nowhere(client, patient):
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=patient)
    client.sign_in(pro.email)
    url = space_path(patient, "/pro/messages/nouveau")
    client.page(url)  # the form is open…
    Block.create(space=patient, professional=pro)  # …when the patient blocks him
    before = _rows()
    response = client.submit(url, MESSAGE)
    assert response.status_code == 404
    assert NOT_RECORDED in html.unescape(response.text)
    assert patient.display_name not in html.unescape(response.text)
    assert _rows() == before


def test_a_form_sent_after_the_guardianship_ended_is_refused_and_recorded_nowhere(
        client, db):
    parent = make_user()
    make_space(parent)
    child = make_child(parent, dt.date(2015, 4, 2))
    client.sign_in(parent.email)
    url = space_path(child, "/agenda/nouveau")
    client.page(url)
    Guardianship.update(ended_at=utcnow()).where(Guardianship.child == child).execute()
    before = _rows()
    response = client.submit(url, APPOINTMENT)
    assert response.status_code == 404
    assert NOT_RECORDED in html.unescape(response.text)
    assert _rows() == before


def test_the_refusal_reads_the_same_for_a_space_that_does_not_exist(client, patient):
    pro = make_user("professional")
    client.sign_in(pro.email)  # no relation with the patient
    refused = client.submit(space_path(patient, "/pro/messages/nouveau"), MESSAGE)
    missing = client.submit("/espaces/aaaaaaaaaaaa/pro/messages/nouveau", MESSAGE)
    assert refused.status_code == missing.status_code == 404
    assert NOT_RECORDED in html.unescape(refused.text)
    assert _body(refused.text) == _body(missing.text)


def test_a_page_asked_for_after_the_block_is_just_not_found(client, patient):
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=patient)
    Block.create(space=patient, professional=pro)
    client.sign_in(pro.email)
    response = client.get(space_path(patient, "/pro/messages/nouveau"))
    assert response.status_code == 404
    assert NOT_RECORDED not in html.unescape(response.text)


def _body(text):
    """The page without what changes from one request to the next (tokens, nonces)."""
    start, end = text.index("<main"), text.index("</main>")
    return text[start:end]
