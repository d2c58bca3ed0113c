"""Values are typed in text inputs with a decimal keyboard (a type=number input may refuse
"64,2"): a comma and a point give the same value; anything else that is not a plain
number comes back on the same page, with what was typed and a translated error."""

import pytest

from tests.helpers import make_space, make_user, space_path
from webapp.models.measurements import Measurement, MeasurementTarget

HOSTILE = ["sNaN", "NaN", "inf", "-Infinity", "1e400", "1E2", "0x10", "64,2,1", "6 4.2.",
           "١٢", "64,2kg", "9" * 21, "1" * 5000, "--3", "+", ","]


@pytest.fixture
def base(client, db):
    user = make_user(first_name="Camille", last_name="Martin")
    client.sign_in(user.email)
    return space_path(make_space(user), "")


def _add(client, base, value, code="poids", **extra):
    return client.submit(f"{base}/mesures/{code}/ajouter",
                         {"value": value, "measured_on": "2026-03-01", **extra})


def test_values_are_text_inputs_with_a_decimal_keyboard(client, base):
    _, doc = client.page(f"{base}/mesures/tension/ajouter")
    for name in ("value", "value2"):
        field = doc.find("input", id=name)
        assert (field.get("type"), field.get("inputmode")) == ("text", "decimal")
        assert field.get("pattern") is None
    _, doc = client.page(f"{base}/mesures/poids")
    field = doc.find("input", id="target")
    assert (field.get("type"), field.get("inputmode")) == ("text", "decimal")


def test_a_comma_and_a_point_store_the_same_value(client, base):
    for typed in ("64,2", "64.2", " 64,20 "):
        assert _add(client, base, typed).status_code == 303
    assert [m.value for m in Measurement.select()] == [64.2, 64.2, 64.2]
    assert _add(client, base, "10 000", code="pas").status_code == 303  # thousands spaced
    assert _add(client, base, "12\u202f500", code="pas").status_code == 303
    assert _add(client, base, ",5", code="glycemie").status_code == 303
    assert sorted(m.value for m in Measurement.select().where(Measurement.kind != "poids")) \
        == [0.5, 10000, 12500]


def test_the_target_takes_a_comma_and_shows_it_back_in_french(client, base):
    assert client.submit(f"{base}/mesures/poids/objectif", {"target": "63,5"}).status_code == 303
    assert MeasurementTarget.get().value == 63.5
    _, doc = client.page(f"{base}/mesures/poids")
    assert doc.find("input", id="target").get("value") == "63,5"


@pytest.mark.parametrize("typed", HOSTILE)
def test_what_is_not_a_plain_number_is_refused_on_the_same_page(client, base, typed):
    response = _add(client, base, typed)
    assert response.status_code == 200
    assert "Saisissez un nombre, par exemple 72,5." in response.text
    assert "error-summary" in response.text
    if len(typed) < 100:
        assert f'value="{typed}"' in response.text
    response = client.submit(f"{base}/mesures/poids/objectif", {"target": typed})
    assert response.status_code == 200 and "Saisissez un nombre" in response.text
    response = _add(client, base, "120", code="tension", value2=typed)
    assert response.status_code == 200 and "Saisissez un nombre" in response.text
    assert not Measurement.select().exists() and not MeasurementTarget.select().exists()


def test_an_empty_value_is_asked_for(client, base):
    for typed in ("", "   "):
        response = _add(client, base, typed)
        assert response.status_code == 200 and "Saisissez la valeur mesurée." in response.text
    assert not Measurement.select().exists()
