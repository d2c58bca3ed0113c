"""The mediator's home, assisted sessions (banner, log, notification, leaving), the end of
"this visit only" mandates, strong authentication during the assisted flow, and hidden
documents."""

import datetime as dt

import pytest

from tests.helpers import make_user, totp_now
from tests.test_mandate_support import banner, citizen_with_space, mandate_for
from webapp.db import utcnow
from webapp.models.accounts import UserSession
from webapp.models.audit import AccessLog
from webapp.models.mandates import Mandate
from webapp.models.notifications import Outbox


@pytest.fixture
def world(db, client):
    citizen, space = citizen_with_space(first_name="Camille", last_name="Martin")
    mediator = make_user("mediator")
    mandate = mandate_for(mediator, space, ["documents.read", "agenda.read"],
                          duration="month", ends_at=utcnow() + dt.timedelta(days=20))
    client.sign_in(mediator.email)
    return dict(citizen=citizen, space=space, mediator=mediator, mandate=mandate)


def test_home_lists_active_mandates_with_expiring_marks_and_search(client, world):
    _other, other_space = citizen_with_space(first_name="Jean", last_name="Dupont")
    soon = mandate_for(world["mediator"], other_space, ["agenda.read"], duration="month",
                       ends_at=utcnow() + dt.timedelta(days=3))
    _gone, gone_space = citizen_with_space(first_name="Nadia", last_name="Benali")
    mandate_for(world["mediator"], gone_space, ["agenda.read"],
                ends_at=utcnow() - dt.timedelta(days=1))
    _r, doc = client.page("/")
    cards = doc.find_all("li", class_="card")
    assert [c.find("h3").text for c in cards] == ["Jean DUPONT", "Camille MARTIN"]
    assert "Expire bientôt" in cards[0].text and "Expire bientôt" not in cards[1].text
    _r, doc = client.page("/?q=marti")
    assert [c.find("h3").text for c in doc.find_all("li", class_="card")] == ["Camille MARTIN"]
    _r, doc = client.page("/?q=" + other_space.nir)
    assert [c.find("h3").text for c in doc.find_all("li", class_="card")] == ["Jean DUPONT"]
    _r, frag = client.page("/?q=zzz", fragment=True)
    assert "Aucun usager" in frag.text and frag.find(id="live") is not None
    assert soon.state() == "active"


def test_starting_a_session_shows_banner_logs_and_notifies(client, world):
    r = client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    assert r.status_code == 303
    _r, doc = client.page("/")
    band = banner(doc)
    assert "Vous agissez pour Camille MARTIN — mandat jusqu'au" in band.text
    assert "Consulter les documents" in band.text and "Consulter l'agenda" in band.text
    assert band.find("form").get("action") == "/assistance/quitter"
    # announced once (a status message), not on every page
    assert doc.find("div", role="status", class_="notice notice--info") is not None
    _r, doc = client.page("/")
    assert doc.find("div", class_="notice notice--info") is None
    assert banner(doc) is not None
    start = AccessLog.get(AccessLog.action == "assisted_session.start")
    assert start.mandate_ref == world["mandate"].reference
    assert start.office_name == world["mediator"].office.name
    assert start.actor_name == world["mediator"].display_name
    assert Outbox.select().where((Outbox.recipient == world["citizen"])
                                 & (Outbox.template == "assisted_session")
                                 & (Outbox.channel == "email")).count() == 1
    _r, doc = client.page("/documents") if "documents.index" in client.application.view_functions \
        else (None, None)
    # one notice for the session, not also the daily "a mediator opened your space" one
    assert not Outbox.select().where((Outbox.recipient == world["citizen"])
                                     & (Outbox.template == "mediator_access")).exists()
    r = client.submit("/assistance/quitter")
    assert r.status_code == 303
    _r, doc = client.page("/")
    assert banner(doc) is None
    assert AccessLog.select().where(AccessLog.action == "assisted_session.end").exists()


def test_menu_shows_only_scoped_entries(client, world):
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    _r, doc = client.page("/")
    links = {a.get("href") for a in doc.find("nav", class_="main-nav").find_all("a")}
    assert "/parametres" not in links  # no settings scope in this mandate
    if "/messages" in {r.rule for r in client.application.url_map.iter_rules()}:
        assert "/messages" not in links


