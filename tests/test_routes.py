"""Every route declares its permission, and every parameterless page answers as its
permission says for each role: allowed, sent to sign-in, or not found."""

import pytest

from tests.helpers import make_space, make_user

ROLES = ["anonymous", "citizen", "citizen_without_space", "mediator", "professional", "admin"]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, app.view_functions[rule.endpoint]


def test_every_route_declares_a_permission(app):
    undeclared = [rule.rule for rule, view in _routes(app)
                  if not getattr(view, "permission", None)]
    assert not undeclared, f"routes without a permission decorator: {undeclared}"


def _sign_in(client, role):
    if role == "anonymous":
        return None
    if role == "citizen_without_space":
        user = make_user("citizen")
    else:
        user = make_user(role)
    if role == "citizen":
        make_space(user)
    client.sign_in(user.email)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_by_its_permission(app, client, db, role):
    user = _sign_in(client, role)
    checked = 0
    for rule, view in _routes(app):
        if rule.arguments or "GET" not in rule.methods:
            continue
        permission = view.permission
        response = client.get(rule.rule)
        status = response.status_code
        where = f"{rule.rule} ({permission}) as {role}: {status}"
        if permission == "public":
            assert status in (200, 302, 303), where
        elif permission.startswith("api:"):  # a bearer token, never the session's cookie
            assert status == 401 and "Bearer" in response.headers["WWW-Authenticate"], where
        elif user is None:
            assert status == 302 and "/connexion" in response.headers["Location"], where
        elif permission.startswith("role:"):
            allowed = user.role in permission[5:].split(",")
            assert (status in (200, 302, 303)) if allowed else status == 404, where
        elif permission.startswith("space:"):
            has_space = role == "citizen"
            assert status in ((200, 302, 303) if has_space else (404,)), where
        else:
            pytest.fail(f"unknown permission {permission}")
        checked += 1
    assert checked >= 6
