"""Table-driven: every scope of a mandate × every route of a citizen's space (under
/espaces/<ref>/). Inside the scope the guard allows; outside it answers 404 and logs a
refusal. Routes of other areas are discovered from the URL map, so new pages are covered
as they land."""

import datetime as dt
import html

import pytest
from werkzeug.routing import IntegerConverter

from tests.helpers import make_user, space_path
from tests.test_mandate_support import citizen_with_space, mandate_for
from webapp import policy
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.scopes import CAREGIVER_SCOPES, MEDIATOR_GRANTABLE, Scope

DUMMY = {"int": "999999", "default": "x", "string": "x", "path": "x"}


def space_routes(app, space):
    """(scope, capacities, url, method, whether it may answer 404 once allowed: arguments
    other than the space) of each route guarded by a scope of the space, in this space."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        permission = getattr(view, "permission", "")
        if not permission.startswith("space:"):
            continue
        values = {}
        for name, converter in rule._converters.items():
            kind = type(converter).__name__.replace("Converter", "").lower()
            numeric = isinstance(converter, IntegerConverter)
            values[name] = DUMMY.get("int" if numeric else kind, "x")
        values["ref"] = space.ref
        url = rule.build(values, append_unknown=False)[1]
        method = "GET" if "GET" in rule.methods else "POST"
        has_args = bool(rule.arguments - {"ref"})
        found.append((permission[6:], view.capacities, url, method, has_args))
    return found


class _Crashed:
    """Stands for the response of another area's view that raised (its bug, reported by
    its own tests): the guard's decision, made before the view ran, is still checked."""

    status_code = None


def _request(client, url, method):
    try:
        if method == "GET":
            return client.get(url)
        return client.submit(url, {})
    except Exception as error:  # noqa: BLE001
        print(f"view raised after the guard: {method} {url}: {error!r}")
        return _Crashed()


def _last_decision(user):
    return (AccessLog.select().where(AccessLog.actor == user)
            .order_by(AccessLog.id.desc()).first())


def _start(client, mandate):
    r = client.submit(f"/assistance/{mandate.reference}/ouvrir")
    assert r.status_code == 303, r.text[:500]


def _check_table(app, client, user, mandate, scopes, grantable):
    # leaving is a page of the space too, but it ends the session it is asked in
    routes = [r for r in space_routes(app, mandate.space) if not r[2].endswith("/quitter")]
    assert len(routes) >= 3, routes
    checked = 0
    for held in scopes:
        mandate.scopes = str(held)
        mandate.save()
        _start(client, mandate)
        for scope, capacities, url, method, has_args in routes:
            before = _last_decision(user)
            response = _request(client, url, method)
            entry = _last_decision(user)
            expected = (scope == Scope.SPACE_VIEW or (scope == held and held in grantable)) \
                and (not capacities or mandate.kind in capacities)
            where = f"{method} {url} ({scope}) with mandate [{held}]: {response.status_code}"
            assert response.status_code != 500, where
            if response.status_code is None:
                client.get("/")  # the crashed request left no response; go on
                _start(client, mandate)
            assert entry is not None and entry.id != getattr(before, "id", None), \
                f"not logged: {where}"
            assert entry.action == scope and entry.allowed == expected, where
            if expected and scope != Scope.SPACE_VIEW:
                assert entry.mandate_ref == mandate.reference, where
                assert entry.actor_name == user.display_name, where
                assert entry.office_name == (user.office.name if user.office_id else ""), where
            if not expected:
                assert response.status_code == 404, where
            elif method == "GET" and not has_args and response.status_code:
                assert response.status_code in (200, 302, 303), where
            checked += 1
    return checked


@pytest.fixture
def citizen(db):
    return citizen_with_space()


def test_mediator_scope_by_route(app, client, citizen):
    _owner, space = citizen
    mediator = make_user("mediator")
    mandate = mandate_for(mediator, space, ["documents.read"])
    client.sign_in(mediator.email)
    every = sorted(MEDIATOR_GRANTABLE) + [Scope.PRIVACY, Scope.DOCUMENTS_MANAGE]
    assert _check_table(app, client, mediator, mandate, every, MEDIATOR_GRANTABLE) > 0
    # the refusals carry the mediator's office
    refused = AccessLog.select().where((AccessLog.actor == mediator) & ~AccessLog.allowed).first()
    assert refused.office_name == mediator.office.name and refused.capacity == "mediator"