def test_visit_only_mandate_ends_at_sign_out(client, world):
    visit = mandate_for(world["mediator"], world["space"], ["profile.read"], duration="visit")
    assert visit.state() == "active"
    client.submit("/deconnexion")
    assert Mandate.get_by_id(visit.id).state() == "expired"
    assert Mandate.get_by_id(world["mandate"].id).state() == "active"


def test_visit_only_mandate_lasts_two_hours_at_most(world):
    from webapp import mandates

    start = utcnow()
    assert mandates.ends_at("visit", start) - start == dt.timedelta(hours=2)
    assert mandates.ends_at("month", dt.datetime(2026, 1, 31, 10)) == dt.datetime(2026, 2, 28, 10)
    assert mandates.ends_at("year", dt.datetime(2028, 2, 29)) == dt.datetime(2029, 2, 28)


def test_idle_mediator_reverifies_totp_during_assisted_session(client, world):
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    row = UserSession.get(UserSession.user == world["mediator"])
    row.last_seen = utcnow() - dt.timedelta(minutes=16)
    row.save()
    r = client.get("/")
    assert r.status_code == 302 and "/connexion/verification" in r.headers["Location"]
    r = client.submit("/connexion/verification?next=/",
                      {"code": totp_now(world["mediator"].totp_secret, 1)})
    assert r.status_code == 303
    _r, doc = client.page("/")
    assert banner(doc) is not None  # still acting


def test_mediator_session_lasts_a_working_day(client, world):
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    row = UserSession.get(UserSession.user == world["mediator"])
    row.created_at = utcnow() - dt.timedelta(hours=10, minutes=1)
    row.save()
    r = client.get("/")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_hidden_documents_stay_hidden_from_mediators(app, client, world):
    documents = pytest.importorskip("webapp.models.documents")
    from webapp import policy

    def doc(title, hidden):
        return documents.Document.create(
            space=world["space"], title=title, category="ordo", document_date=dt.date.today(),
            author_kind="professional", sha256="0" * 64, size=1, mime="application/pdf",
            hidden=hidden)

    shown, hidden = doc("Ordonnance visible", False), doc("Compte rendu masqué", True)
    grant = policy.grant_for(world["mediator"], world["space"])
    assert list(documents.visible_documents(grant)) == [shown]
    owner_grant = policy.grant_for(world["citizen"], world["space"])
    assert set(documents.visible_documents(owner_grant)) == {shown, hidden}
    if "documents.index" in app.view_functions:
        client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
        _r, page = client.page("/documents")
        assert "Ordonnance visible" in page.text and "masqué" not in page.text
        client.page(f"/documents/{hidden.id}", status=404)


def test_mediator_ends_own_mandate(client, world):
    ref = world["mandate"].reference
    r = client.submit(f"/mandats/{ref}/terminer")
    assert r.status_code == 303
    assert Mandate.get_by_id(world["mandate"].id).state() == "revoked"
    assert Outbox.select().where(Outbox.template == "mandate_ended").exists()
    other = mandate_for(make_user("mediator"), world["space"], ["agenda.read"])
    assert client.submit(f"/mandats/{other.reference}/terminer").status_code == 404
    assert other.state() == "active"


def test_mediator_confirms_before_ending_a_mandate(client, world):
    ref = world["mandate"].reference
    _r, doc = client.page(f"/mandats/{ref}/terminer?next=/")
    assert world["space"].display_name in doc.find("h1").text
    confirm = doc.find("form", action=f"/mandats/{ref}/terminer")
    assert confirm.get("method") == "post"
    assert Mandate.get_by_id(world["mandate"].id).state() == "active"  # nothing ended yet
    assert not Outbox.select().where(Outbox.template == "mandate_ended").exists()
    assert client.submit(f"/mandats/{ref}/terminer", {"next": "/"}).status_code == 303
    assert Mandate.get_by_id(world["mandate"].id).state() == "revoked"
    # once ended, the confirmation page is not offered again
    r = client.get(f"/mandats/{ref}/terminer")
    assert r.status_code == 303
    other = mandate_for(make_user("mediator"), world["space"], ["agenda.read"])
    client.page(f"/mandats/{other.reference}/terminer", status=404)


def test_citizen_sees_the_mediator_in_the_access_history(app, client, world):
    if "history.index" not in app.view_functions:
        pytest.skip("access history not here yet")
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    client.submit("/deconnexion")
    client.sign_in(world["citizen"].email)
    _r, doc = client.page("/historique")
    text = doc.find("main").text
    assert world["mediator"].display_name in text and world["mediator"].office.name in text
    assert world["mandate"].reference in text
