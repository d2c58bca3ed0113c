"""Life cycle of a space: NIR key, objection deadline, closing, reopening, purge, and a
legal representative's rights ending on the child's 18th birthday (fixed clock)."""

import datetime as dt

import pytest

from tests.helpers import give_mandate, logged, make_child, make_document, make_space, make_user
from webapp import audit, policy, storage
from webapp.access import Access
from webapp.accounts import lifecycle
from webapp.audit import Action
from webapp.db import transaction, utcnow
from webapp.models.accounts import User
from webapp.models.audit import AccessLog, LogHead
from webapp.models.catalogue import AppConnection, CatalogueApp
from webapp.models.mandates import Mandate
from webapp.models.notifications import Outbox
from webapp.models.privacy import Closure, EmergencySettings, Objection
from webapp.models.spaces import CareRelation, Space
from webapp.scopes import Capacity, Scope
from webapp.security import hash_password


def _close(owner, space, **options):
    """Close a space as its holder does, from their access to it."""
    return lifecycle.close(Access.open(owner, space.ref), **options)


@pytest.mark.parametrize("nir, ok", [
    ("295031305501270", True),          # Nadia (demo)
    ("2 95 03 13 055 012 70", True),     # spaces accepted once normalised
    ("295031305501271", False),         # wrong key
    ("29503130550127", False),          # 14 digits
    ("195032A01234565", None),          # Corsica 2A: key computed below
    ("A95031305501270", False),
])
def test_nir_key(nir, ok):
    nir = lifecycle.normalize_nir(nir)
    if ok is None:
        body = int(nir[:5] + "19" + nir[7:13])
        nir = nir[:13] + f"{97 - body % 97:02d}"
        ok = True
    assert lifecycle.nir_key_ok(nir) is ok


def test_corsica_2b_uses_18():
    nir = "19503" + "2B" + "012345"
    key = 97 - int("19503" + "18" + "012345") % 97
    assert lifecycle.nir_key_ok(nir + f"{key:02d}")
    assert not lifecycle.nir_key_ok(nir + f"{(key % 97) + 1:02d}")


def test_objection_deadline_is_six_weeks_after_notification(db):
    notified = utcnow() - dt.timedelta(weeks=6) + dt.timedelta(hours=1)
    space = make_space(notified_at=notified)
    assert lifecycle.objection_deadline(space) == notified + dt.timedelta(weeks=6)
    assert lifecycle.can_object(space)
    assert not policy.space_is_open(space)
    later = utcnow() + dt.timedelta(hours=2)
    assert not lifecycle.can_object(space, later)
    assert policy.space_is_open(space, later)  # opened by default, even if not activated


def test_objection_deletes_data_and_keeps_a_proof(db):
    space = make_space(notified_at=utcnow())
    audit.write(space, action=Action.SPACE_VIEW, capacity=Capacity.SYSTEM)
    pro = make_user("professional")
    give_mandate(make_user("mediator"), space, "documents.read")
    CareRelation.create(professional=pro, space=space)
    proof = lifecycle.object_to(space)
    assert Space.get_by_id(space.id).state == "objected"
    assert AccessLog.select().where(AccessLog.space == space).count() == 0
    assert not LogHead.select().where(LogHead.space == space).exists()
    assert audit.first_broken(space) is None
    assert Mandate.select().count() == 0 and CareRelation.select().count() == 0
    assert Objection.get(Objection.space == space).reference == proof.reference
    assert policy.grant_for(pro, space) is None


def test_close_then_reopen_within_archive_period(db):
    owner = make_user()
    space = make_space(owner)
    closure = _close(owner, space)
    space = Space.get_by_id(space.id)
    assert space.state == "closed"
    assert closure.purge_after - closure.closed_at == lifecycle.ARCHIVE_PERIOD
    assert closure.closed_by_id == owner.id and not closure.deletion_requested
    assert logged(action="account.close", detail="archive", space=space.id,
                  actor=owner.id).exists()
    assert policy.grant_for(owner, space) is None
    assert lifecycle.can_reopen(space)
    assert not lifecycle.can_reopen(space, utcnow() + dt.timedelta(days=3654))
    lifecycle.reopen(space, owner)
    assert Space.get_by_id(space.id).state == "active"
    assert policy.grant_for(owner, space).capacity == "owner"
    assert logged(action="account.reopen", space=space.id, actor=owner.id).exists()
    assert Closure.current(space) is None
    assert audit.first_broken(space) is None


