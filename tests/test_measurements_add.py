"""Adding a measurement takes one tap from the measurements page, with today's date (in
Paris) filled in; the chart's texts (unit, values, dates, legend) are HTML that grows
with the text size, beside a plot whose height is in em."""

import datetime as dt
from pathlib import Path

import pytest
from flask_babel import to_user_timezone

from tests.helpers import (
    camille_signed_in,
    give_mandate,
    make_space,
    make_user,
    sign_in_on,
    space_path,
)
from webapp.db import utcnow
from webapp.models.measurements import Measurement
from webapp.record import measurement_forms, measures
from webapp.views import measurements as measurement_views


@pytest.fixture
def base(client, db):
    return space_path(camille_signed_in(client), "")


def test_each_type_has_an_add_link_on_the_measurements_page(client, base):
    _, doc = client.page(f"{base}/mesures")
    links = {a.get("href"): a.text for a in doc.find_all("a")}
    for kind in measures.TYPES:
        if not kind.children_only:
            assert links[f"{base}/mesures/{kind.code}/ajouter"] == f"Ajouter : {kind.label}"
    _, doc = client.page(f"{base}/mesures/poids")
    assert doc.find("a", href=f"{base}/mesures/poids/ajouter").text == "Ajouter une mesure"


def test_the_add_page_has_today_in_paris_and_a_value_is_one_field_away(client, base, app):
    _, doc = client.page(f"{base}/mesures/poids/ajouter")
    with app.test_request_context():
        today = to_user_timezone(utcnow()).date()
    assert doc.find("input", id="measured_on").get("value") == today.isoformat()
    assert "Poids (kg)" in doc.find("label", for_="value").text
    response = client.submit(f"{base}/mesures/poids/ajouter",
                             {"value": "71,2", "measured_on": today.isoformat()})
    assert response.status_code == 303 and Measurement.get().measured_on == today


def test_an_error_comes_back_on_the_add_page_with_what_was_typed(client, base):
    response = client.submit(f"{base}/mesures/tension/ajouter",
                             {"value": "80", "value2": "120", "measured_on": "2026-03-01"})
    assert response.status_code == 200
    assert "<title>Erreur : Ajouter une mesure : Tension artérielle" in response.text
    assert "plus basse que la systolique" in response.text and 'value="120"' in response.text


def test_who_only_reads_gets_no_add_link(client, db):
    owner = make_user()
    space = make_space(owner)
    mediator = make_user(role="mediator")
    give_mandate(mediator, space, "profile.read")
    base = sign_in_on(client, mediator, space)
    _, doc = client.page(f"{base}/mesures")
    assert not [a for a in doc.find_all("a") if "/mesures/" in (a.get("href") or "")
                and a.get("href").endswith("/ajouter")]
    assert client.get(f"{base}/mesures/poids/ajouter").status_code == 404


def test_chart_texts_are_html_with_the_unit_and_the_plot_height_in_em(app, client, base):
    for day, (high, low) in (("2026-01-10", (130, 85)), ("2026-02-10", (125, 80))):
        client.submit(f"{base}/mesures/tension/ajouter",
                      {"value": str(high), "value2": str(low), "measured_on": day})
    client.submit(f"{base}/mesures/tension/objectif", {"target": "120"})
    _, doc = client.page(f"{base}/mesures/tension")
    graph = doc.find("div", class_="chart__graph")
    assert graph.find("span", class_="chart__unit").text == "mmHg"
    ticks = [s.text for s in graph.find_all("span") if "chart__tick" in s.get("class", "")]
    assert len(ticks) == 5 and all(t.strip().isdigit() for t in ticks)
    legend = graph.find("p", class_="chart__legend").text
    assert "Systolique" in legend and "Diastolique" in legend
    assert "Objectif : 120 mmHg" in legend
    dates = graph.find("div", class_="chart__x").text
    assert "10/01/2026" in dates and "10/02/2026" in dates
    plot = graph.find("svg", class_="chart__plot")
    assert plot.find("text") is None and plot.get("preserveaspectratio") == "none"
    assert plot.get("role") == "img" and plot.find("desc") is not None
    assert all(n.get("aria-hidden") == "true" for n in graph.find_all()
               if n.tag in ("p", "div") and n is not graph)
    css = (Path(app.static_folder) / "css" / "app.css").read_text()
    assert ".chart .chart__plot { grid-column: 2; width: 100%; height: 12em;" in css


def test_half_past_midnight_in_paris_is_today_not_the_future(client, base, monkeypatch):
    late = dt.datetime(2026, 3, 1, 23, 30)  # UTC: 00:30 on 2 March in Paris
    for module in (measurement_forms, measurement_views):
        monkeypatch.setattr(module, "utcnow", lambda: late)
    _, doc = client.page(f"{base}/mesures/poids/ajouter")
    assert doc.find("input", id="measured_on").get("value") == "2026-03-02"
    response = client.submit(f"{base}/mesures/poids/ajouter",
                             {"value": "70", "measured_on": "2026-03-02"})
    assert response.status_code == 303
    response = client.submit(f"{base}/mesures/poids/ajouter",
                             {"value": "70", "measured_on": "2026-03-03"})
    assert "ne peut pas être dans le futur" in response.text
