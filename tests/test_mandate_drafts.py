"""The mandate wizard's draft: named in every step's address, only for the mediator who
started it, good for one hour, never in the session; two drafts in two tabs for two
people never mix."""

import datetime as dt

import pytest

from tests.helpers import make_user
from tests.test_mandate_support import (
    citizen_with_space,
    confirm,
    consent_by_code,
    start_draft,
    walk_to_consent,
)
from webapp.db import utcnow
from webapp.models.mandates import ConsentCode, Mandate, MandateDraft


@pytest.fixture
def people(db, client):
    citizen, space = citizen_with_space()
    mediator = make_user("mediator")
    client.sign_in(mediator.email)
    return dict(citizen=citizen, space=space, mediator=mediator)


def test_a_draft_is_only_for_the_mediator_who_started_it(app, client, people):
    draft = walk_to_consent(client, people["space"])
    other = app.test_client()
    other.sign_in(make_user("mediator").email)
    for step in ("/rubriques", "/duree", "/conditions", "/accord", "/confirmation",
                 "/personne"):
        assert other.get(draft + step).status_code == 404, step
    assert other.submit(f"{draft}/accord", {"action": "send"}).status_code == 404
    assert other.submit(f"{draft}/annuler").status_code == 404
    assert not ConsentCode.select().exists()
    assert client.get(f"{draft}/accord").status_code == 200  # still the owner's
    assert client.get("/mandats/nouveau/pas-un-brouillon/rubriques").status_code == 404
    citizen = app.test_client()
    citizen.sign_in(people["citizen"].email)
    assert citizen.get(f"{draft}/accord").status_code == 404


def test_a_draft_expires_after_an_hour(client, people):
    draft = walk_to_consent(client, people["space"])
    MandateDraft.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    r = client.get(f"{draft}/accord", follow_redirects=True)
    assert r.request.path == "/mandats/nouveau/personne" and "une heure" in r.text
    assert not MandateDraft.select().exists()


def test_cancelling_discards_the_draft(client, people):
    draft = walk_to_consent(client, people["space"])
    r = client.submit(f"{draft}/annuler")
    assert r.status_code == 303
    assert not MandateDraft.select().exists() and not Mandate.select().exists()
    assert client.get(f"{draft}/accord").status_code == 404


def _session_is_clean(client, *spaces):
    with client.session_transaction() as s:
        state = dict(s)
    assert not [k for k in state if "wizard" in k or "space" in k or "mandat" in k], state
    for space in spaces:
        assert space.ref not in repr(state) and space.nir not in repr(state), state


def test_no_wizard_state_in_the_session(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    draft = start_draft(client, space)
    _session_is_clean(client, space)
    for step, data in (("rubriques", {"scopes": ["agenda.read"]}), ("duree", {"duration": "day"}),
                       ("conditions", {"read": "y"})):
        assert client.submit(f"{draft}/{step}", data).status_code == 303
        _session_is_clean(client, space)
    consent_by_code(client, draft, citizen)
    _session_is_clean(client, space)
    assert confirm(client, draft, mediator).status_code == 303
    _session_is_clean(client, space)
    assert Mandate.get().scope_set == {"agenda.read"}


def test_two_drafts_in_two_tabs_never_mix(client, people):
    mediator = people["mediator"]
    camille, camille_space = people["citizen"], people["space"]
    jean, jean_space = citizen_with_space(first_name="Jean", last_name="Dupont")
    for_camille = start_draft(client, camille_space)  # tab 1
    for_jean = walk_to_consent(client, jean_space, scopes=("agenda.read", "agenda.write"),
                               duration="day")  # tab 2
    client.submit(f"{for_camille}/rubriques", {"scopes": ["documents.read"]})
    client.submit(f"{for_camille}/duree", {"duration": "month"})
    client.submit(f"{for_camille}/conditions", {"read": "y"})
    _r, doc = client.page(f"{for_jean}/accord")
    assert doc.find("a", class_="back-link").get("href") == f"{for_jean}/conditions"
    consent_by_code(client, for_jean, jean)
    _r, doc = client.page(f"{for_jean}/confirmation")
    main = doc.find("main").text
    assert jean_space.display_name in main and camille_space.display_name not in main
    assert confirm(client, for_jean, mediator).status_code == 303
    consent_by_code(client, for_camille, camille)
    assert confirm(client, for_camille, mediator).status_code == 303
    mandates = {m.space_id: m for m in Mandate.select()}
    assert set(mandates) == {camille_space.id, jean_space.id}
    assert mandates[jean_space.id].scope_set == {"agenda.read", "agenda.write"}
    assert mandates[jean_space.id].duration == "day"
    assert mandates[camille_space.id].scope_set == {"documents.read"}
    assert mandates[camille_space.id].duration == "month"
    assert not MandateDraft.select().exists()  # each draft went with its mandate
