"""The agenda: days, adding/editing/deleting one's own entries, read-only entries of
professionals and apps, iCalendar export parsed back, the private feed, and access."""

import datetime as dt
import html

import pytest
from icalendar import Calendar

from tests.helpers import act_for, make_child, make_space, make_user, space_path
from webapp.db import utcnow
from webapp.models.agenda import Appointment, CalendarFeed
from webapp.models.spaces import CareRelation

CAMILLE = "camille.martin@example.org"


@pytest.fixture
def world(db):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    now = utcnow().replace(second=0, microsecond=0)
    mine = Appointment.create(space=space, title="Dentiste", starts_at=now + dt.timedelta(days=3),
                              with_whom="Dr LEROY", address="1 rue X", note="Apporter la carte")
    theirs = Appointment.create(space=space, title="Suivi", starts_at=now + dt.timedelta(days=5),
                                owner_kind="professional", owner_name=pro.display_name,
                                created_by=pro)
    return dict(owner=owner, space=space, pro=pro, mine=mine, theirs=theirs,
                other=make_user(), mediator=make_user("mediator"))


def _at(world, path):
    return space_path(world["space"], path)


def test_demo_agenda_groups_days_and_says_who_owns(client, demo):
    camille = demo.spaces["camille"]
    client.sign_in(CAMILLE)
    _, doc = client.page(space_path(camille, "/agenda"))
    sections = doc.find_all("section", class_="agenda-day")
    assert len(sections) >= 5
    upcoming = doc.text.split("Passés")[0]
    assert "Contrôle chez le dentiste" in upcoming and "Séance de kinésithérapie" not in upcoming
    assert "Ajouté par Paul BERNARD" in doc.text and "Ajouté par Assurance Maladie" in doc.text
    _, doc = client.page(space_path(camille, "/"))  # home cards: next appointment, messages
    assert "Prochain : Contrôle chez le dentiste" in doc.text
    assert "1 message non lu." in doc.text


def test_add_appointment_converts_paris_time_to_utc(client, world):
    client.sign_in(world["owner"].email)
    client.page(_at(world, "/agenda/nouveau"))
    response = client.submit(_at(world, "/agenda/nouveau"), {
        "kind": "appointment", "title": "Ophtalmologue", "day": "2026-12-15", "time": "14:30",
        "with_whom": "Dr VUE", "address": "2 rue Y", "note": "Lunettes"})
    assert response.status_code == 303
    entry = Appointment.get(Appointment.title == "Ophtalmologue")
    assert entry.starts_at == dt.datetime(2026, 12, 15, 13, 30)  # 14:30 in Paris, winter
    assert entry.citizen_owned and entry.created_by_id == world["owner"].id
    _, doc = client.page(response.headers["Location"])
    assert "Lunettes" in doc.text and "14:30" in doc.text


def test_invalid_appointment_keeps_what_was_typed(client, world):
    client.sign_in(world["owner"].email)
    response = client.submit(_at(world, "/agenda/nouveau"), {
        "kind": "appointment", "title": "", "day": "2026-02-31", "time": "14:30",
        "with_whom": "Dr VUE", "note": "x" * 1001})
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "Erreur" in text.split("</title>")[0]
    assert "Saisissez l'intitulé" in text and "Saisissez une date valide" in text
    assert "La note doit faire 1 000 caractères au plus." in text
    assert 'value="Dr VUE"' in text and "x" * 1001 in text
    assert Appointment.select().count() == 2


def test_edit_and_delete_own_entry(client, world):
    client.sign_in(world["owner"].email)
    mine = world["mine"]
    _, doc = client.page(_at(world, f"/agenda/{mine.id}/modifier"))
    assert doc.by_id("title").get("value") == "Dentiste"
    response = client.submit(_at(world, f"/agenda/{mine.id}/modifier"), {
        "kind": "reminder", "title": "Dentiste (décalé)", "day": "2027-01-04", "time": "09:00"})
    assert response.status_code == 303
    assert Appointment.get_by_id(mine.id).title == "Dentiste (décalé)"
    client.page(_at(world, f"/agenda/{mine.id}/supprimer"))
    assert client.submit(_at(world, f"/agenda/{mine.id}/supprimer")).status_code == 303
    assert Appointment.get_or_none(Appointment.id == mine.id) is None


