"""Access history: plain-language entries read from the log's structured columns, filters
by who and period, pagination, reporting an access, and the keyed chain checked by
verify-log."""

import datetime as dt
import hashlib
import hmac

import pytest

from tests.helpers import give_mandate, make_document, make_space, make_user, space_path
from webapp import audit
from webapp.access import Access
from webapp.assist import actions as assist_actions
from webapp.audit import Action
from webapp.catalogue import actions as catalogue_actions
from webapp.db import utcnow
from webapp.migrations import split_old_target
from webapp.models.audit import AccessLog, LogHead
from webapp.models.catalogue import CatalogueApp
from webapp.models.privacy import AccessReport
from webapp.models.spaces import CareRelation
from webapp.privacy import actions as privacy_actions
from webapp.privacy.history import describe
from webapp.pro.professions import Profession, Specialty
from webapp.scopes import Capacity


def _pro(**fields):
    return make_user("professional", profession=Profession.MEDECIN,
                     specialty=Specialty.MEDECINE_GENERALE, **fields)


@pytest.fixture
def world(db, client):
    owner = make_user()
    space = make_space(owner)
    pro = _pro(first_name="Paul", last_name="Bernard")
    mediator = make_user("mediator", first_name="Amina", last_name="Diallo")
    doc = make_document(space)
    audit.write(space, action=Action.DOCUMENTS_READ, capacity=Capacity.PROFESSIONAL, actor=pro,
                target=doc, detail="download")
    audit.write(space, action=Action.AGENDA_READ, capacity=Capacity.MEDIATOR, actor=mediator,
                office_name=mediator.office.name, mandate_ref="ABC123")
    audit.write(space, action=Action.PROFILE_READ, capacity=Capacity.APP,
                app_name="Suivi Diabète")
    audit.write(space, action=Action.PROFILE_READ, capacity=Capacity.PROFESSIONAL, actor=pro,
                emergency=True)
    client.sign_in(owner.email)
    history = space_path(space, "/historique")
    assert client.get(history).status_code == 200  # the holder looked at it once already
    return dict(owner=owner, space=space, pro=pro, mediator=mediator, history=history)


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


def test_report_an_access(client, world):
    entry = AccessLog.get(AccessLog.actor == world["pro"])
    report_url = space_path(world["space"], f"/historique/{entry.id}/signaler")
    client.page(report_url)
    response = client.submit(report_url, {"message": "Je ne connais pas ce médecin."})
    assert response.status_code == 303
    report = AccessReport.get()
    assert report.entry_id == entry.id and report.space_id == world["space"].id
    assert "Paul BERNARD" in report.entry_summary
    assert AccessLog.select().where((AccessLog.action == "privacy.report")
                                    & (AccessLog.target_kind == "access_log")
                                    & (AccessLog.target_id == entry.id)).exists()
    client.submit("/deconnexion")
    admin = make_user("admin")
    client.sign_in(admin.email)
    _r, doc = client.page("/admin/signalements")
    assert "Je ne connais pas ce médecin." in doc.find("main").text


def test_report_of_another_space_entry_is_not_found(client, world):
    other = make_space(make_user())
    entry = audit.write(other, action=Action.PROFILE_READ, capacity=Capacity.APP)
    url = space_path(world["space"], f"/historique/{entry.id}/signaler")
    assert client.get(url).status_code == 404
    assert client.submit(url, {}).status_code == 404
    assert not AccessReport.select().exists()


@pytest.mark.parametrize("role", ["professional", "mediator", "other_citizen"])
def test_report_route_refused_to_others(client, world, role):
    entry = AccessLog.get(AccessLog.actor == world["pro"])
    client.submit("/deconnexion")
    if role == "professional":
        user = world["pro"]  # follows the patient, yet PRIVACY is never a professional's
        CareRelation.create(professional=user, space=world["space"])
    elif role == "mediator":
        user = world["mediator"]
        give_mandate(user, world["space"], "documents.read settings.read privacy")
    else:
        user = make_user()
        make_space(user)
    client.sign_in(user.email)
    report_url = space_path(world["space"], f"/historique/{entry.id}/signaler")
    assert client.get(report_url).status_code == 404
    assert client.submit(report_url, {"message": "x"}).status_code == 404
    assert client.get(world["history"]).status_code == 404
    assert not AccessReport.select().exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    client.submit("/deconnexion")
    response = client.get(world["history"])
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_old_bookmark_lands_on_ones_own_history(client, world):
    response = client.get("/historique?qui=moi")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(world["history"] + "?qui=moi")


# The wording of entries written by the real actions, read from the structured columns.

