"""The mediator's home, assisted sessions (banner, log, notification, leaving), the end of
"this visit only" mandates, strong authentication during the assisted flow, and hidden
documents."""

import datetime as dt
import html

import pytest

from tests.helpers import make_document, make_user, space_path, totp_now
from tests.test_mandate_support import banner, citizen_with_space, mandate_for
from webapp import policy
from webapp.assist import mandates
from webapp.db import utcnow
from webapp.models.accounts import UserSession
from webapp.models.agenda import Appointment
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.mandates import Mandate
from webapp.models.notifications import Outbox
from webapp.notify import access_notices


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
    home = space_path(world["space"], "/")
    r = client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    assert r.status_code == 303 and r.headers["Location"].endswith(home)
    _r, doc = client.page(home)
    band = banner(doc)
    assert "Vous agissez pour Camille MARTIN — mandat jusqu'au" in band.text
    assert "Consulter les documents" in band.text and "Consulter l'agenda" in band.text
    assert band.find("form").get("action") == space_path(world["space"], "/quitter")
    # announced once (a status message), not on every page
    assert doc.find("div", role="status", class_="notice notice--info") is not None
    _r, doc = client.page(home)
    assert doc.find("div", class_="notice notice--info") is None
    assert banner(doc) is not None
    _r, doc = client.page("/")  # the mediator's own list: no one's space, no banner
    assert banner(doc) is None
    start = AccessLog.get(AccessLog.action == "assisted_session.start")
    assert start.mandate_ref == world["mandate"].reference
    assert start.office_name == world["mediator"].office.name
    assert start.actor_name == world["mediator"].display_name
    assert Outbox.select().where((Outbox.recipient == world["citizen"])
                                 & (Outbox.template == "assisted_session")
                                 & (Outbox.channel == "email")).count() == 1
    client.page(space_path(world["space"], "/documents"))
    # one notice for the session, not also the daily "a mediator opened your space" one
    assert access_notices.queue_access_notices(utcnow() + dt.timedelta(minutes=1)) == 0
    assert not Outbox.select().where((Outbox.recipient == world["citizen"])
                                     & (Outbox.template == "mediator_access")).exists()
    r = client.submit(space_path(world["space"], "/quitter"))
    assert r.status_code == 303 and r.headers["Location"].endswith("/")
    _r, doc = client.page("/")
    assert banner(doc) is None
    end = AccessLog.get(AccessLog.action == "assisted_session.end")
    assert end.mandate_ref == world["mandate"].reference and end.space_id == world["space"].id


def test_menu_shows_only_scoped_entries(client, world):
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    _r, doc = client.page(space_path(world["space"], "/"))
    links = {a.get("href") for a in doc.find("nav", class_="main-nav").find_all("a")}
    assert space_path(world["space"], "/documents") in links
    assert space_path(world["space"], "/agenda") in links
    assert space_path(world["space"], "/parametres") not in links  # no settings scope here
    assert space_path(world["space"], "/messages") not in links


def test_visit_only_mandate_ends_at_sign_out(client, world):
    visit = mandate_for(world["mediator"], world["space"], ["profile.read"], duration="visit")
    assert visit.state() == "active"
    client.submit("/deconnexion")
    assert Mandate.get_by_id(visit.id).state() == "expired"
    assert Mandate.get_by_id(world["mandate"].id).state() == "active"


def test_visit_only_mandate_lasts_two_hours_at_most(world):
    start = utcnow()
    assert mandates.ends_at("visit", start) - start == dt.timedelta(hours=2)
    assert mandates.ends_at("month", dt.datetime(2026, 1, 31, 10)) == dt.datetime(2026, 2, 28, 10)
    assert mandates.ends_at("year", dt.datetime(2028, 2, 29)) == dt.datetime(2029, 2, 28)


def test_idle_mediator_reverifies_totp_during_assisted_session(client, world):
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    row = UserSession.get(UserSession.user == world["mediator"])
    row.last_seen = utcnow() - dt.timedelta(minutes=16)
    row.save()
    home = space_path(world["space"], "/")
    r = client.get(home)
    assert r.status_code == 302 and "/connexion/verification" in r.headers["Location"]
    r = client.submit(f"/connexion/verification?next={home}",
                      {"code": totp_now(world["mediator"].totp_secret, 1)})
    assert r.status_code == 303 and r.headers["Location"].endswith(home)
    _r, doc = client.page(home)
    assert banner(doc) is not None  # still acting


def test_mediator_session_lasts_a_working_day(client, world):
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    row = UserSession.get(UserSession.user == world["mediator"])
    row.created_at = utcnow() - dt.timedelta(hours=10, minutes=1)
    row.save()
    r = client.get("/")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_hidden_documents_stay_hidden_from_mediators(app, client, world):
    shown = make_document(world["space"], title="Ordonnance visible", hidden=False)
    hidden = make_document(world["space"], title="Compte rendu masqué", hidden=True)
    grant = policy.grant_for(world["mediator"], world["space"])
    assert list(policy.visible(Document, grant)) == [shown]
    owner_grant = policy.grant_for(world["citizen"], world["space"])
    assert set(policy.visible(Document, owner_grant)) == {shown, hidden}
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    _r, page = client.page(space_path(world["space"], "/documents"))
    assert "Ordonnance visible" in page.text and "masqué" not in page.text
    client.page(space_path(world["space"], f"/documents/{hidden.id}"), status=404)


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
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    client.submit("/deconnexion")
    client.sign_in(world["citizen"].email)
    _r, doc = client.page(space_path(world["space"], "/historique"))
    text = doc.find("main").text
    assert world["mediator"].display_name in text and world["mediator"].office.name in text
    assert world["mandate"].reference in text