def test_caregiver_scope_by_route(app, client, citizen):
    _owner, space = citizen
    helper = make_user("citizen")
    mandate = mandate_for(helper, space, ["documents.read"], kind="caregiver")
    client.sign_in(helper.email)
    every = sorted(CAREGIVER_SCOPES) + [Scope.SETTINGS_WRITE, Scope.PRIVACY]
    assert _check_table(app, client, helper, mandate, every, CAREGIVER_SCOPES) > 0


def test_mediator_never_reaches_privacy_routes(app, client, citizen):
    _owner, space = citizen
    mediator = make_user("mediator")
    mandate_for(mediator, space, [str(s) for s in Scope])  # even a mandate listing all
    client.sign_in(mediator.email)
    _start(client, mandate_for(mediator, space, ["documents.read"]))
    privacy = [r for r in space_routes(app, space) if r[0] == Scope.PRIVACY]
    assert any("/parametres/mandats" in route[2] for route in privacy)
    for _scope, _capacities, url, method, _args in privacy:
        assert _request(client, url, method).status_code == 404, url
        assert _last_decision(mediator).allowed is False


def _parameterless_gets(app, space):
    return [url for _scope, _capacities, url, method, has_args in space_routes(app, space)
            if method == "GET" and not has_args]


@pytest.mark.parametrize("ending", ["expired", "revoked"])
def test_refused_on_the_next_request_after_the_mandate_ends(app, client, citizen, ending):
    _owner, space = citizen
    mediator = make_user("mediator")
    mandate = mandate_for(mediator, space, [str(s) for s in MEDIATOR_GRANTABLE])
    client.sign_in(mediator.email)
    _start(client, mandate)
    url = space_path(space, "/parametres")  # settings.read
    assert client.get(url).status_code in (200, 302, 303)
    if ending == "expired":
        mandate.ends_at = utcnow() - dt.timedelta(seconds=1)
    else:
        mandate.revoked_at = utcnow()
    mandate.save()
    response = client.get(url)
    told = html.unescape(response.text)  # told why, on the "mandate ended" page
    assert response.status_code == 404 and "Vous ne pouvez plus agir pour" in told
    assert ("a pris fin le" if ending == "expired" else "a été retiré le") in told
    entry = AccessLog.select().where((AccessLog.actor == mediator) & (
        AccessLog.action == "settings.read")).order_by(AccessLog.id.desc()).first()
    assert entry.allowed is False and entry.mandate_ref == mandate.reference
    for other in _parameterless_gets(app, space):
        assert client.get(other).status_code == 404, other
    assert "context-banner--assisted" not in client.get("/").text


def test_refused_after_the_mediator_is_deactivated(app, client, citizen):
    _owner, space = citizen
    mediator = make_user("mediator")
    mandate = mandate_for(mediator, space, [str(s) for s in MEDIATOR_GRANTABLE])
    client.sign_in(mediator.email)
    _start(client, mandate)
    mediator.active = False
    mediator.save()
    for url in _parameterless_gets(app, space):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert policy.grant_for(mediator, space) is None


def test_refused_for_another_citizen(app, client, citizen):
    _owner, space = citizen
    _other_owner, other_space = citizen_with_space()
    mediator = make_user("mediator")
    mine = mandate_for(mediator, space, ["documents.read"])
    theirs = mandate_for(make_user("mediator"), other_space, ["documents.read"])
    client.sign_in(mediator.email)
    assert client.submit(f"/assistance/{theirs.reference}/ouvrir").status_code == 404
    _start(client, mine)
    mine_before = AccessLog.select().where(AccessLog.space == space).count()
    # the address of another person's space (typed, or from a stale link) reaches nothing
    urls = _parameterless_gets(app, other_space)
    for url in urls:
        assert client.get(url).status_code == 404, url
    refused = list(AccessLog.select().where((AccessLog.space == other_space)
                                            & (AccessLog.actor == mediator)))
    assert len(refused) == len(urls) and not any(e.allowed for e in refused)
    # a made-up reference reaches no space at all, and is written nowhere
    total = AccessLog.select().count()
    for url in _parameterless_gets(app, type("Forged", (), {"ref": "nosuchspace0"})):
        assert client.get(url).status_code == 404, url
    assert AccessLog.select().count() == total
    assert AccessLog.select().where(AccessLog.space == space).count() == mine_before
