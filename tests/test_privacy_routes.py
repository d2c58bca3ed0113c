"""Routes of the privacy area that take an id, for every kind of visitor: the holder,
another citizen, a professional with and without a care relation, a mediator with and
without a mandate, anonymous."""

import datetime as dt

import pytest

from tests.helpers import make_space, make_user
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.mandates import Mandate
from webapp.models.privacy import ExportJob
from webapp.models.spaces import CareRelation

VISITORS = ["other_citizen", "pro_with_care", "pro_without_care", "mediator_with_mandate",
            "mediator_without_mandate"]


@pytest.fixture
def world(app, db):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    entry = AccessLog.append(space=space, actor=pro, actor_name="Dr X",
                             capacity="professional", action="documents.read", allowed=True)
    job = ExportJob.create(space=space, requested_by=owner, state="ready",
                           file_path=__file__, finished_at=utcnow(),
                           expires_at=utcnow() + dt.timedelta(days=1))
    urls = {
        "get": [f"/historique/{entry.id}/signaler", f"/compte/export/{job.id}/telecharger"],
        "post": [f"/historique/{entry.id}/signaler",
                 f"/confidentialite/professionnels/{pro.id}/bloquer",
                 f"/confidentialite/professionnels/{pro.id}/debloquer"],
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
        Mandate.create(space=world["space"], holder=user, office=user.office, kind="mediator",
                       scopes="documents.read settings.read settings.write privacy",
                       ends_at=utcnow() + dt.timedelta(hours=1))
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
        with client.session_transaction() as s:
            s["space_id"] = world["space"].id
        assert client.get(url).status_code == 404, (kind, url)
    for url in world["urls"]["post"]:
        with client.session_transaction() as s:
            s["space_id"] = world["space"].id
        assert client.submit(url).status_code == 404, (kind, url)


def test_anonymous_is_sent_to_sign_in(client, world):
    for url in world["urls"]["get"]:
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    for url in world["urls"]["post"]:
        response = client.submit(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