APPOINTMENT = {"kind": "appointment", "day": "2027-03-15", "time": "10:00"}


def test_two_tabs_write_each_form_into_its_own_space(client, world):
    """Camille's space open in one tab, Jean's in another: each form posts to the address
    of its own space, and lands there only."""
    camille = world["space"]
    _jean, jean = citizen_with_space(first_name="Jean", last_name="Dupont")
    mediator, writes = world["mediator"], ["agenda.read", "agenda.write"]
    mandate_for(mediator, camille, writes, duration="month")
    for_jean = mandate_for(mediator, jean, writes, duration="month")
    client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")  # tab 1: Camille
    _r, camille_form = client.page(space_path(camille, "/agenda/nouveau"))
    client.submit(f"/assistance/{for_jean.reference}/ouvrir")  # tab 2: Jean
    _r, jean_form = client.page(space_path(jean, "/agenda/nouveau"))
    assert "Jean DUPONT" in banner(jean_form).text
    assert "Camille MARTIN" in banner(camille_form).text  # tab 1 still shows Camille
    assert jean_form.find("form", action=space_path(jean, "/agenda/nouveau")) is not None
    assert camille_form.find("form", action=space_path(camille, "/agenda/nouveau")) is not None
    before = AccessLog.select().where(AccessLog.space == camille).count()
    r = client.submit(space_path(jean, "/agenda/nouveau"), {**APPOINTMENT, "title": "Dentiste"})
    assert r.status_code == 303 and space_path(jean, "/agenda/") in r.headers["Location"]
    entry = Appointment.get(Appointment.title == "Dentiste")
    assert entry.space_id == jean.id and entry.created_by_id == mediator.id
    assert AccessLog.select().where(AccessLog.space == camille).count() == before
    assert AccessLog.select().where((AccessLog.space == jean) & (AccessLog.action == "agenda.write")
                                    & (AccessLog.mandate_ref == for_jean.reference)).exists()
    r = client.submit(space_path(camille, "/agenda/nouveau"), {**APPOINTMENT, "title": "Kiné"})
    assert r.status_code == 303
    assert Appointment.get(Appointment.title == "Kiné").space_id == camille.id
    assert [a.title for a in Appointment.select().where(Appointment.space == jean)] == ["Dentiste"]
    _r, doc = client.page(space_path(camille, "/agenda"))
    assert "Kiné" in doc.text and "Dentiste" not in doc.text


@pytest.mark.parametrize("ending", ["revoked by the citizen", "expired"])
def test_a_form_posted_after_the_mandate_ended_writes_nothing(app, client, world, ending):
    camille, citizen = world["space"], world["citizen"]
    _jean, jean = citizen_with_space(first_name="Jean", last_name="Dupont")
    writes = ["agenda.read", "agenda.write"]
    mandate = mandate_for(world["mediator"], camille, writes, duration="month")
    mandate_for(world["mediator"], jean, writes, duration="month")
    client.submit(f"/assistance/{mandate.reference}/ouvrir")
    client.page(space_path(camille, "/agenda/nouveau"))  # the form is open…
    if ending == "expired":
        Mandate.update(ends_at=utcnow() - dt.timedelta(seconds=1)).where(
            Mandate.space == camille).execute()
    else:  # …when Camille ends every mandate from her own space
        own = app.test_client()
        own.sign_in(citizen.email)
        for m in list(Mandate.select().where(Mandate.space == camille)):
            assert own.submit(space_path(camille, f"/parametres/mandats/{m.reference}/fin")
                              ).status_code == 303
    logs = {s.id: AccessLog.select().where(AccessLog.space == s).count() for s in (camille, jean)}
    r = client.submit(space_path(camille, "/agenda/nouveau"), {**APPOINTMENT, "title": "Tardif"})
    assert r.status_code == 404
    text = html.unescape(r.text)
    assert "Vous ne pouvez plus agir pour Camille MARTIN" in text
    assert "n'a été enregistré nulle part" in text
    assert not Appointment.select().exists()
    refused = AccessLog.select().where(AccessLog.space == camille).order_by(AccessLog.id.desc())
    assert refused.count() == logs[camille.id] + 1  # only the refusal, in Camille's space
    assert refused.first().allowed is False and refused.first().action == "agenda.write"
    assert AccessLog.select().where(AccessLog.space == jean).count() == logs[jean.id]
    _r, doc = client.page(space_path(jean, "/agenda/nouveau"))  # Jean's mandate still works
    assert "Jean DUPONT" in banner(doc).text
