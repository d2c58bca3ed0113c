"""The office's changes are actions (webapp.assist.office): deactivating a mediator ends
their mandates for good, in each citizen's history; the signals go after commit; the
views only validate and call them; the wizard's lookup is the policy's decision."""

import datetime as dt
import pathlib
import re
from contextlib import contextmanager

import pytest

from tests.helpers import logged, make_user, space_path, totp_now
from tests.test_mandate_support import citizen_with_space, mandate_for
from webapp import policy, signals
from webapp.assist import office as office_actions
from webapp.db import database, utcnow
from webapp.models.accounts import User
from webapp.models.assistance import MediatorInvitation
from webapp.models.mandates import Mandate
from webapp.models.notifications import Outbox

WEBAPP = pathlib.Path(__file__).resolve().parent.parent / "webapp"


@pytest.fixture
def office(db):
    manager = make_user("mediator", is_office_manager=True)
    colleague = make_user("mediator", office=manager.office)
    return dict(manager=manager, colleague=colleague, office=manager.office)


@contextmanager
def received(*watched):
    """(signal name, sender, in a transaction?) of each of these signals sent meanwhile."""
    seen = []
    receivers = [(signal, lambda sender, _s=signal, **kw: seen.append(
        (_s.name, sender, database.in_transaction()))) for signal in watched]
    for signal, receiver in receivers:
        signal.connect(receiver)
    try:
        yield seen
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)


def _status(client, member, action):
    return client.submit(f"/structure/mediateurs/{member.id}/statut", {"action": action})


def test_a_deactivated_mediators_mandates_end_for_good(client, office):
    citizen, space = citizen_with_space()
    mandate = mandate_for(office["colleague"], space, ["documents.read"], duration="month")
    client.sign_in(office["manager"].email)
    with received(signals.member_deactivated, signals.mandate_ended) as seen:
        assert _status(client, office["colleague"], "deactivate").status_code == 303
    assert [(name, tx) for name, _sender, tx in seen] == [
        ("mandate-ended", False), ("member-deactivated", False)]
    assert Mandate.get_by_id(mandate.id).state() == "revoked"
    entry = logged(target=mandate, action="mandate.end", space=space.id).get()
    assert entry.actor_id == office["manager"].id and entry.office_name == office["office"].name
    assert Outbox.select().where((Outbox.recipient == citizen)
                                 & (Outbox.template == "mandate_ended")).exists()
    with received(signals.member_reactivated) as seen:
        _status(client, office["colleague"], "reactivate")
    assert [(name, sender.id, tx) for name, sender, tx in seen] == [
        ("member-reactivated", office["colleague"].id, False)]
    colleague = User.get_by_id(office["colleague"].id)
    assert colleague.active and policy.grant_for(colleague, space) is None
    assert Mandate.get_by_id(mandate.id).state() == "revoked"
    client.submit("/deconnexion")
    client.sign_in(citizen.email)
    _r, doc = client.page(space_path(space, "/historique"))
    assert "Fin d'un mandat" in doc.find("main").text


def test_mandates_left_by_an_older_deactivation_end_at_reactivation(client, office):
    """Before deactivating ended them, a deactivated mediator kept mandates in force."""
    citizen, space = citizen_with_space()
    mandate = mandate_for(office["colleague"], space, ["documents.read"], duration="month")
    User.update(active=False).where(User.id == office["colleague"].id).execute()  # as then
    client.sign_in(office["manager"].email)
    with received(signals.mandate_ended) as seen:
        assert _status(client, office["colleague"], "reactivate").status_code == 303
    assert [(name, sender.id, tx) for name, sender, tx in seen] == [
        ("mandate-ended", mandate.id, False)]
    assert policy.grant_for(User.get_by_id(office["colleague"].id), space) is None
    assert logged(target=mandate, action="mandate.end", space=space.id).count() == 1
    assert Outbox.select().where((Outbox.recipient == citizen)
                                 & (Outbox.template == "mandate_ended")).exists()


def test_deactivating_in_a_transaction_that_fails_tells_nobody(office):
    _citizen, space = citizen_with_space()
    mandate_for(office["colleague"], space, ["documents.read"])
    with received(signals.member_deactivated, signals.mandate_ended) as seen:
        with pytest.raises(RuntimeError), database.atomic():
            office_actions.deactivate_member(office["colleague"], office["manager"])
            raise RuntimeError("rolled back")
    assert seen == [] and User.get_by_id(office["colleague"].id).active


def test_the_set_up_sends_member_set_up_once_done(client, office):
    client.sign_in(office["manager"].email)
    with received(signals.mediator_invited) as seen:
        client.submit("/structure", {"first_name": "Karim", "last_name": "Leroy",
                                     "email": "karim.leroy@example.org"})
    invited = User.by_email("karim.leroy@example.org")
    assert [(name, sender.id, tx) for name, sender, tx in seen] == [
        ("mediator-invited", invited.id, False)]
    notice = Outbox.get((Outbox.recipient == invited)
                        & (Outbox.template == "mediator_invitation"))
    token = re.search(r"/structure/invitation/([^/]+)$", notice.link).group(1)
    client.submit("/deconnexion")
    with received(signals.member_set_up) as seen:
        client.submit(f"/structure/invitation/{token}", {"password": "un-mot-de-passe-long"})
        assert seen == []  # the password alone does not make the account ready
        secret = User.get_by_id(invited.id).totp_secret
        r = client.submit("/structure/invitation/application", {"code": totp_now(secret)})
    assert r.status_code == 303
    assert [(name, sender.id, tx) for name, sender, tx in seen] == [
        ("member-set-up", invited.id, False)]


def test_finishing_a_set_up_twice_counts_once(office):
    invited = office_actions.invite_mediator(office["office"], office["manager"], "Lina",
                                             "Morel", "lina@example.org", link_for=str)
    invitation = MediatorInvitation.get(MediatorInvitation.user == invited)
    assert office_actions.choose_password(invitation, "un-mot-de-passe-long")
    assert not office_actions.choose_password(invitation, "un-autre-mot-de-passe")
    assert office_actions.finish_setup(invitation)
    assert not office_actions.finish_setup(invitation)


def test_the_wizard_finds_only_an_open_space_through_the_policy(db):
    _citizen, space = citizen_with_space()
    assert policy.space_for_mandate(space.nir, space.birth_date) == space
    assert policy.space_for_mandate(space.nir, space.birth_date + dt.timedelta(days=1)) is None
    space.state, space.closed_at = "closed", utcnow()
    space.save()
    assert policy.space_for_mandate(space.nir, space.birth_date) is None


def test_the_office_views_change_nothing_themselves():
    source = (WEBAPP / "views" / "mediator.py").read_text(encoding="utf-8")
    for pattern in (".save(", "transaction(", ".create(", ".update(", ".delete(",
                    "after_commit(", "signals."):
        assert pattern not in source, f"webapp/views/mediator.py has {pattern}"


def test_the_wizard_leaves_the_lookup_to_the_policy():
    source = (WEBAPP / "views" / "mandates.py").read_text(encoding="utf-8")
    assert "Space." not in source and "policy.space_for_mandate(" in source
