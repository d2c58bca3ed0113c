"""Measurements: ranges, blood pressure, BMI, server-side SVG chart with its text alternative
and table, personal target, deletion and access."""

import datetime as dt

import pytest

from tests.helpers import (
    camille_signed_in,
    make_child,
    make_space,
    make_user,
    sign_in_on,
    space_path,
)
from webapp.models.measurements import Measurement, MeasurementTarget
from webapp.models.spaces import CareRelation
from webapp.record import measures


@pytest.fixture
def owner(client, db):
    return camille_signed_in(client)


@pytest.fixture
def base(owner):
    """The address prefix of the owner's space."""
    return space_path(owner, "")


def _add(client, base, code, **data):
    data.setdefault("measured_on", "2026-03-01")
    return client.submit(f"{base}/mesures/{code}/ajouter", data)


def test_every_type_is_listed_head_circumference_only_for_children(client, base):
    _, doc = client.page(f"{base}/mesures")
    for kind in measures.TYPES:
        assert (str(kind.label) in doc.text) == (not kind.children_only)
    assert client.get(f"{base}/mesures/perimetre-cranien").status_code == 404


def test_values_with_decimal_comma_and_out_of_range_refusal(client, base):
    assert _add(client, base, "poids", value="72,5").status_code == 303
    assert Measurement.get().value == 72.5
    r = _add(client, base, "poids", value="720")
    assert r.status_code == 200
    assert "La valeur doit être comprise entre 0,5 et 400,0 kg." in r.text
    assert 'value="720"' in r.text
    r = _add(client, base, "temperature", value="abc")
    assert "Saisissez un nombre, par exemple 72,5." in r.text
    r = _add(client, base, "douleur", value="11")
    assert "entre 0 et 10" in r.text
    r = _add(client, base, "poids", value="70", measured_on="2099-01-01")
    assert "ne peut pas être dans le futur" in r.text
    r = _add(client, base, "poids", value="", measured_on="")
    assert "Saisissez la valeur mesurée." in r.text and "Saisissez la date de la mesure" in r.text
    assert Measurement.select().count() == 1


def test_blood_pressure_needs_both_values(client, base):
    r = _add(client, base, "tension", value="120")
    assert "Saisissez la valeur diastolique." in r.text
    r = _add(client, base, "tension", value="80", value2="120")
    assert "plus basse que la systolique" in r.text
    assert _add(client, base, "tension", value="125", value2="82").status_code == 303
    m = Measurement.get()
    assert (m.value, m.value2) == (125, 82)
    _, doc = client.page(f"{base}/mesures/tension")
    assert "125 / 82 mmHg" in doc.text


def test_bmi_from_latest_weight_and_height(client, base):
    _add(client, base, "taille", value="165")
    _add(client, base, "poids", value="70", measured_on="2025-01-01")
    _add(client, base, "poids", value="68", measured_on="2026-01-01")
    _, doc = client.page(f"{base}/mesures")
    assert "Indice de masse corporelle (IMC) : 25" in doc.text  # 68 / 1.65² = 24.98
    assert measures.bmi(68, 165) == 25.0 and measures.bmi(None, 165) is None


def test_chart_is_inline_svg_with_text_alternative_and_table(client, base):
    for i, value in enumerate([70, 69.5, 68]):
        _add(client, base, "poids", value=str(value), measured_on=f"2026-0{i + 1}-15")
    r, doc = client.page(f"{base}/mesures/poids")
    svg = doc.find("svg")
    assert svg is not None and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-title chart-desc"
    desc = doc.by_id("chart-desc").text
    assert "3 mesures" in desc and "Minimum 68,0 kg" in desc and "dernière valeur 68,0 kg" in desc
    assert len(svg.find_all("g", class_="chart__point")) == 3
    table = doc.find("table")
    assert table.find("caption").text == "Toutes les mesures : Poids"
    assert [th.text for th in table.find_all("th", scope="row")][0] == "15 mars 2026"
    assert "<script" not in r.text.split("<main")[1].split("</main>")[0]  # no chart script


def test_target_is_drawn_and_can_be_removed(client, base):
    _add(client, base, "poids", value="72")
    r = client.submit(f"{base}/mesures/poids/objectif", {"target": "65"})
    assert r.status_code == 303 and MeasurementTarget.get().value == 65
    _, doc = client.page(f"{base}/mesures/poids")
    assert "Objectif : 65,0 kg." in doc.by_id("chart-desc").text
    assert doc.find("line", stroke_dasharray="10 6") is not None
    r = client.submit(f"{base}/mesures/poids/objectif", {"target": "1000"})
    assert r.status_code == 200 and "comprise entre" in r.text
    client.submit(f"{base}/mesures/poids/objectif", {"target": ""})
    assert MeasurementTarget.select().count() == 0


def test_delete_measurement(client, base):
    _add(client, base, "poids", value="72")
    m = Measurement.get()
    client.page(f"{base}/mesures/poids/{m.id}/supprimer")
    assert client.get(f"{base}/mesures/poids/{2 ** 70}/supprimer").status_code == 404
    assert client.submit(f"{base}/mesures/poids/{m.id}/supprimer").status_code == 303
    assert Measurement.select().count() == 0


def test_access(client, owner, base):
    _add(client, base, "poids", value="72")
    m = Measurement.get()
    client._cookies.clear()
    r = client.get(f"{base}/mesures/poids")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    other = make_user()
    own = space_path(make_space(other), "")
    client.sign_in(other.email)
    for prefix in (base, own):  # Camille's address, or her own with Camille's id
        assert client.get(f"{prefix}/mesures/poids/{m.id}/supprimer").status_code == 404
        assert client.submit(f"{prefix}/mesures/poids/{m.id}/supprimer").status_code == 404
    assert client.get(f"{base}/mesures/poids").status_code == 404
    assert Measurement.select().count() == 1
    client._cookies.clear()
    pro = make_user(role="professional")
    CareRelation.create(professional=pro, space=owner)
    sign_in_on(client, pro, owner)
    _, doc = client.page(f"{base}/mesures/poids")
    assert "72,0 kg" in doc.text


def test_child_growth(client, db):
    parent = make_user()
    make_space(parent)
    child = make_child(parent, dt.date(2018, 12, 3), first_name="Léo")
    client.sign_in(parent.email)
    base = space_path(child, "")  # the address names the child's space
    assert _add(client, base, "perimetre-cranien", value="51,5").status_code == 303
    _, doc = client.page(f"{base}/mesures/perimetre-cranien")
    assert "Léo" in doc.find("h1").text and "51,5 cm" in doc.text
