"""Routes of the privacy area that take an id, for every kind of visitor: the holder,
another citizen, a professional with and without a care relation, a mediator with and
without a mandate, anonymous. The address names the space: nobody else gets anything
but 404, and nothing is written."""

import datetime as dt

import pytest

from tests.helpers import give_mandate, make_space, make_user, space_path
from webapp import audit
from webapp.audit import Action
from webapp.db import utcnow
from webapp.models.privacy import AccessReport, ExportJob
from webapp.models.spaces import Block, CareRelation
from webapp.scopes import Capacity

VISITORS = ["other_citizen", "pro_with_care", "pro_without_care", "mediator_with_mandate",
            "mediator_without_mandate"]


@pytest.fixture
def world(app, db):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    entry = audit.write(space, action=Action.DOCUMENTS_READ, capacity=Capacity.PROFESSIONAL,
                        actor=pro, actor_name="Dr X")
    job = ExportJob.create(space=space, requested_by=owner, state="ready",
                           file_path=__file__, finished_at=utcnow(),
                           expires_at=utcnow() + dt.timedelta(days=1))
    prefix = space_path(space, "")
    urls = {
        "get": [f"{prefix}/historique/{entry.id}/signaler",
                f"{prefix}/export/{job.id}/telecharger"],
        "post": [f"{prefix}/historique/{entry.id}/signaler",
                 f"{prefix}/confidentialite/professionnels/{pro.id}/bloquer",
                 f"{prefix}/confidentialite/professionnels/{pro.id}/debloquer"],
    }
    return dict(owner=owner, space=space, pro=pro, urls=urls)


def _visitor(kind, world):
    if kind == "other_citizen":
        user = make_user()
        make_space(user)
        return user
    if kind.startswith("pro"):
        user = make_user("professional")
        if kind == "pro_with_care":
            CareRelation.create(professional=user, space=world["space"])
        return user
    user = make_user("mediator")
    if kind == "mediator_with_mandate":
        give_mandate(user, world["space"], "documents.read settings.read settings.write privacy")
    return user


def test_the_holder_reaches_them(client, world):
    client.sign_in(world["owner"].email)
    for url in world["urls"]["get"]:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


@pytest.mark.parametrize("kind", VISITORS)
def test_everyone_else_gets_not_found(client, world, kind):
    user = _visitor(kind, world)
    client.sign_in(user.email)
    for url in world["urls"]["get"]:
        assert client.get(url).status_code == 404, (kind, url)
    for url in world["urls"]["post"]:
        assert client.submit(url).status_code == 404, (kind, url)
    assert not AccessReport.select().exists() and not Block.select().exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    for url in world["urls"]["get"]:
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    for url in world["urls"]["post"]:
        response = client.submit(url)
        assert response.status_code == 303 and "/connexion" in response.headers["Location"]


def test_ids_of_another_space_are_not_found_on_ones_own(client, world):
    """The holder of another space who puts this space's ids under their own address."""
    user = make_user()
    own = make_space(user)
    client.sign_in(user.email)
    for url in world["urls"]["get"] + world["urls"]["post"][:1]:
        url = url.replace(world["space"].ref, own.ref)
        assert client.get(url).status_code == 404, url
    assert not AccessReport.select().exists()
