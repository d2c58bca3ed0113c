"""Per-route access of the assisted-access routes that take parameters: the owner,
another citizen, a professional, the mediator with and without the mandate, anonymous."""

import pytest

from tests.helpers import logged, make_user, space_path
from tests.test_mandate_support import citizen_with_space, mandate_for
from webapp import policy
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.mandates import Attestation, Mandate
from webapp.models.spaces import CareRelation


@pytest.fixture
def world(db):
    owner, space = citizen_with_space()
    mediator = make_user("mediator")
    mandate = mandate_for(mediator, space, ["documents.read"], duration="month")
    Attestation.create(mandate=mandate, consent_method="code", citizen_name=space.display_name,
                       holder_name=mediator.display_name, office_name=mediator.office.name)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    return dict(owner=owner, space=space, mediator=mediator, mandate=mandate, pro=pro,
                other=citizen_with_space()[0], other_mediator=make_user("mediator"))


CASES = {  # who -> may see the attestation
    "owner": True, "mediator": True, "other": False, "pro": False, "other_mediator": False,
}


def _attestation_urls(who, world):
    """The mediators' address of the attestation, and the one in the citizen's space."""
    ref = world["mandate"].reference
    in_space = space_path(world["space"], f"/parametres/mandats/{ref}/attestation")
    return [in_space] if who in ("owner", "other", "pro") else [f"/mandats/{ref}/attestation"]


@pytest.mark.parametrize("who", list(CASES))
def test_attestation_access(client, world, who):
    client.sign_in(world[who].email)
    status = 200 if CASES[who] else 404
    for url in _attestation_urls(who, world):
        client.page(url, status=status)
        assert client.get(url + ".pdf").status_code == status
    if who != "owner":  # nobody reaches the citizen's copy but its holders
        url = space_path(world["space"], f"/parametres/mandats/{world['mandate'].reference}"
                                         "/attestation")
        assert client.get(url).status_code == 404
    if who == "owner":  # nor the mediators' copy
        assert client.get(f"/mandats/{world['mandate'].reference}/attestation").status_code \
            == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    ref = world["mandate"].reference
    mine = space_path(world["space"], "/parametres/mandats")
    for url in (f"/mandats/{ref}/attestation", mine, f"{mine}/{ref}/fin",
                f"{mine}/{ref}/attestation", "/aidant", "/mandats/nouveau/personne",
                "/mandats/nouveau/unbrouillon/rubriques", "/structure"):
        r = client.get(url)
        assert r.status_code == 302 and "/connexion" in r.headers["Location"], url


@pytest.mark.parametrize("who", ["other", "pro", "mediator"])
def test_only_the_holder_revokes(client, world, who):
    client.sign_in(world[who].email)
    url = space_path(world["space"], f"/parametres/mandats/{world['mandate'].reference}/fin")
    assert client.get(url).status_code == 404
    assert client.submit(url).status_code == 404
    assert Mandate.get_by_id(world["mandate"].id).state() == "active"


def test_owner_revokes_from_settings(client, world):
    client.sign_in(world["owner"].email)
    mine = space_path(world["space"], "/parametres/mandats")
    _r, doc = client.page(space_path(world["space"], "/parametres"))
    assert doc.find("a", href=mine) is not None
    _r, doc = client.page(mine)
    assert world["mediator"].display_name in doc.find("main").text
    ref = world["mandate"].reference
    assert doc.find("a", href=f"{mine}/{ref}/attestation") is not None
    _r, doc = client.page(f"{mine}/{ref}/fin")
    assert doc.find("form", action=f"{mine}/{ref}/fin") is not None
    assert client.submit(f"{mine}/{ref}/fin").status_code == 303
    assert Mandate.get_by_id(world["mandate"].id).state() == "revoked"
    entry = AccessLog.get(AccessLog.action == "mandate.revoke")
    assert entry.capacity == "owner" and entry.mandate_ref == ref
    assert logged(world["mandate"], action="mandate.revoke").count() == 1
    _r, doc = client.page(mine)
    assert "Mandats terminés" in doc.text


@pytest.mark.parametrize("who", ["owner", "pro", "other_mediator"])
def test_only_the_holder_of_a_mandate_starts_a_session(client, world, who):
    client.sign_in(world[who].email)
    r = client.submit(f"/assistance/{world['mandate'].reference}/ouvrir")
    assert r.status_code == 404


def test_expired_mandate_cannot_start_a_session(client, world):
    world["mandate"].ends_at = utcnow()
    world["mandate"].save()
    client.sign_in(world["mediator"].email)
    assert client.submit(f"/assistance/{world['mandate'].reference}/ouvrir").status_code == 404


def test_wizard_is_for_mediators_only(client, world):
    client.sign_in(world["owner"].email)
    for url in ("/mandats/nouveau", "/mandats/nouveau/personne",
                "/mandats/nouveau/unbrouillon/accord"):
        assert client.get(url).status_code == 404


def test_demo_seed(client, demo):
    from webapp.models.assistance import CaregiverInvitation

    amina, camille, jean = (demo.users[k] for k in ("amina", "camille", "jean"))
    held = list(Mandate.select().where(Mandate.holder == amina))
    states = sorted((m.space_id, m.state()) for m in held)
    assert states.count((demo.spaces["jean"].id, "active")) == 1
    assert (demo.spaces["jean"].id, "expired") in states
    assert (demo.spaces["camille"].id, "active") in states
    jean_active = next(m for m in held if m.space_id == demo.spaces["jean"].id
                       and m.state() == "active")
    assert {"documents.read", "agenda.read"} <= jean_active.scope_set
    assert jean_active.duration == "month"
    invitation = CaregiverInvitation.get(CaregiverInvitation.email == jean.email)
    assert invitation.invited_by_id == camille.id and invitation.state() == "pending"
    assert policy.attestation_by_code("DEMO-CAMI-2026") is not None
    from webapp import seed

    seed.run()  # idempotent
    assert Mandate.select().where(Mandate.holder == amina).count() == len(held)
