"""Who may reach each document route: owner, parent, other citizen, professional with or
without care relation, blocked professional, mediator with or without the scope, anonymous."""

import datetime as dt

import pytest

from tests.helpers import give_mandate, make_child, make_space, make_user, sign_in_on
from tests.test_documents_views import make_document
from webapp.models.audit import AccessLog
from webapp.models.spaces import Block, CareRelation

READ_ROUTES = ["/documents/{id}", "/documents/{id}/ouvrir", "/documents/{id}/telecharger"]
MANAGE_GETS = ["/documents/{id}/modifier", "/documents/{id}/supprimer"]
POSTS = ["/documents/{id}/masquer", "/documents/{id}/supprimer", "/documents/{id}/modifier"]


@pytest.fixture
def world(db):
    owner = make_user(first_name="Camille", last_name="Martin")
    space = make_space(owner)
    doc = make_document(space, title="Bilan sanguin")
    hidden = make_document(space, title="Document masqué")
    hidden.hidden = True
    hidden.save()
    return dict(owner=owner, space=space, doc=doc, hidden=hidden)


def _as(client, user, space=None):
    client._cookies.clear()  # a new browser
    if space is None:
        client.sign_in(user.email)
    else:
        sign_in_on(client, user, space)


def _statuses(client, routes, doc):
    return [client.get(r.format(id=doc.id)).status_code for r in routes]


def test_owner_reaches_everything(client, world):
    _as(client, world["owner"])
    assert _statuses(client, READ_ROUTES + MANAGE_GETS, world["doc"]) == [200] * 5
    assert _statuses(client, READ_ROUTES, world["hidden"]) == [200] * 3


def test_other_citizen_gets_404(client, world):
    other = make_user()
    make_space(other)
    _as(client, other, world["space"])  # even forcing the space in the session
    assert _statuses(client, READ_ROUTES + MANAGE_GETS, world["doc"]) == [404] * 5
    for url in POSTS:
        assert client.submit(url.format(id=world["doc"].id)).status_code == 404
    assert not world["doc"].__class__.get_by_id(world["doc"].id).hidden


def test_anonymous_is_sent_to_sign_in(client, world):
    for url in READ_ROUTES + MANAGE_GETS + ["/documents", "/documents/ajouter"]:
        r = client.get(url.format(id=world["doc"].id))
        assert r.status_code == 302 and "/connexion" in r.headers["Location"], url


def test_professional_with_care_relation_reads_non_hidden_documents(client, world):
    pro = make_user(role="professional")
    CareRelation.create(professional=pro, space=world["space"])
    _as(client, pro, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [200] * 3
    assert _statuses(client, READ_ROUTES, world["hidden"]) == [404] * 3
    _, page = client.page("/documents")
    assert "Bilan sanguin" in page.text and "Document masqué" not in page.text
    assert _statuses(client, MANAGE_GETS, world["doc"]) == [404, 404]
    assert client.submit(f"/documents/{world['doc'].id}/masquer").status_code == 404
    entry = AccessLog.select().where(
        AccessLog.target == f"document:{world['doc'].id}:view").get()
    assert entry.capacity == "professional" and entry.actor_id == pro.id


def test_professional_without_care_relation_or_blocked_gets_404(client, world):
    stranger = make_user(role="professional")
    _as(client, stranger, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [404] * 3
    assert client.get("/documents").status_code == 404
    blocked = make_user(role="professional")
    CareRelation.create(professional=blocked, space=world["space"])
    Block.create(professional=blocked, space=world["space"])
    _as(client, blocked, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [404] * 3
    assert client.get("/documents").status_code == 404


def _mandate(mediator, space, scopes):
    return give_mandate(mediator, space, scopes)


def test_mediator_needs_the_documents_scope(client, world):
    with_scope = make_user(role="mediator")
    _mandate(with_scope, world["space"], "documents.read")
    _as(client, with_scope, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [200] * 3
    assert client.get("/documents/ajouter").status_code == 404  # no documents.add
    assert _statuses(client, MANAGE_GETS, world["doc"]) == [404, 404]
    without = make_user(role="mediator")
    _mandate(without, world["space"], "agenda.read")
    _as(client, without, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [404] * 3


def test_parent_manages_child_documents_but_not_confidential_ones(client, db):
    parent = make_user(first_name="Camille")
    make_space(parent)
    child = make_child(parent, dt.date(2018, 12, 3), first_name="Léo")
    doc = make_document(child, title="Carnet de vaccination")
    secret = make_document(child, title="Consultation confidentielle")
    secret.confidential = True
    secret.save()
    client.sign_in(parent.email)
    client.submit("/espace/choisir", {"space": child.id})
    _, page = client.page("/documents")
    assert "Léo" in page.find("h1").text
    assert "Carnet de vaccination" in page.text and "Consultation confidentielle" not in page.text
    assert _statuses(client, READ_ROUTES, doc) == [200] * 3
    assert _statuses(client, READ_ROUTES, secret) == [404] * 3
    assert client.submit(f"/documents/{doc.id}/masquer").status_code == 303
