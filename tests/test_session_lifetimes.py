"""How long sessions last: a citizen's ends after 30 idle minutes, a mediator's asks for a
new code after 15, a professional's has no idle limit; the warning dialog's data; what is
left is asked without counting as activity, and "Rester connecté" never passes the
absolute limit. Time passes by moving the session's stored timestamps back."""

import datetime as dt
from types import SimpleNamespace

from tests.helpers import make_space, make_user, space_path
from webapp.db import utcnow
from webapp.models.accounts import UserSession
from webapp.sessions import lifetimes


def _age(user, idle=None, age=None):
    """Move the user's session back in time: idle minutes since last seen, age in minutes."""
    row = UserSession.get(UserSession.user == user)
    if idle is not None:
        row.last_seen = utcnow() - dt.timedelta(minutes=idle)
    if age is not None:
        row.created_at = utcnow() - dt.timedelta(minutes=age)
    row.save()
    return row


def test_citizen_session_ends_after_30_idle_minutes(client, db):
    citizen = make_user()
    space = make_space(citizen)
    client.sign_in(citizen.email)
    _age(citizen, idle=29)
    client.page(space_path(space, "/documents"))  # still signed in: this is activity
    assert utcnow() - UserSession.get(UserSession.user == citizen).last_seen \
        < dt.timedelta(minutes=1)
    _age(citizen, idle=31)
    response = client.get(space_path(space, "/documents"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")
    assert UserSession.get(UserSession.user == citizen).ended_at is not None


def test_professionals_have_no_idle_limit_mediators_reverify_after_15(client, db):
    pro = make_user("professional")
    client.sign_in(pro.email)
    _age(pro, idle=5 * 60, age=6 * 60)
    client.page("/")
    client.submit("/deconnexion")
    mediator = make_user("mediator")
    client.sign_in(mediator.email)
    _age(mediator, idle=16)
    response = client.get("/")
    assert "/connexion/verification" in response.headers["Location"]
    assert UserSession.get(UserSession.user == mediator).ended_at is None  # goes on


def test_what_is_left_names_the_next_end():
    now = dt.datetime(2026, 12, 1, 12, 0)
    row = SimpleNamespace(created_at=now - dt.timedelta(hours=1),
                          last_seen=now - dt.timedelta(minutes=29))
    left = lifetimes.remaining(row, "citizen", now)
    assert (left["seconds"], left["kind"], left["capped"]) == (60, "idle", False)
    assert left["warn_seconds"] == 120
    assert lifetimes.remaining(row, "mediator", now)["kind"] == "reverify"
    pro = lifetimes.remaining(row, "professional", now)
    assert (pro["seconds"], pro["kind"], pro["capped"]) == (11 * 3600, "absolute", True)
    late = SimpleNamespace(created_at=now - dt.timedelta(hours=11, minutes=45), last_seen=now)
    left = lifetimes.remaining(late, "citizen", now)
    assert (left["seconds"], left["kind"], left["capped"]) == (15 * 60, "absolute", True)
    near = SimpleNamespace(created_at=now - dt.timedelta(hours=11, minutes=40),
                           last_seen=now - dt.timedelta(minutes=15))
    left = lifetimes.remaining(near, "citizen", now)
    # idle first (15 minutes), and staying could not give 30 more: the limit is in 20
    assert (left["seconds"], left["kind"], left["capped"]) == (15 * 60, "idle", True)


def test_asking_what_is_left_is_not_activity_staying_is(client, db):
    citizen = make_user()
    client.sign_in(citizen.email)
    before = _age(citizen, idle=10).last_seen
    state = client.get("/session/etat").get_json()
    assert state["signed_in"] and state["kind"] == "idle"
    assert 19 * 60 < state["seconds"] <= 20 * 60
    assert UserSession.get(UserSession.user == citizen).last_seen == before
    response = client.submit("/session/prolonger", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json()["seconds"] > 29 * 60
    assert utcnow() - UserSession.get(UserSession.user == citizen).last_seen \
        < dt.timedelta(seconds=5)


def test_staying_never_passes_the_absolute_limit(client, db):
    citizen = make_user()
    client.sign_in(citizen.email)
    row = _age(citizen, idle=20, age=12 * 60 - 1)
    state = client.submit("/session/prolonger", headers={"Accept": "application/json"}).get_json()
    assert state["kind"] == "absolute" and state["seconds"] <= 60
    assert UserSession.get_by_id(row.id).created_at == row.created_at
    _age(citizen, age=12 * 60 + 1)
    assert client.submit("/session/prolonger",
                         headers={"Accept": "application/json"}).status_code == 401
    assert client.get("/session/etat").get_json() == {"signed_in": False}


def test_staying_needs_the_csrf_token(client, db):
    citizen = make_user()
    client.sign_in(citizen.email)
    assert client.post("/session/prolonger").status_code == 400


def test_without_javascript_staying_goes_back_to_the_page(client, db):
    citizen = make_user()
    client.sign_in(citizen.email)
    response = client.submit("/session/prolonger", {"next": "/compte"})
    assert response.status_code == 303 and response.headers["Location"] == "/compte"


def test_the_warning_dialog_is_on_signed_in_pages_only(client, db):
    _r, doc = client.page("/connexion")
    assert doc.by_id("session-warning") is None
    citizen = make_user()
    client.sign_in(citizen.email)
    _r, doc = client.page("/compte")
    dialog = doc.by_id("session-warning")
    assert dialog.tag == "dialog" and "open" not in dialog.attrs  # JavaScript opens it
    assert dialog.get("aria-labelledby") == "session-warning-title"
    assert dialog.get("data-kind") == "idle" and 29 * 60 < int(dialog.get("data-seconds"))
    stay = dialog.find("form", action="/session/prolonger")
    assert stay.find("input", name="csrf_token") is not None
    assert "Rester connecté" in stay.text
    assert dialog.find("form", action="/deconnexion") is not None
