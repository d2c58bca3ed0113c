"""A measurement's time of day: filled with now (Paris time) on the add page, optional,
never in the future, shown beside the day (lists, summary), ordering a day's measurements,
carried by the FHIR Observation; older rows (no time) stay valid after migration 14."""

import datetime as dt

import pytest

from tests.fhir_support import bearer, make_client, post, weight
from tests.helpers import camille_signed_in, make_space, make_user, space_path
from webapp.db import SchemaVersion, database
from webapp.migrations import create_schema
from webapp.models.measurements import Measurement
from webapp.record import measurement_forms
from webapp.views import measurements as measurement_views

WINTER = dt.datetime(2026, 3, 14, 9, 0, 30)  # UTC: 10:00 in Paris
SUMMER = dt.datetime(2026, 7, 14, 9, 0, 30)  # UTC: 11:00 in Paris


@pytest.fixture
def owner(client, db):
    return camille_signed_in(client)


@pytest.fixture
def base(owner):
    return space_path(owner, "")


def _clock(monkeypatch, now):
    """The server's clock reads `now` (UTC) in the add page and its form."""
    for module in (measurement_views, measurement_forms):
        monkeypatch.setattr(module, "utcnow", lambda: now)


def _add(client, base, day, time, value="70", code="poids"):
    return client.submit(f"{base}/mesures/{code}/ajouter",
                         {"value": value, "measured_on": day, "measured_at": time})


@pytest.mark.parametrize(("now", "day", "time"), [(WINTER, "2026-03-14", "10:00"),
                                                  (SUMMER, "2026-07-14", "11:00")])
def test_the_add_page_fills_in_the_time_now_in_paris(client, base, monkeypatch, now, day,
                                                     time):
    _clock(monkeypatch, now)
    _, doc = client.page(f"{base}/mesures/poids/ajouter")
    field = doc.find("input", id="measured_at")
    assert (field.get("type"), field.get("value")) == ("time", time)
    assert doc.find("input", id="measured_on").get("value") == day
    assert "Heure de la mesure" in doc.find("label", for_="measured_at").text


def test_a_time_is_stored_as_its_utc_moment_and_shown_in_paris_time(client, base,
                                                                      monkeypatch):
    _clock(monkeypatch, SUMMER)
    assert _add(client, base, "2026-07-14", "08:15").status_code == 303
    row = Measurement.get()
    assert (row.measured_on, row.measured_at) == (dt.date(2026, 7, 14),
                                                  dt.datetime(2026, 7, 14, 6, 15))
    _, doc = client.page(f"{base}/mesures/poids")
    assert "14 juillet 2026, 08:15" in doc.find("table").text
    _, doc = client.page(f"{base}/mesures")
    assert "14 juillet 2026, 08:15" in doc.find("table").text
    _, doc = client.page(f"{base}/synthese?rubriques=mesures")
    assert "14 juillet 2026, 08:15" in doc.text


def test_the_time_may_be_left_empty(client, base, monkeypatch):
    _clock(monkeypatch, WINTER)
    assert _add(client, base, "2026-03-14", "").status_code == 303
    row = Measurement.get()
    assert (row.measured_on, row.measured_at) == (dt.date(2026, 3, 14), None)
    _, doc = client.page(f"{base}/mesures/poids")
    cell = doc.find("table").find("tbody").find("th").text.strip()
    assert cell.startswith("14 mars 2026") and ":" not in cell


def test_a_later_time_today_is_refused_earlier_today_or_another_day_accepted(
        client, base, monkeypatch):
    _clock(monkeypatch, WINTER)  # 10:00 in Paris
    response = _add(client, base, "2026-03-14", "10:30", value="64,2")
    assert response.status_code == 200
    assert "L&#39;heure de la mesure ne peut pas être dans le futur." in response.text
    assert "error-summary" in response.text
    assert 'value="10:30"' in response.text and 'value="64,2"' in response.text
    assert not Measurement.select().exists()
    assert _add(client, base, "2026-03-14", "10:01").status_code == 303  # a minute's grace
    assert _add(client, base, "2026-03-13", "23:30").status_code == 303
    assert Measurement.select().count() == 2


