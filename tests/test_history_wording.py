"""Access history: the wording of entries, read from the log's structured columns (and
from the rows of the first format)."""

import datetime as dt

import pytest

from tests.helpers import give_mandate, make_document, space_path
from tests.history_support import world_fixture  # noqa: F401 (the fixture "world")
from webapp.access import Access
from webapp.assist import actions as assist_actions
from webapp.audit import Action
from webapp.audit.old_format import split_old_target
from webapp.catalogue import actions as catalogue_actions
from webapp.models.audit import AccessLog
from webapp.models.catalogue import CatalogueApp
from webapp.privacy import actions as privacy_actions
from webapp.privacy.history import describe

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
