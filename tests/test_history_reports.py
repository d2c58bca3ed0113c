"""Access history: reporting an access, only by the holder and only of their own space's
entries."""

import pytest

from tests.helpers import give_mandate, make_space, make_user, space_path
from tests.history_support import world_fixture  # noqa: F401 (the fixture "world")
from webapp import audit
from webapp.audit import Action
from webapp.models.audit import AccessLog
from webapp.models.privacy import AccessReport
from webapp.models.spaces import CareRelation
from webapp.scopes import Capacity


def test_report_an_access(client, world):
    entry = AccessLog.get(AccessLog.actor == world["pro"])
    report_url = space_path(world["space"], f"/historique/{entry.id}/signaler")
    client.page(report_url)
    response = client.submit(report_url, {"message": "Je ne connais pas ce médecin."})
    assert response.status_code == 303
    report = AccessReport.get()
    assert report.entry_id == entry.id and report.space_id == world["space"].id
    assert "Paul BERNARD" in report.entry_summary
    assert AccessLog.select().where((AccessLog.action == "privacy.report")
                                    & (AccessLog.target_kind == "access_log")
                                    & (AccessLog.target_id == entry.id)).exists()
    client.submit("/deconnexion")
    admin = make_user("admin")
    client.sign_in(admin.email)
    _r, doc = client.page("/admin/signalements")
    assert "Je ne connais pas ce médecin." in doc.find("main").text


def test_report_of_another_space_entry_is_not_found(client, world):
    other = make_space(make_user())
    entry = audit.write(other, action=Action.PROFILE_READ, capacity=Capacity.APP)
    url = space_path(world["space"], f"/historique/{entry.id}/signaler")
    assert client.get(url).status_code == 404
    assert client.submit(url, {}).status_code == 404
    assert not AccessReport.select().exists()


@pytest.mark.parametrize("role", ["professional", "mediator", "other_citizen"])
def test_report_route_refused_to_others(client, world, role):
    entry = AccessLog.get(AccessLog.actor == world["pro"])
    client.submit("/deconnexion")
    if role == "professional":
        user = world["pro"]  # follows the patient, yet PRIVACY is never a professional's
        CareRelation.create(professional=user, space=world["space"])
    elif role == "mediator":
        user = world["mediator"]
        give_mandate(user, world["space"], "documents.read settings.read privacy")
    else:
        user = make_user()
        make_space(user)
    client.sign_in(user.email)
    report_url = space_path(world["space"], f"/historique/{entry.id}/signaler")
    assert client.get(report_url).status_code == 404
    assert client.submit(report_url, {"message": "x"}).status_code == 404
    assert client.get(world["history"]).status_code == 404
    assert not AccessReport.select().exists()
