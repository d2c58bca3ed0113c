"""Life cycle of a space: NIR key, objection deadline, closing, reopening, purge, and a
legal representative's rights ending on the child's 18th birthday (fixed clock)."""

import datetime as dt

import pytest

from tests.helpers import make_child, make_space, make_user
from webapp import lifecycle, policy
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.audit import AccessLog
from webapp.models.mandates import Mandate
from webapp.models.privacy import Closure, Objection
from webapp.models.spaces import Space
from webapp.policy import Scope


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
    AccessLog.append(space=space, actor=None, capacity="system", action="x", allowed=True)
    pro = make_user("professional")
    Mandate.create(space=space, holder=make_user("mediator"), kind="mediator",
                   scopes="documents.read", ends_at=utcnow() + dt.timedelta(days=1))
    from webapp.models.spaces import CareRelation
    CareRelation.create(professional=pro, space=space)
    proof = lifecycle.object_to(space)
    assert Space.get_by_id(space.id).state == "objected"
    assert AccessLog.select().where(AccessLog.space == space).count() == 0
    assert Mandate.select().count() == 0 and CareRelation.select().count() == 0
    assert Objection.get(Objection.space == space).reference == proof.reference
    assert policy.grant_for(pro, space) is None


def test_close_then_reopen_within_archive_period(db):
    owner = make_user()
    space = make_space(owner)
    closure = lifecycle.close(space, by=owner)
    assert closure.purge_after - closure.closed_at == lifecycle.ARCHIVE_PERIOD
    assert policy.grant_for(owner, space) is None
    assert lifecycle.can_reopen(space)
    assert not lifecycle.can_reopen(space, utcnow() + dt.timedelta(days=3654))
    lifecycle.reopen(space)
    assert Space.get_by_id(space.id).state == "active"
    assert policy.grant_for(owner, space).capacity == "owner"


def test_purge_expired_deletes_only_what_is_due(db):
    kept_owner, gone_owner, asked_owner = make_user(), make_user(), make_user()
    kept, gone, asked = make_space(kept_owner), make_space(gone_owner), make_space(asked_owner)
    lifecycle.close(kept, by=kept_owner)
    lifecycle.close(gone, by=gone_owner, now=utcnow() - dt.timedelta(days=3654))
    lifecycle.close(asked, by=asked_owner, delete_soon=True)
    AccessLog.append(space=gone, actor=gone_owner, capacity="owner", action="x", allowed=True)
    assert not lifecycle.can_reopen(asked)  # deletion asked: no reopening
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
    from webapp.security import hash_password

    child = make_space(birth_date=dt.date(2008, 11, 23), state="active",
                       activation_code_hash=hash_password("LEA-2026"))
    assert lifecycle.activation_problem(child, "LEA-2026", now=dt.datetime(2026, 11, 22)) \
        == "minor"
    assert lifecycle.activation_problem(child, "LEA-2026", now=dt.datetime(2026, 11, 23, 12)) \
        is None


def test_deleting_a_space_removes_its_files_but_not_shared_ones(app, db):
    import io

    from webapp import storage
    from webapp.models.documents import add_document

    mine, other = make_space(notified_at=utcnow()), make_space(make_user())
    only_mine = storage.store(io.BytesIO(b"%PDF-1.4 seulement a moi"))
    shared = storage.store(io.BytesIO(b"%PDF-1.4 partage"))
    for space, (digest, size, mime) in ((mine, only_mine), (mine, shared), (other, shared)):
        add_document(space, title="t", category="CR", document_date=dt.date(2026, 1, 1),
                     sha256=digest, size=size, mime=mime, filename="t.pdf")
    lifecycle.object_to(mine)
    assert not storage.exists(only_mine[0])
    assert storage.exists(shared[0])


def test_privacy_seed_is_idempotent(demo):
    from webapp import seed
    from webapp.models.privacy import EmergencySettings

    counts = (Space.select().count(), User.select().count(), AccessLog.select().count(),
              EmergencySettings.select().count())
    seed.run()
    assert (Space.select().count(), User.select().count(), AccessLog.select().count(),
            EmergencySettings.select().count()) == counts
    assert lifecycle.activation_problem(Space.get(Space.nir == "290076912345669"),
                                        "EMMA-2026") is None
    assert lifecycle.nir_key_ok("188053306300117")