def test_professional_entry_is_read_only(client, world):
    client.sign_in(world["owner"].email)
    theirs = world["theirs"]
    _, doc = client.page(_at(world, f"/agenda/{theirs.id}"))
    assert "ajouté par " + world["pro"].display_name in doc.text
    assert doc.find("a", href=_at(world, f"/agenda/{theirs.id}/modifier")) is None
    client.page(_at(world, f"/agenda/{theirs.id}/modifier"), status=404)
    assert client.submit(_at(world, f"/agenda/{theirs.id}/supprimer")).status_code == 404
    assert client.submit(_at(world, f"/agenda/{theirs.id}/modifier"), {
        "kind": "appointment", "title": "x", "day": "2027-01-04", "time": "09:00"}
    ).status_code == 404
    assert Appointment.get_by_id(theirs.id).title == "Suivi"


def _parse(response):
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return [e for e in Calendar.from_ical(response.data).walk("VEVENT")]


def test_ics_export_parsed_back(client, world):
    client.sign_in(world["owner"].email)
    mine = world["mine"]
    events = _parse(client.get(_at(world, f"/agenda/{mine.id}/export.ics")))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Dentiste"
    assert event.decoded("dtstart") == mine.starts_at.replace(tzinfo=dt.UTC)
    assert str(event["location"]) == "Dr LEROY, 1 rue X"
    assert str(event["description"]) == "Apporter la carte"
    everything = _parse(client.get(_at(world, "/agenda/export.ics")))
    assert {str(e["summary"]) for e in everything} == {"Dentiste", "Suivi"}
    assert len({str(e["uid"]) for e in everything}) == 2


def test_private_feed_create_use_revoke(client, world):
    client.sign_in(world["owner"].email)
    _, doc = client.page(_at(world, "/parametres/calendrier"))
    assert doc.by_id("feed-url") is None
    response = client.submit(_at(world, "/parametres/calendrier"), {"action": "create"})
    assert response.status_code == 200
    url = [n for n in response.text.split('"') if "/calendrier/" in n and n.endswith(".ics")][0]
    token = url.rsplit("/", 1)[1][:-4]
    feed = CalendarFeed.get()
    assert feed.token_hash == CalendarFeed.hash_token(token) and token not in feed.token_hash
    anonymous = client.application.test_client()
    events = _parse(anonymous.get(f"/calendrier/{token}.ics"))
    assert {str(e["summary"]) for e in events} == {"Dentiste", "Suivi"}
    assert anonymous.get("/calendrier/not-a-token.ics").status_code == 404
    assert client.submit(_at(world, "/parametres/calendrier"),
                         {"action": "revoke"}).status_code == 303
    assert anonymous.get(f"/calendrier/{token}.ics").status_code == 404


def test_feed_stops_when_the_right_ends(client, world):
    feed, token = CalendarFeed.start(world["owner"], world["space"])
    world["space"].state = "closed"
    world["space"].save()
    assert client.get(f"/calendrier/{token}.ics").status_code == 404


def test_mediator_cannot_manage_the_feed(client, world):
    prefix = act_for(client, world["mediator"], world["space"], ["agenda.read", "agenda.write"])
    client.page(prefix + "/parametres/calendrier", status=404)


PARAM_ROUTES = ["/agenda/{mine}", "/agenda/{mine}/modifier", "/agenda/{mine}/supprimer",
                "/agenda/{mine}/export.ics"]


def test_access_to_parameter_routes(app, world):
    urls = [_at(world, route.format(mine=world["mine"].id)) for route in PARAM_ROUTES]
    anonymous = app.test_client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    cases = [(world["owner"], None, 200), (world["other"], None, 404),
             (world["pro"], None, 404), (make_user("professional"), None, 404),
             (world["mediator"], ["agenda.read", "agenda.write"], 200),
             (make_user("mediator"), ["documents.read"], 404)]
    for user, scopes, status in cases:
        client = app.test_client()
        if scopes:
            act_for(client, user, world["space"], scopes)
        else:
            client.sign_in(user.email)
        for url in urls:
            assert client.get(url).status_code == status, (user.role, scopes, url)


