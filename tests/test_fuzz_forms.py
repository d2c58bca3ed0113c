"""Random and hostile values posted into every form of the app, as each kind of person
finds them on the pages: never a server error, and what a form accepts is stored as it
was typed (property-based tests, hypothesis)."""

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import parse
from tests.test_access_routes import _sign_in, _url, _values
from webapp.models.agenda import Appointment

HOSTILE = [
    "", " ", "0", "-1", "1" * 25, str(2 ** 70), "-9223372036854775809", "sNaN", "NaN",
    "-Infinity", "1e309", "0,0000000001", "0001-01-01", "9999-12-31", "2026-02-31",
    "31/02/2026", "00:99", "25:61", "x" * 60000, "<script>alert(1)</script>",
    "<svg onload=alert(1)>", "'; DROP TABLE \"user\";--", "\x00", "é" * 300,
    "../../etc/passwd", "%00", "on", "true", "[]", "{}", "null", "\u202e\u2066", "🩺" * 50,
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=120),
                   st.integers().map(str), st.floats().map(str))
PEOPLE = ["camille.martin@example.org", "amina.diallo@example.org", "dr.bernard@example.org",
          "admin@example.org", "anonymous"]
SKIPPED = ("/deconnexion", "/langue")  # they end the session or change the language
SETTINGS = settings(max_examples=5, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _forms(client, pages):
    """(action, method, {name: kind}) of the forms on the pages the person may open."""
    found = {}
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in parse(response.text).find_all("form"):
            action = form.get("action") or url
            if action.startswith(SKIPPED) or not action.startswith("/"):
                continue
            fields = {}
            for control in form.iter():
                name = control.get("name")
                if control.tag in ("input", "select", "textarea") and name \
                        and name != "csrf_token":
                    fields[name] = control.get("type", control.tag)
            found[(action, form.get("method", "get").lower())] = fields
    return found


def _pages(app, values):
    return [_url(rule, values) for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static"
            and rule.endpoint != "auth.logout"]


@pytest.mark.parametrize("email", PEOPLE)
def test_no_form_answers_a_server_error_whatever_is_typed(app, demo, email):
    values = _values(demo)
    client = app.test_client()
    _sign_in(client, email)
    forms = _forms(client, _pages(app, values))
    assert len(forms) >= {"anonymous": 3, "admin": 3}.get(email.split("@")[0], 8), forms
    print(email, len(forms), "forms")

    @SETTINGS
    @given(st.data())
    def post_everything(data):
        for (action, method), fields in sorted(forms.items()):
            sent = {}
            for name, kind in fields.items():
                if kind == "file":
                    sent[name] = (io.BytesIO(data.draw(st.binary(max_size=300))), "f.pdf")
                else:
                    sent[name] = data.draw(VALUES)
            if method == "post":
                response = client.submit(action, sent, content_type="multipart/form-data")
            else:
                response = client.get(action, query_string={
                    k: v for k, v in sent.items() if isinstance(v, str)})
            assert response.status_code < 500, (email, method, action, sent.keys())
            if email != "anonymous" and "/connexion" in response.headers.get("Location", ""):
                _sign_in(client, email)  # a form that signs out (never expected): go on

    post_everything()


@SETTINGS
@given(title=st.text(min_size=1, max_size=200).filter(lambda t: t.strip()),
       note=st.text(max_size=1000))
def test_an_appointment_is_stored_as_it_was_accepted(app, demo, title, note):
    client = app.test_client()
    client.sign_in("camille.martin@example.org")
    space = demo.spaces["camille"]
    response = client.submit(f"/espaces/{space.ref}/agenda/nouveau", {
        "kind": "appointment", "title": title, "day": "2026-12-24", "time": "10:30",
        "note": note})
    assert response.status_code in (200, 303)
    if response.status_code == 303:
        entry_id = int(re.search(r"/agenda/(\d+)", response.headers["Location"]).group(1))
        entry = Appointment.get_by_id(entry_id)
        accepted = [text.replace("\x00", "").strip() for text in (title, note)]  # no NUL kept
        assert [entry.title, entry.note] == accepted
    else:
        assert "error-summary" in response.text  # refused: said on the page, not stored
