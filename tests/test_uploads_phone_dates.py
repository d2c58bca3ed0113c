"""Uploads: the date a document form proposes is today in Paris, for a professional's
deposit and for a document the holder adds."""

import datetime as dt

from tests.helpers import PDF, make_space, make_user, space_path
from tests.uploads_support import (
    _add,
    camille_fixture,  # noqa: F401 (the fixture "camille")
)
from webapp.models.spaces import CareRelation
from webapp.pro import forms as pro_forms
from webapp.record import document_forms
from webapp.views import documents as document_views


def test_the_deposit_date_is_today_in_paris(client, db, monkeypatch):
    owner = make_user()
    space = make_space(owner)
    doctor = make_user("professional", email="dr@example.org")
    CareRelation.create(professional=doctor, space=space)
    client.sign_in(doctor.email)
    monkeypatch.setattr(pro_forms, "utcnow", lambda: dt.datetime(2026, 3, 1, 23, 30))
    _, doc = client.page(space_path(space, "/pro/documents/deposer"))
    assert doc.find("input", id="document_date").get("value") == "2026-03-02"  # 00:30 Paris


def test_a_document_of_half_past_midnight_in_paris_is_of_today(client, camille, monkeypatch):
    late = dt.datetime(2026, 3, 1, 23, 30)  # UTC: 00:30 on 2 March in Paris
    for module in (document_forms, document_views):
        monkeypatch.setattr(module, "utcnow", lambda: late)
    _, doc = client.page(space_path(camille, "/documents/ajouter"))
    assert doc.find("input", id="document_date").get("value") == "2026-03-02"
    assert _add(client, camille, PDF, document_date="2026-03-02").status_code == 303
