"""Blocking a professional asks for confirmation and says what it changes: a page of its
own without JavaScript, the same confirmation in place with htmx; then the block."""

import pytest

from tests.helpers import make_space, make_user, parse, space_path
from webapp.models.spaces import Block, CareRelation


@pytest.fixture
def world(db, client):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional", first_name="Paul", last_name="Bernard")
    CareRelation.create(professional=pro, space=space)
    client.sign_in(owner.email)
    pros = space_path(space, "/confidentialite/professionnels")
    return dict(space=space, pro=pro, pros=pros, block=f"{pros}/{pro.id}/bloquer")


def test_the_list_asks_before_blocking(client, world):
    _r, doc = client.page(world["pros"])
    item = doc.by_id(f"pro-{world['pro'].id}")
    form = item.find("form")
    assert form.get("method") == "get" and form.get("action") == world["block"]
    assert form.get("hx-get") == world["block"]
    assert form.get("hx-target") == f"#pro-{world['pro'].id}"
    assert "Bloquer Paul BERNARD" in form.find("button").text


def test_confirmation_page_without_javascript_says_what_changes(client, world):
    _r, doc = client.page(world["block"])
    assert doc.find("h1").text == "Bloquer Paul BERNARD ?"
    main = doc.find("main").text
    assert "ne peut plus consulter vos documents" in main
    assert "accès en urgence" in main and "restent dans votre espace" in main
    assert not Block.select().exists()  # nothing changes before the confirmation
    form = doc.find("main").find("form", method="post")
    assert form.get("action") == world["block"]
    assert form.find("button").text == "Oui, bloquer Paul BERNARD"
    cancel = doc.find("main").find("a", href=f"{world['pros']}?focus={world['pro'].id}")
    assert cancel is not None and "Annuler" in cancel.text
    response = client.submit(world["block"])
    assert response.status_code == 303
    assert Block.select().where(Block.professional == world["pro"]).exists()


def test_with_htmx_the_confirmation_replaces_the_person_in_place(client, world):
    _r, doc = client.page(world["block"], fragment=True)
    item = doc.find("li")
    assert doc.find("h1") is None and item.get("id") == f"pro-{world['pro'].id}"
    heading = item.find("h2")
    assert heading.text == "Bloquer Paul BERNARD ?" and "data-focus-on-load" in heading.attrs
    form = item.find("form", method="post")
    assert form.get("hx-post") == world["block"] and form.get("hx-target") == "#professionals"
    response = client.submit(world["block"], headers={"HX-Request": "true"})
    assert "est bloqué" in parse(response.text).by_id("live").text


def test_cancelling_brings_the_focus_back_to_the_person(client, world):
    _r, doc = client.page(f"{world['pros']}?focus={world['pro'].id}", fragment=True)
    heading = doc.by_id(f"pro-{world['pro'].id}").find("h2")
    assert "data-focus-on-load" in heading.attrs
    assert not Block.select().exists()


def test_no_confirmation_page_for_an_unrelated_professional(client, world):
    stranger = make_user("professional")
    client.page(f"{world['pros']}/{stranger.id}/bloquer", status=404)
