"""The prevention calendar: items by age and sex, statuses to plan / done / not done."""

import datetime as dt

from tests.helpers import act_for, make_space, make_user, space_path
from webapp.agenda import prevention
from webapp.models.agenda import PreventionStatus

TODAY = dt.date(2026, 11, 23)


def _codes(items):
    return {i.code for i in items}


def test_items_follow_age_and_sex():
    current, coming, past = prevention.calendar_for(dt.date(1984, 5, 14), "F", TODAY)  # 42
    assert "cervix-30y" in _codes(current) and "dtp-45y" in _codes(coming)
    assert "dtcap-25y" in _codes(past) and "breast-50y" not in _codes(current + coming)
    current, coming, past = prevention.calendar_for(dt.date(1970, 1, 1), "M", TODAY)  # 56
    assert "colorectal-50y" in _codes(current)
    assert not {c for c in _codes(current + coming + past) if c.startswith(("cervix", "breast"))}
    current, coming, _ = prevention.calendar_for(dt.date(2018, 12, 3), "M", TODAY)  # Léo, 7
    assert "dtcap-6y" in _codes(current) and "exam-8y" in _codes(coming)


def test_age_in_months_counts_whole_months():
    assert prevention.age_in_months(dt.date(2026, 1, 31), dt.date(2026, 3, 30)) == 1
    assert prevention.age_in_months(dt.date(2026, 1, 15), dt.date(2026, 3, 15)) == 2


def test_every_item_is_well_formed():
    assert len(prevention.BY_CODE) == len(prevention.ITEMS)
    for item in prevention.ITEMS:
        assert item.start < item.end and item.kind in prevention.KIND_LABELS
        assert item.sex in ("", "F", "M")


def test_status_is_shown_and_changed(client, db):
    owner = make_user()
    space = make_space(owner, birth_date=dt.date(1984, 5, 14), sex="F")
    client.sign_in(owner.email)
    _, doc = client.page(space_path(space, "/agenda/prevention"))
    item = doc.by_id("item-cervix-30y")
    assert "À planifier" in item.text
    response = client.submit(space_path(space, "/agenda/prevention/cervix-30y"),
                             {"status": "done"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "#item-cervix-30y")
    assert PreventionStatus.get(space=space, item="cervix-30y").status == "done"
    _, doc = client.page(space_path(space, "/agenda/prevention"))
    assert "Fait" in doc.by_id("item-cervix-30y").text
    assert client.submit(space_path(space, "/agenda/prevention/unknown"),
                         {"status": "done"}).status_code == 404
    assert client.submit(space_path(space, "/agenda/prevention/cervix-30y"),
                         {"status": "maybe"}).status_code == 404


def test_status_route_access(app, db):
    owner = make_user()
    space = make_space(owner)
    url = space_path(space, "/agenda/prevention/dtp-45y")
    anonymous = app.test_client()
    response = anonymous.post(url, data={"status": "done"})
    assert response.status_code in (302, 400)  # sign-in (or CSRF refusal) first
    for user, scopes in [(make_user(), None), (make_user("professional"), None),
                         (make_user("mediator"), ["agenda.read"])]:
        client = app.test_client()
        if scopes:
            act_for(client, user, space, scopes)
        else:
            client.sign_in(user.email)
        assert client.submit(url, {"status": "done"}).status_code == 404
    client = app.test_client()
    act_for(client, make_user("mediator"), space, ["agenda.read", "agenda.write"])
    assert client.submit(url, {"status": "done"}).status_code == 303
    assert not PreventionStatus.select().where(PreventionStatus.status != "done").exists()


def test_demo_statuses_for_leo_and_camille(client, demo):
    client.sign_in("camille.martin@example.org")
    _, doc = client.page(space_path(demo.spaces["camille"], "/agenda/prevention"))
    assert "Fait" in doc.by_id("item-cervix-30y").text
    _, doc = client.page(space_path(demo.spaces["leo"], "/agenda/prevention"))  # her son's
    assert "Léo MARTIN" in doc.text
    assert "Non fait" in doc.by_id("item-menb-3m").text
    assert "Fait" in doc.by_id("item-ror-16m").text
    assert doc.by_id("item-cervix-30y") is None