def test_wording_of_entries_written_by_the_actions(app, client, world):
    space, owner, pro = world["space"], world["owner"], world["pro"]
    doc = make_document(space, title="Radio du genou")
    assert client.get(space_path(space, f"/documents/{doc.id}/telecharger")).status_code == 200
    mandate = give_mandate(world["mediator"], space, "documents.read")
    app_row = CatalogueApp.create(slug="suivi", name="Suivi Tension", publisher="Éditeur",
                                  category="chronic",
                                  summary="Suivre sa tension", scopes="documents.read",
                                  referenced_at=dt.date(2026, 1, 1))
    with app.test_request_context("/"):
        privacy_actions.block(Access.open(owner, space.ref), pro)
        assist_actions.end_mandate(mandate, owner, action=Action.MANDATE_REVOKE,
                                   access=Access.open(owner, space.ref))
        catalogue_actions.connect(Access.open(owner, space.ref), app_row)
    entries = list(AccessLog.select().where(AccessLog.space == space)
                   .order_by(AccessLog.sequence.desc()).limit(4))
    assert [(e.action, e.target_kind, e.target_id, e.detail) for e in entries] == [
        ("app.connect", "catalogue_app", app_row.id, "connect"),
        ("mandate.revoke", "mandate", mandate.id, mandate.reference),
        ("privacy.block", "user", pro.id, ""),
        ("documents.read", "document", doc.id, "download")]
    _r, page = client.page(world["history"])
    shown = [p.text for p in page.find_all("p", class_="history-entry__what")][:4]
    assert shown == ["Connexion d'une application", "Retrait d'un mandat",
                     "Blocage d'un professionnel", "Téléchargement d'un document"]


@pytest.mark.parametrize("action, kind, detail, words", [
    ("documents.read", "document", "download", "Téléchargement d'un document"),
    ("documents.read", "document", "view", "Consultation d'un document"),
    ("documents.manage", "document", "hide", "Document masqué aux professionnels"),
    ("documents.manage", "document", "delete", "Suppression d'un document"),
    ("privacy.block", "user", "", "Blocage d'un professionnel"),
    ("privacy.unblock", "user", "", "Déblocage d'un professionnel"),
    ("mandate.revoke", "mandate", "AB12", "Retrait d'un mandat"),
    ("app.connect", "catalogue_app", "connect", "Connexion d'une application"),
    ("app.disconnect", "catalogue_app", "disconnect", "Déconnexion d'une application"),
    ("guardians.invite", "guardian_invitation", "refused",
     "Refus d'une invitation de représentant légal"),
    ("privacy", "", "history", "Consultation de l'historique des accès"),
    ("documents.manage", "", "hide_new_documents=1",
     "Nouveaux documents masqués par défaut aux professionnels"),
    ("caregiver.invite", "caregiver_invitation", "refused", "Refus d'une invitation d'aidant"),
    ("caregiver.invite", "caregiver_invitation", "Jean DUPONT", "Invitation d'un aidant"),
    ("space.activate", "", "", "Activation de l'espace"),
    ("account.export_download", "export_job", "", "Téléchargement de l'export des données"),
    ("something.new", "", "", "Action sur l'espace (something.new)"),
])
def test_describe_reads_the_columns(app, action, kind, detail, words):
    with app.test_request_context("/"):
        assert describe(AccessLog(action=action, target_kind=kind, target_id=12,
                                  detail=detail, format=2)) == words


@pytest.mark.parametrize("action, target, words", [
    ("documents.read", "document:12:download", "Téléchargement d'un document"),
    ("privacy", "app:suivi:disconnect", "Déconnexion d'une application"),
    ("privacy", "history.index", "Consultation de l'historique des accès"),
    ("documents.read", "documents.download", "Téléchargement d'un document"),
    ("mandate.create", "AB12", "Création d'un mandat"),
])
def test_describe_rows_of_the_first_format(app, action, target, words):
    kind, ident, detail = split_old_target(target)  # as migration 3 filled the columns
    with app.test_request_context("/"):
        assert describe(AccessLog(action=action, target=target, target_kind=kind,
                                  target_id=ident, detail=detail, format=1)) == words


# verify-log: the keyed chain and its head.

def _verify(app):
    return app.test_cli_runner().invoke(args=["verify-log"])


def _entries(space):
    return list(AccessLog.select().where(AccessLog.space == space).order_by(AccessLog.sequence))


def _rechain(space, digest, start=1):
    """What someone with the database but without the key would do: rewrite the chain
    from `start` with their own MAC function, and the head after it."""
    previous = ""
    for entry in _entries(space):
        if entry.sequence >= start:
            entry.prev_hash = previous
            entry.entry_hash = digest(entry)
            entry.save()
        previous = entry.entry_hash
    last = _entries(space)[-1]
    LogHead.update(sequence=last.sequence, last_hash=last.entry_hash).where(
        LogHead.space == space).execute()


def test_a_clean_chain_passes(app, world):
    result = _verify(app)
    assert result.exit_code == 0 and "intact" in result.output
    assert audit.first_broken(world["space"]) is None


