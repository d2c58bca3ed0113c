"""The access policy: each role and owner, allowed or refused (as 404), always logged."""

import datetime as dt

import pytest
from werkzeug.exceptions import NotFound

from tests.helpers import give_mandate, make_child, make_space, make_user
from webapp import audit, policy
from webapp.access import Access
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.spaces import Block, CareRelation
from webapp.scopes import Capacity, Scope


@pytest.fixture
def world(db):
    owner = make_user()
    other = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    return dict(owner=owner, other=other, space=space, pro=pro,
                stranger_pro=make_user("professional"), mediator=make_user("mediator"),
                admin=make_user("admin"))


def _mandate(holder, space, kind, scopes, **dates):
    return give_mandate(holder, space, scopes, kind=kind, **dates)


def test_owner_has_everything(world):
    grant = policy.grant_for(world["owner"], world["space"])
    assert grant.capacity == "owner" and all(grant.allows(s) for s in Scope)


@pytest.mark.parametrize("who", ["other", "stranger_pro", "mediator", "admin"])
def test_strangers_have_nothing(world, who):
    assert policy.grant_for(world[who], world["space"]) is None


def test_professional_in_care_relation(world):
    grant = policy.grant_for(world["pro"], world["space"])
    assert grant.allows(Scope.DOCUMENTS_READ) and not grant.allows(Scope.PRIVACY)
    assert not grant.allows(Scope.SETTINGS_READ) and not grant.sees_hidden


def test_blocked_professional_has_nothing(world):
    Block.create(space=world["space"], professional=world["pro"])
    assert policy.grant_for(world["pro"], world["space"]) is None


def test_mediator_only_within_mandate_scopes_and_dates(world):
    m = world["mediator"]
    mandate = _mandate(m, world["space"], "mediator", ["documents.read", "privacy"])
    grant = policy.grant_for(m, world["space"])
    assert grant.allows(Scope.DOCUMENTS_READ)
    assert not grant.allows(Scope.PRIVACY)  # never grantable to a mediator
    assert not grant.allows(Scope.PROFILE_READ)
    assert grant.mandate_for(Scope.DOCUMENTS_READ) == mandate
    mandate.revoked_at = utcnow()
    mandate.save()
    assert policy.grant_for(m, world["space"]) is None


def test_expired_mandate_gives_nothing(world):
    _mandate(world["mediator"], world["space"], "mediator", ["documents.read"],
             ends_at=utcnow() - dt.timedelta(seconds=1))
    assert policy.grant_for(world["mediator"], world["space"]) is None


def test_caregiver_is_a_citizen_with_a_mandate(world):
    _mandate(world["other"], world["space"], "caregiver", ["documents.read", "settings.write"])
    grant = policy.grant_for(world["other"], world["space"])
    assert grant.capacity == "caregiver" and grant.allows(Scope.DOCUMENTS_READ)
    assert not grant.allows(Scope.SETTINGS_WRITE)


def test_guardian_until_the_eighteenth_birthday(world):
    parent = world["owner"]
    child = make_child(parent, dt.date(2010, 6, 15))
    assert policy.grant_for(parent, child, now=dt.datetime(2028, 6, 14, 12)).capacity == "guardian"
    assert policy.grant_for(parent, child, now=dt.datetime(2028, 6, 15, 12)) is None


def test_closed_space_is_reachable_by_nobody(world):
    world["space"].state = "closed"
    world["space"].save()
    assert policy.grant_for(world["owner"], world["space"]) is None


def _decide(user, space, scope):
    """One request's access: decide, then write its entry (as after_request does)."""
    access = Access.open(user, space.ref)
    try:
        access.require(scope)
    finally:
        access.flush()


def test_access_logs_allowed_and_refused(app, world):
    with app.test_request_context("/x"):
        _decide(world["owner"], world["space"], Scope.DOCUMENTS_READ)
        with pytest.raises(NotFound):
            _decide(world["other"], world["space"], Scope.DOCUMENTS_READ)
    entries = list(AccessLog.select().where(AccessLog.space == world["space"])
                   .order_by(AccessLog.sequence))
    assert [(e.actor_id, e.allowed, e.action) for e in entries] == [
        (world["owner"].id, True, "documents.read"), (world["other"].id, False, "documents.read")]
    assert audit.first_broken(world["space"]) is None


def test_log_is_append_only_chain(app, world):
    with app.test_request_context("/x"):
        for _ in range(3):
            _decide(world["owner"], world["space"], Scope.PROFILE_READ)
    second = AccessLog.select().where(AccessLog.space == world["space"]).order_by(
        AccessLog.sequence)[1]
    AccessLog.update(action="documents.read").where(AccessLog.id == second.id).execute()
    assert audit.first_broken(world["space"]).sequence == second.sequence


def test_unknown_space_reference_is_not_found_and_logs_nothing(app, world):
    with app.test_request_context("/x"):
        access = Access.open(world["owner"], "nosuchspace")
        with pytest.raises(NotFound):
            access.require(Scope.SPACE_VIEW)
        access.flush()
    assert AccessLog.select().count() == 0


def test_a_professional_sees_only_their_own_conversations(world):
    from webapp.models.messages import Conversation

    mine = Conversation.create(space=world["space"], professional=world["pro"], subject="a")
    other_pro = make_user("professional")
    Conversation.create(space=world["space"], professional=other_pro, subject="b")
    grant = policy.grant_for(world["pro"], world["space"])
    assert list(policy.visible(Conversation, grant)) == [mine]
    owner = policy.grant_for(world["owner"], world["space"])
    assert policy.visible(Conversation, owner).count() == 2


def test_representatives_see_no_log_entry_about_a_document_kept_from_them(app, db, today):
    from tests.helpers import make_document
    from webapp.models.audit import AccessLog

    parent = make_user()
    teen = make_child(parent, today.replace(year=today.year - 16))
    kept = make_document(teen, title="Consultation", confidential=True)
    shared = make_document(teen, title="Vaccins")
    with app.test_request_context("/x"):
        for doc in (kept, shared):
            audit.write(teen, action=Scope.DOCUMENTS_READ, capacity=Capacity.PROFESSIONAL,
                        target=doc, detail="download")
    grant = policy.grant_for(parent, teen)
    seen = {(e.target_kind, e.target_id) for e in policy.visible(AccessLog, grant)}
    assert ("document", shared.id) in seen and ("document", kept.id) not in seen
