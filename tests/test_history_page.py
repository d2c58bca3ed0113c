"""Access history: the page in plain language, filters by who and period, pagination,
the htmx fragment, and where signed-out visitors and old bookmarks land."""

import datetime as dt

import pytest

from tests.history_support import world_fixture  # noqa: F401 (the fixture "world")
from webapp import audit
from webapp.audit import Action
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.scopes import Capacity


def test_history_in_plain_language(client, world):
    _r, doc = client.page(world["history"])
    text = doc.find("main").text
    assert "Téléchargement d'un document" in text
    assert "Paul BERNARD, Professionnel de santé" in text
    assert f"Amina DIALLO, Médiateur France Services ({world['mediator'].office.name})" in text
    assert "Sous mandat n° ABC123" in text
    assert "Application Suivi Diabète" in text
    assert "Accès en urgence" in text
    assert "documents.read" not in text


@pytest.mark.parametrize("who, present, absent", [
    ("professionnels", "Paul BERNARD", "Amina DIALLO"),
    ("aidants", "Amina DIALLO", "Paul BERNARD"),
    ("applications", "Suivi Diabète", "Paul BERNARD"),
    ("moi", "Consultation de l'historique", "Paul BERNARD"),
])
def test_filters_by_who(client, world, who, present, absent):
    _r, doc = client.page(f"{world['history']}?qui={who}")
    results = doc.by_id("history-results").text
    assert present in results and absent not in results
    current = doc.find("a", aria_current="page")
    assert current is not None and f"qui={who}" in current.get("href")
    assert current.get("href").startswith(world["history"])


def test_filter_by_period(client, world):
    old = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(created_at=utcnow() - dt.timedelta(days=40)).where(
        AccessLog.id == old.id).execute()
    _r, doc = client.page(f"{world['history']}?periode=30")
    assert "Suivi Diabète" not in doc.by_id("history-results").text
    _r, doc = client.page(f"{world['history']}?periode=365")
    assert "Suivi Diabète" in doc.by_id("history-results").text


def test_pagination(client, world):
    for _ in range(25):
        audit.write(world["space"], action=Action.DOCUMENTS_READ,
                    capacity=Capacity.PROFESSIONAL, actor=world["pro"], actor_name="X")
    _r, doc = client.page(f"{world['history']}?qui=professionnels")
    assert len(doc.find_all("li", class_="history-entry")) == 20
    assert doc.find("nav", class_="pagination") is not None
    _r, doc = client.page(doc.find("nav", class_="pagination").find("a", rel="next")
                          .get("href"))
    assert len(doc.find_all("li", class_="history-entry")) == 7


def test_fragment_for_htmx(client, world):
    _r, doc = client.page(f"{world['history']}?qui=aidants", fragment=True)
    assert doc.find("h1") is None and doc.by_id("history-results") is not None
    assert doc.by_id("live") is not None


def test_emergency_reason_is_shown(client, world):
    audit.write(world["space"], action=Action.EMERGENCY_OPEN, capacity=Capacity.PROFESSIONAL,
                actor=world["pro"], emergency=True, detail="Patient inconscient")
    _r, doc = client.page(world["history"])
    assert "Motif déclaré : Patient inconscient" in doc.find("main").text


def test_anonymous_is_sent_to_sign_in(client, world):
    client.submit("/deconnexion")
    response = client.get(world["history"])
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_old_bookmark_lands_on_ones_own_history(client, world):
    response = client.get("/historique?qui=moi")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(world["history"] + "?qui=moi")