def test_mediator_with_read_only_mandate_cannot_write(app, world):
    client = app.test_client()
    prefix = act_for(client, world["mediator"], world["space"], ["agenda.read"])
    client.page(prefix + f"/agenda/{world['mine'].id}")
    client.page(prefix + f"/agenda/{world['mine'].id}/modifier", status=404)
    client.page(prefix + "/agenda/nouveau", status=404)


def test_caregiver_adds_an_appointment_for_the_holder(app, world):
    caregiver = make_user()
    client = app.test_client()
    prefix = act_for(client, caregiver, world["space"], ["agenda.read", "agenda.write"],
                     kind="caregiver")
    response = client.submit(prefix + "/agenda/nouveau", {
        "kind": "appointment", "title": "Pédicure", "day": "2027-01-04", "time": "09:00"})
    assert response.status_code == 303
    entry = Appointment.get(Appointment.title == "Pédicure")
    assert entry.space_id == world["space"].id and entry.created_by_id == caregiver.id


def test_someone_elses_entry_is_not_found(client, world):
    other_space = make_space(world["other"])
    foreign = Appointment.create(space=other_space, title="Secret", starts_at=utcnow())
    client.sign_in(world["owner"].email)
    client.page(_at(world, f"/agenda/{foreign.id}"), status=404)
    assert client.get(_at(world, f"/agenda/{foreign.id}/export.ics")).status_code == 404
    # the entry's own space is refused too: the address names a space one may not open
    client.page(space_path(other_space, f"/agenda/{foreign.id}"), status=404)


def test_past_entries_are_paginated(client, world):
    start = utcnow().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    for n in range(25):
        Appointment.create(space=world["space"], title=f"Ancien {n:02d}",
                           starts_at=start - dt.timedelta(days=n))
    client.sign_in(world["owner"].email)
    _, doc = client.page(_at(world, "/agenda"))
    assert "Ancien 00" in doc.text and "Ancien 24" not in doc.text
    assert doc.find("a", href=_at(world, "/agenda?page=2#passes")) is not None
    _, doc = client.page(_at(world, "/agenda?page=2"))
    assert "Ancien 24" in doc.text and "Ancien 00" not in doc.text
    assert "Dentiste" in doc.text  # upcoming entries stay on every page


def test_professional_cannot_write_through_the_holders_forms(client, world):
    """A professional's grant writes the agenda but never reads it: the holder's forms,
    and their entries, stay out of reach (404), and nothing is written."""
    client.sign_in(world["pro"].email)
    mine = world["mine"]
    entry = {"kind": "appointment", "title": "x", "day": "2027-01-04", "time": "09:00"}
    client.page(_at(world, "/agenda/nouveau"), status=404)
    assert client.submit(_at(world, "/agenda/nouveau"), entry).status_code == 404
    assert client.submit(_at(world, f"/agenda/{mine.id}/modifier"), entry).status_code == 404
    assert client.submit(_at(world, f"/agenda/{mine.id}/supprimer")).status_code == 404
    assert client.submit(_at(world, "/agenda/prevention/dtp-45y"),
                         {"status": "done"}).status_code == 404
    assert Appointment.select().count() == 2 and Appointment.get_by_id(mine.id).title == "Dentiste"


def test_each_form_writes_in_the_space_its_address_names(client, world):
    """Two tabs, two spaces: a parent's form posts to the child's address and writes
    there; an unknown or foreign address is refused and nothing is written anywhere."""
    parent = make_user()
    own = make_space(parent)
    child = make_child(parent, dt.date(2018, 12, 3))
    client.sign_in(parent.email)
    entry = {"kind": "appointment", "title": "Vaccin", "day": "2027-01-04", "time": "09:00"}
    assert client.submit(space_path(child, "/agenda/nouveau"), entry).status_code == 303
    assert Appointment.get(Appointment.title == "Vaccin").space_id == child.id
    before = Appointment.select().count()
    for prefix in ("/espaces/inconnu0000", space_path(world["space"], "")):
        assert client.submit(prefix + "/agenda/nouveau", entry).status_code == 404
    assert Appointment.select().count() == before
    assert not Appointment.select().where(Appointment.space == own).exists()
