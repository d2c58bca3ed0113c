"""Access history: plain-language entries, filters by who and period, pagination,
reporting an access, and the tamper-evident hash chain checked by verify-log."""

import datetime as dt

import pytest

from tests.helpers import make_space, make_user
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.privacy import AccessReport
from webapp.policy import PROFESSIONAL_SCOPES, Grant, Scope, record


@pytest.fixture
def world(db, client):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional", first_name="Paul", last_name="Bernard")
    mediator = make_user("mediator", first_name="Amina", last_name="Diallo")
    record(Grant(pro, space, "professional", PROFESSIONAL_SCOPES), space,
           Scope.DOCUMENTS_READ, "documents.download")
    AccessLog.append(space=space, actor=mediator, actor_name=mediator.display_name,
                     capacity="mediator", office_name=mediator.office.name,
                     action="agenda.read", target="agenda.index", allowed=True,
                     mandate_ref="ABC123")
    AccessLog.append(space=space, actor=None, actor_name="", capacity="app",
                     app_name="Suivi Diabète", action="profile.read", allowed=True)
    AccessLog.append(space=space, actor=pro, actor_name=pro.display_name,
                     capacity="professional", action="profile.read", allowed=True,
                     emergency=True)
    client.sign_in(owner.email)
    return dict(owner=owner, space=space, pro=pro, mediator=mediator)


def test_history_in_plain_language(client, world):
    _r, doc = client.page("/historique")
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
    _r, doc = client.page(f"/historique?qui={who}")
    results = doc.by_id("history-results").text
    assert present in results and absent not in results
    current = doc.find("a", aria_current="page")
    assert current is not None


def test_filter_by_period(client, world):
    old = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(created_at=utcnow() - dt.timedelta(days=40)).where(
        AccessLog.id == old.id).execute()
    _r, doc = client.page("/historique?periode=30")
    assert "Suivi Diabète" not in doc.by_id("history-results").text
    _r, doc = client.page("/historique?periode=365")
    assert "Suivi Diabète" in doc.by_id("history-results").text


def test_pagination(client, world):
    for _ in range(25):
        AccessLog.append(space=world["space"], actor=world["pro"], capacity="professional",
                         actor_name="X", action="documents.read", allowed=True)
    _r, doc = client.page("/historique?qui=professionnels")
    assert len(doc.find_all("li", class_="history-entry")) == 20
    assert doc.find("nav", class_="pagination") is not None
    _r, doc = client.page("/historique?qui=professionnels&page=2")
    assert len(doc.find_all("li", class_="history-entry")) == 7


def test_fragment_for_htmx(client, world):
    _r, doc = client.page("/historique?qui=aidants", fragment=True)
    assert doc.find("h1") is None and doc.by_id("history-results") is not None
    assert doc.by_id("live") is not None


def test_report_an_access(client, world):
    entry = AccessLog.get(AccessLog.actor == world["pro"])
    client.page(f"/historique/{entry.id}/signaler")
    response = client.submit(f"/historique/{entry.id}/signaler",
                             {"message": "Je ne connais pas ce médecin."})
    assert response.status_code == 303
    report = AccessReport.get()
    assert report.entry_id == entry.id and report.space_id == world["space"].id
    assert "Paul BERNARD" in report.entry_summary
    client.submit("/deconnexion")
    admin = make_user("admin")
    client.sign_in(admin.email)
    _r, doc = client.page("/admin/signalements")
    assert "Je ne connais pas ce médecin." in doc.find("main").text


def test_report_of_another_space_entry_is_not_found(client, world):
    other = make_space(make_user())
    entry = AccessLog.append(space=other, actor=None, capacity="app", action="x", allowed=True)
    assert client.get(f"/historique/{entry.id}/signaler").status_code == 404
    assert client.submit(f"/historique/{entry.id}/signaler", {}).status_code == 404


@pytest.mark.parametrize("role", ["professional", "mediator", "other_citizen"])
def test_report_route_refused_to_others(app, client, world, role):
    entry = AccessLog.get(AccessLog.actor == world["pro"])
    client.submit("/deconnexion")
    if role == "professional":
        user = world["pro"]  # has a care relation? no: not needed, PRIVACY is never his
        from webapp.models.spaces import CareRelation
        CareRelation.create(professional=user, space=world["space"])
    elif role == "mediator":
        user = world["mediator"]
        from webapp.models.mandates import Mandate
        Mandate.create(space=world["space"], holder=user, kind="mediator",
                       scopes="documents.read settings.read privacy",
                       ends_at=utcnow() + dt.timedelta(hours=1))
    else:
        user = make_user()
        make_space(user)
    client.sign_in(user.email)
    if role != "other_citizen":
        with client.session_transaction() as s:
            s["space_id"] = world["space"].id
    assert client.get(f"/historique/{entry.id}/signaler").status_code == 404
    assert client.get("/historique").status_code == 404 or role == "other_citizen"


def test_anonymous_is_sent_to_sign_in(client, world):
    client.submit("/deconnexion")
    response = client.get("/historique")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_verify_log_detects_tampering(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0 and "intact" in result.output
    victim = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(target="rien").where(AccessLog.id == victim.id).execute()
    assert AccessLog.first_broken(world["space"]).id == victim.id
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 1
    assert f"entry #{victim.sequence}" in result.output


def test_verify_log_detects_a_deleted_row(app, world):
    middle = AccessLog.get(AccessLog.mandate_ref == "ABC123")
    AccessLog.delete().where(AccessLog.id == middle.id).execute()
    result = app.test_cli_runner().invoke(args=["verify-log"])
    assert result.exit_code == 1 and f"entry #{middle.sequence + 1}" in result.output


@pytest.mark.parametrize("action, target, words", [
    ("documents.read", "document:12:download", "Téléchargement d'un document"),
    ("documents.read", "document:12:view", "Consultation d'un document"),
    ("documents.manage", "document:12:hide", "Document masqué aux professionnels"),
    ("documents.manage", "document:12:delete", "Suppression d'un document"),
    ("privacy", "app:suivi:disconnect", "Déconnexion d'une application"),
    ("mandate.create", "AB12", "Création d'un mandat"),
    ("space.activate", "", "Activation de l'espace"),
    ("account.export_download", "export:3", "Téléchargement de l'export des données"),
    ("something.new", "", "Action sur l'espace (something.new)"),
])
def test_describe(app, action, target, words):
    from webapp.views.history import describe

    with app.test_request_context("/"):
        assert describe(AccessLog(action=action, target=target)) == words