@pytest.mark.parametrize("typed", ["25:00", "10h30", "abc", "10:60", "1" * 500, "-1:00"])
def test_an_unreadable_time_comes_back_with_what_was_typed(client, base, monkeypatch, typed):
    _clock(monkeypatch, WINTER)
    response = _add(client, base, "2026-03-13", typed)
    assert response.status_code == 200
    assert "Saisissez une heure valide, par exemple 14:30." in response.text
    assert f'value="{typed}"' in response.text
    assert not Measurement.select().exists()


def test_a_days_measurements_are_ordered_by_time(client, base, monkeypatch):
    _clock(monkeypatch, WINTER)
    for day, time, value in (("2026-03-13", "21:00", "71"), ("2026-03-14", "09:30", "73"),
                             ("2026-03-14", "", "72"), ("2026-03-14", "07:10", "74,5")):
        assert _add(client, base, day, time, value).status_code == 303
    _, doc = client.page(f"{base}/mesures/poids")
    values = [tr.find_all("td")[0].text.strip()
              for tr in doc.find("table").find("tbody").find_all("tr")]
    assert values == ["73,0 kg", "74,5 kg", "72,0 kg", "71,0 kg"]  # latest first, untimed last
    assert "dernière valeur 73,0 kg" in doc.find("figcaption").text  # by time, not the highest
    _, doc = client.page(f"{base}/mesures")
    assert "73,0 kg" in doc.find("table").text and "74,5 kg" not in doc.find("table").text


def test_migration_14_adds_the_time_and_keeps_older_measurements(app, db):
    space = make_space(make_user())
    old = Measurement.create(space=space, kind="poids", value=70, measured_on=dt.date(2025, 1, 2))
    database.execute_sql('ALTER TABLE "measurement" DROP COLUMN "measured_at"')
    SchemaVersion.delete().where(SchemaVersion.version == 14).execute()
    try:
        create_schema()
    finally:  # PostgreSQL keeps its schema between tests
        if "measured_at" not in [c.name for c in database.get_columns("measurement")]:
            database.execute_sql('ALTER TABLE "measurement" ADD COLUMN "measured_at" TIMESTAMP')
    assert SchemaVersion.get_or_none(SchemaVersion.version == 14) is not None
    kept = Measurement.get_by_id(old.id)
    assert (kept.value, kept.measured_on, kept.measured_at) == (70, dt.date(2025, 1, 2), None)
    timed = Measurement.create(space=space, kind="poids", value=71, measured_on=dt.date(2025, 1, 3),
                               measured_at=dt.datetime(2025, 1, 3, 7, 0))
    assert Measurement.get_by_id(timed.id).measured_at == dt.datetime(2025, 1, 3, 7, 0)


def test_the_observation_carries_the_time_when_known(client, owner):
    headers = bearer(owner.owner, owner, "patient/Observation.crs",
                     client=make_client("app", "Carnet Poids"))
    sent = weight(owner.ref, 70.5, "2026-03-05T08:30:00+01:00")
    created = post(client, "/fhir/Observation", sent, headers)
    assert created.status_code == 201, created.text
    row = Measurement.get()
    assert (row.measured_on, row.measured_at) == (dt.date(2026, 3, 5),
                                                  dt.datetime(2026, 3, 5, 7, 30))
    read = client.get(f"/fhir/Observation/{created.get_json()['id']}", headers=headers)
    assert read.get_json()["effectiveDateTime"] == "2026-03-05T07:30:00Z"
    undated = post(client, "/fhir/Observation", weight(owner.ref, 71, "2026-03-06"), headers)
    assert undated.get_json()["effectiveDateTime"] == "2026-03-06"
