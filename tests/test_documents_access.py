"""Who may reach each document route: owner, parent, other citizen, professional with or
without care relation, blocked professional, mediator with or without the scope, anonymous;
and ids that name no document the person may see."""

import datetime as dt

import pytest

from tests.helpers import (
    give_mandate,
    logged,
    make_child,
    make_document,
    make_space,
    make_user,
    sign_in_on,
    space_path,
)
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.spaces import Block, CareRelation

READ_ROUTES = ["/documents/{id}", "/documents/{id}/ouvrir", "/documents/{id}/telecharger"]
MANAGE_GETS = ["/documents/{id}/modifier", "/documents/{id}/supprimer"]
POSTS = ["/documents/{id}/masquer", "/documents/{id}/supprimer", "/documents/{id}/modifier"]
EDIT = {"title": "Changé", "document_date": "2026-01-05", "category": "DOC_ADM"}


@pytest.fixture
def world(db):
    owner = make_user(first_name="Camille", last_name="Martin")
    space = make_space(owner)
    doc = make_document(space, title="Bilan sanguin")
    hidden = make_document(space, title="Document masqué", hidden=True)
    return dict(owner=owner, space=space, doc=doc, hidden=hidden)


def _as(client, user, space=None):
    client._cookies.clear()  # a new browser
    if space is None:
        client.sign_in(user.email)
    else:
        sign_in_on(client, user, space)


def _url(space, route, ident):
    return space_path(space, route.format(id=ident))


def _statuses(client, routes, doc, space=None):
    return [client.get(_url(space or doc.space, r, doc.id)).status_code for r in routes]


def test_owner_reaches_everything(client, world):
    _as(client, world["owner"])
    assert _statuses(client, READ_ROUTES + MANAGE_GETS, world["doc"]) == [200] * 5
    assert _statuses(client, READ_ROUTES, world["hidden"]) == [200] * 3


def test_other_citizen_gets_404(client, world):
    other = make_user()
    own = make_space(other)
    _as(client, other, world["space"])  # the address names Camille's space
    assert _statuses(client, READ_ROUTES + MANAGE_GETS, world["doc"]) == [404] * 5
    for url in POSTS:
        assert client.submit(_url(world["space"], url, world["doc"].id),
                             EDIT).status_code == 404
    # her own space's address with Camille's document id: not found either
    assert _statuses(client, READ_ROUTES + MANAGE_GETS, world["doc"], own) == [404] * 5
    for url in POSTS:
        assert client.submit(_url(own, url, world["doc"].id), EDIT).status_code == 404
    doc = Document.get_by_id(world["doc"].id)
    assert (doc.hidden, doc.title) == (False, "Bilan sanguin")
    assert Document.select().count() == 2
    assert not AccessLog.select().where((AccessLog.space == world["space"])
                                        & AccessLog.allowed).exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    for url in READ_ROUTES + MANAGE_GETS + ["/documents", "/documents/ajouter"]:
        r = client.get(_url(world["space"], url, world["doc"].id))
        assert r.status_code == 302 and "/connexion" in r.headers["Location"], url


def test_professional_with_care_relation_reads_non_hidden_documents(client, world):
    pro = make_user(role="professional")
    CareRelation.create(professional=pro, space=world["space"])
    _as(client, pro, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [200] * 3
    assert _statuses(client, READ_ROUTES, world["hidden"]) == [404] * 3
    _, page = client.page(space_path(world["space"], "/documents"))
    assert "Bilan sanguin" in page.text and "Document masqué" not in page.text
    assert _statuses(client, MANAGE_GETS, world["doc"]) == [404, 404]
    assert client.submit(_url(world["space"], POSTS[0], world["doc"].id)).status_code == 404
    entry = logged(world["doc"], "view").get()
    assert entry.capacity == "professional" and entry.actor_id == pro.id


def test_professional_without_care_relation_or_blocked_gets_404(client, world):
    listing = space_path(world["space"], "/documents")
    stranger = make_user(role="professional")
    _as(client, stranger, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [404] * 3
    assert client.get(listing).status_code == 404
    blocked = make_user(role="professional")
    CareRelation.create(professional=blocked, space=world["space"])
    Block.create(professional=blocked, space=world["space"])
    _as(client, blocked, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [404] * 3
    assert client.get(listing).status_code == 404


def test_mediator_needs_the_documents_scope(client, world):
    with_scope = make_user(role="mediator")
    give_mandate(with_scope, world["space"], "documents.read")
    _as(client, with_scope, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [200] * 3
    # no documents.add
    assert client.get(space_path(world["space"], "/documents/ajouter")).status_code == 404
    assert _statuses(client, MANAGE_GETS, world["doc"]) == [404, 404]
    without = make_user(role="mediator")
    give_mandate(without, world["space"], "agenda.read")
    _as(client, without, world["space"])
    assert _statuses(client, READ_ROUTES, world["doc"]) == [404] * 3


def test_parent_manages_child_documents_but_not_confidential_ones(client, db):
    parent = make_user(first_name="Camille")
    make_space(parent)
    child = make_child(parent, dt.date(2018, 12, 3), first_name="Léo")
    doc = make_document(child, title="Carnet de vaccination")
    secret = make_document(child, title="Consultation confidentielle", confidential=True)
    client.sign_in(parent.email)
    _, page = client.page(space_path(child, "/documents"))
    assert "Léo" in page.find("h1").text
    assert "Carnet de vaccination" in page.text and "Consultation confidentielle" not in page.text
    assert _statuses(client, READ_ROUTES, doc) == [200] * 3
    assert _statuses(client, READ_ROUTES, secret) == [404] * 3
    assert client.submit(_url(child, POSTS[0], doc.id)).status_code == 303


@pytest.fixture
def unreachable(client, db):
    """(client signed in, space in the address, document id) for each id that names no
    document the person may see: another space's, hidden, confidential, too big, a word."""
    camille = make_user(first_name="Camille")
    own = make_space(camille)
    child = make_child(camille, dt.date(2014, 5, 1), first_name="Léo")
    other = make_document(make_space(make_user()), title="Autre espace")
    secret = make_document(child, title="Confidentiel", confidential=True)
    mine = make_document(own, title="Le mien")
    hidden = make_document(own, title="Masqué", hidden=True)
    pro = make_user(role="professional")
    CareRelation.create(professional=pro, space=own)

    def case(name):
        client._cookies.clear()
        if name == "hidden":
            client.sign_in(pro.email)
            return own, hidden.id
        client.sign_in(camille.email)
        return {"other-space": (own, other.id), "confidential": (child, secret.id),
                "beyond-64-bits": (own, 2 ** 70), "not-a-number": (own, "abc"),
                "zero": (own, 0)}[name]

    case.documents = (other, secret, mine, hidden)
    return case


CASES = ["other-space", "hidden", "confidential", "beyond-64-bits", "not-a-number", "zero"]


@pytest.mark.parametrize("name", CASES)
def test_ids_of_documents_one_may_not_see_answer_404(client, unreachable, name):
    space, ident = unreachable(name)
    for route in READ_ROUTES + MANAGE_GETS:
        assert client.get(_url(space, route, ident)).status_code == 404, route
    for route in POSTS:
        assert client.submit(_url(space, route, ident), EDIT).status_code == 404, route
    for doc in unreachable.documents:
        after = Document.get_by_id(doc.id)
        assert (after.title, after.hidden) == (doc.title, doc.hidden)