def test_closing_ends_mandates_and_app_connections_for_good(db):
    owner = make_user()
    space = make_space(owner)
    mediator, caregiver = make_user("mediator"), make_user()
    give_mandate(mediator, space, "documents.read")
    give_mandate(caregiver, space, "documents.read", kind="caregiver")
    app_row = CatalogueApp.create(slug="suivi", name="Suivi", publisher="Éditeur",
                                  category="chronic", summary="Suivi", scopes="documents.read",
                                  referenced_at=dt.date(2026, 1, 1))
    AppConnection.create(space=space, app=app_row, scopes="documents.read")
    _close(owner, space)
    assert not Mandate.active().where(Mandate.space == space).exists()
    assert not AppConnection.select().where(AppConnection.disconnected_at.is_null()).exists()
    assert Outbox.select().where((Outbox.recipient == mediator)
                                 & (Outbox.template == "mandate_ended")).exists()
    assert logged(action="account.close", space=space.id).count() == 1  # one entry
    lifecycle.reopen(Space.get_by_id(space.id), owner)
    space = Space.get_by_id(space.id)
    assert policy.grant_for(mediator, space) is None
    assert policy.grant_for(caregiver, space) is None
    assert policy.grant_for(owner, space).capacity == "owner"


def test_purge_expired_deletes_only_what_is_due(db):
    kept_owner, gone_owner, asked_owner = make_user(), make_user(), make_user()
    kept, gone, asked = make_space(kept_owner), make_space(gone_owner), make_space(asked_owner)
    _close(kept_owner, kept)
    _close(gone_owner, gone, now=utcnow() - dt.timedelta(days=3654))
    _close(asked_owner, asked, delete_soon=True)
    audit.write(gone, action=Action.SPACE_VIEW, capacity=Capacity.OWNER, actor=gone_owner)
    assert Space.get_by_id(asked.id).state == "closed"
    assert not lifecycle.can_reopen(Space.get_by_id(asked.id))  # deletion asked: not reopened
    assert lifecycle.purge_expired() == 2
    assert Space.get_or_none(Space.id == kept.id) is not None
    assert Space.get_or_none(Space.id == gone.id) is None
    assert Space.get_or_none(Space.id == asked.id) is None
    scrubbed = User.get_by_id(gone_owner.id)
    assert not scrubbed.active and gone_owner.email != scrubbed.email
    assert lifecycle.purge_expired() == 0
    assert Closure.select().where(Closure.space == kept.id).count() == 1


def test_guardian_rights_end_on_the_eighteenth_birthday(db):
    parent = make_user()
    child = make_child(parent, dt.date(2008, 11, 24))
    eve = dt.datetime(2026, 11, 23, 22, 0)
    birthday = dt.datetime(2026, 11, 24, 8, 0)
    grant = policy.grant_for(parent, child, now=eve)
    assert grant.capacity == "guardian" and grant.allows(Scope.PRIVACY)
    assert policy.grant_for(parent, child, now=birthday) is None
    assert parent not in policy.holders_of(child, now=birthday)
    assert child in policy.spaces_for(parent, now=eve)
    assert child not in policy.spaces_for(parent, now=birthday)


def test_the_adult_child_activates_their_own_space(db):
    child = make_space(birth_date=dt.date(2008, 11, 23), state="active",
                       activation_code_hash=hash_password("LEA-2026"))
    assert lifecycle.activation_problem(child, "LEA-2026", now=dt.datetime(2026, 11, 22)) \
        == "minor"
    assert lifecycle.activation_problem(child, "LEA-2026", now=dt.datetime(2026, 11, 23, 12)) \
        is None


def test_deleting_a_space_removes_its_files_but_not_shared_ones(app, db):
    mine, other = make_space(notified_at=utcnow()), make_space(make_user())
    only_mine = make_document(mine, content=b"%PDF-1.4 seulement a moi").sha256
    shared = make_document(mine, content=b"%PDF-1.4 partage").sha256
    make_document(other, content=b"%PDF-1.4 partage")
    lifecycle.object_to(mine)
    assert not storage.exists(only_mine)
    assert storage.exists(shared)


def test_files_stay_when_the_deletion_is_rolled_back(app, db):
    """A file goes only after the commit that stops pointing to it."""
    space = make_space(notified_at=utcnow())
    digest = make_document(space, content=b"%PDF-1.4 a garder").sha256
    with pytest.raises(RuntimeError), transaction():
        lifecycle.object_to(space)
        raise RuntimeError("interrupted")
    assert storage.exists(digest)
    assert Space.get_by_id(space.id).state == "created"


def test_privacy_seed_is_idempotent(demo):
    from webapp import seed

    counts = (Space.select().count(), User.select().count(), AccessLog.select().count(),
              EmergencySettings.select().count())
    seed.run()
    assert (Space.select().count(), User.select().count(), AccessLog.select().count(),
            EmergencySettings.select().count()) == counts
    assert lifecycle.activation_problem(Space.get(Space.nir == "290076912345669"),
                                        "EMMA-2026") is None
    assert lifecycle.nir_key_ok("188053306300117")