def test_an_edited_entry_is_detected(app, world):
    victim = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(detail="rien").where(AccessLog.id == victim.id).execute()
    assert audit.first_broken(world["space"]).id == victim.id
    result = _verify(app)
    assert result.exit_code == 1
    assert f"entry #{victim.sequence}" in result.output


def test_a_chain_recomputed_with_plain_sha256_is_detected(app, world):
    victim = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(detail="rien").where(AccessLog.id == victim.id).execute()
    _rechain(world["space"], lambda e: hashlib.sha256(e.payload().encode()).hexdigest(),
             start=victim.sequence)
    assert audit.first_broken(world["space"]).id == victim.id
    assert _verify(app).exit_code == 1


def test_keyed_entries_passed_off_as_the_first_format_are_detected(app, world):
    """Marking keyed entries as written before the keyed chain (plain SHA-256) does not
    help: a chain never goes back to the first format."""
    victim = AccessLog.get(AccessLog.app_name == "Suivi Diabète")
    AccessLog.update(format=1, detail="rien").where(
        (AccessLog.space == world["space"]) & (AccessLog.sequence >= victim.sequence)).execute()
    _rechain(world["space"], lambda e: hashlib.sha256(e.payload().encode()).hexdigest(),
             start=victim.sequence)
    assert audit.first_broken(world["space"]).id == victim.id
    assert _verify(app).exit_code == 1


def test_a_chain_recomputed_with_a_wrong_key_is_detected(app, world):
    victim = AccessLog.get(AccessLog.mandate_ref == "ABC123")
    AccessLog.update(actor_name="Quelqu'un d'autre").where(AccessLog.id == victim.id).execute()

    def wrong_key(entry):
        return hmac.new(b"not-the-key", entry.payload().encode(), hashlib.sha256).hexdigest()

    _rechain(world["space"], wrong_key, start=victim.sequence)
    assert audit.first_broken(world["space"]).id == victim.id
    assert _verify(app).exit_code == 1


def test_entries_deleted_from_the_end_are_detected(app, world):
    entries = _entries(world["space"])
    AccessLog.delete().where(AccessLog.id.in_([e.id for e in entries[-2:]])).execute()
    broken = audit.first_broken(world["space"])
    assert broken is not None and broken.sequence == entries[-3].sequence
    result = _verify(app)
    assert result.exit_code == 1 and "chain broken" in result.output


def test_a_missing_head_is_detected(app, world):
    LogHead.delete().where(LogHead.space == world["space"]).execute()
    assert audit.first_broken(world["space"]) is not None
    assert _verify(app).exit_code == 1


def test_a_chain_emptied_of_all_its_entries_is_detected(app, world):
    AccessLog.delete().where(AccessLog.space == world["space"]).execute()
    assert audit.first_broken(world["space"]) is not None
    result = _verify(app)
    assert result.exit_code == 1 and "its entries are missing" in result.output


def test_a_deleted_entry_in_the_middle_is_detected(app, world):
    middle = AccessLog.get(AccessLog.mandate_ref == "ABC123")
    AccessLog.delete().where(AccessLog.id == middle.id).execute()
    result = _verify(app)
    assert result.exit_code == 1 and f"entry #{middle.sequence + 1}" in result.output


def _old_chain(space, targets):
    """Entries written before the keyed chain (format 1, plain SHA-256), their columns
    filled and their head made as migration 3 does."""
    previous = ""
    for sequence, target in enumerate(targets, start=1):
        kind, ident, detail = split_old_target(target)
        entry = AccessLog(space=space, capacity="owner", action="documents.read",
                          target=target, target_kind=kind, target_id=ident, detail=detail,
                          allowed=True, sequence=sequence, prev_hash=previous, format=1,
                          created_at=dt.datetime(2026, 1, sequence))
        entry.entry_hash = hashlib.sha256(entry.payload().encode()).hexdigest()
        entry.save(force_insert=True)
        previous = entry.entry_hash
    LogHead.create(space=space, sequence=len(targets), last_hash=previous,
                   seal=audit.head_seal(space.id, len(targets), previous))


def test_rows_of_the_first_format_still_verify(app, db):
    space = make_space(make_user())
    _old_chain(space, ("document:12:download", "history.index"))
    assert audit.first_broken(space) is None
    assert _verify(app).exit_code == 0
    audit.write(space, action=Action.SPACE_VIEW, capacity=Capacity.OWNER)  # keyed from now
    assert audit.first_broken(space) is None
    assert [e.format for e in _entries(space)] == [1, 1, 2]
    assert _verify(app).exit_code == 0


def test_columns_of_a_row_of_the_first_format_must_match_its_target(app, db):
    """Its MAC covers the old target string, not the columns the history reads."""
    space = make_space(make_user())
    _old_chain(space, ("document:12:download", "history.index"))
    AccessLog.update(detail="delete").where(
        (AccessLog.space == space) & (AccessLog.sequence == 1)).execute()
    assert audit.first_broken(space).sequence == 1
    assert _verify(app).exit_code == 1
