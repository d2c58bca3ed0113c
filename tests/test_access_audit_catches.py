"""The route meta-test is not blind: each careless route below, registered on a test app,
is reported by the watch (and the careful ones next to them are not)."""

import datetime as dt

import pytest
from flask import Blueprint, render_template_string, request

from tests.access_audit import Watch, space_tables
from tests.test_access_routes import _post, _visit, undeclared
from webapp import policy
from webapp.access import current
from webapp.db import database
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.models.documents import Document
from webapp.models.spaces import CareRelation, Space
from webapp.scopes import Scope

FORM = """<form method="post"><input type="hidden" name="space_id" value="{{ other }}">
<input type="text" name="title" required><button>Ajouter</button></form>"""


def _endpoints(watch):
    return sorted({v[0] for v in watch.violations})


def _app_with(app, *routes):
    bad = Blueprint("bad", __name__)
    for rule, view, methods in routes:
        bad.add_url_rule(rule, view.__name__, view, methods=methods)
    app.register_blueprint(bad)
    return app


def test_the_watched_tables_come_from_the_models():
    tables = space_tables()
    assert {"space", "care_relation", "block", "emergency_access", "smart_consent",
            "postal_address", "document", "message", "attachment", "attestation",
            "smart_token", "access_report"} <= tables
    assert not tables & {"user", "office", "catalogue_app", "log_head"}


@pytest.mark.fresh_app
def test_a_citizen_route_listing_every_space_documents_is_caught(demo, app):
    """The case of the issue: a careless new page reading the documents of every space."""
    @roles("citizen")
    def everything():
        return ", ".join(d.title for d in Document.select())

    _app_with(app, ("/tous-les-documents", everything, ["GET"]))
    client = app.test_client()
    client.sign_in("camille.martin@example.org")
    with Watch() as watch:
        assert client.get("/tous-les-documents").status_code == 200
    assert _endpoints(watch) == ["bad.everything"]


@pytest.mark.fresh_app
def test_an_unmarked_query_around_a_marked_subquery_is_caught(demo, app):
    """The policy's patients inside an IN do not launder the documents read around them
    (hidden ones, and categories the matrix keeps from this professional)."""
    @roles("professional")
    def laundered():
        patients = policy.patients_of(signed_in_user()).select(Space.id)
        return ", ".join(d.title for d in Document.select().where(Document.space.in_(patients)))

    @roles("professional")
    def careful():
        return str(policy.patients_of(signed_in_user()).count())

    _app_with(app, ("/pro/tous-docs", laundered, ["GET"]), ("/pro/combien", careful, ["GET"]))
    client = app.test_client()
    client.sign_in("dr.bernard@example.org")
    with Watch() as watch:
        assert client.get("/pro/tous-docs").status_code == 200
        assert client.get("/pro/combien").status_code == 200
    assert _endpoints(watch) == ["bad.laundered"]


@pytest.mark.fresh_app
def test_a_professional_listing_every_patient_and_care_relation_is_caught(demo, app):
    @roles("professional")
    def patients():
        return ", ".join(f"{s.last_name} {s.birth_date}" for s in Space.select()) + ", ".join(
            str(c.space_id) for c in CareRelation.select())

    _app_with(app, ("/pro/tous-les-patients", patients, ["GET"]))
    client = app.test_client()
    client.sign_in("dr.leroy@example.org")
    with Watch() as watch:
        assert client.get("/pro/tous-les-patients").status_code == 200
    assert {v[2] for v in watch.violations} == {("space",), ("care_relation",)}
    assert all(v[3].startswith("tests/test_access_audit_catches.py:") for v in watch.violations)


@pytest.mark.fresh_app
def test_a_post_writing_into_another_space_is_caught_by_the_walk(demo, app):
    """The walk fills the form of the page (a title) and posts it: the action that takes
    the space from a hidden field instead of the address runs, and is reported."""
    other = demo.spaces["jean"]

    @on_space(Scope.DOCUMENTS_ADD)
    def deposit():
        if request.method == "POST" and request.form.get("title"):
            target = Space.get_by_id(int(request.form["space_id"]))
            Document.create(space=target, title=request.form["title"], category="CPT_REND",
                            document_date=dt.date.today(), filename="a.pdf",
                            sha256="0" * 64, size=1, mime="application/pdf")
            return "", 303
        return render_template_string(FORM, other=other.id)

    _app_with(app, (SPACE + "/mauvais-depot", deposit, ["GET", "POST"]))
    app.config.update(RATELIMIT_ENABLED=False)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == "bad.deposit"]
    client = app.test_client()
    client.sign_in("camille.martin@example.org")
    found, errors = {}, []
    with Watch() as watch:
        _visit(client, rules, {"ref": demo.spaces["camille"].ref}, found, errors)
        _post(client, rules, {"ref": demo.spaces["camille"].ref}, found, errors)
    assert not errors
    assert _endpoints(watch) == ["bad.deposit"]
    assert Document.select().where(Document.space == other,
                                   Document.title == "Texte de test").exists()


@pytest.mark.fresh_app
def test_a_widened_access_query_and_raw_sql_are_caught(demo, app):
    @on_space(Scope.DOCUMENTS_READ)
    def widened():
        return str(current().query(Document).orwhere(Document.id > 0).count())

    @on_space(Scope.DOCUMENTS_READ)
    def raw():
        return str(database.execute_sql('SELECT title FROM document').fetchall())

    @on_space(Scope.DOCUMENTS_READ)
    def careful():
        query = current().query(Document).where(Document.hidden == False)  # noqa: E712
        return f"{query.count()} {query.exists()} {len(list(query.order_by(Document.id)))}"

    _app_with(app, (SPACE + "/elargi", widened, ["GET"]), (SPACE + "/brut", raw, ["GET"]),
              (SPACE + "/soigne", careful, ["GET"]))
    client = app.test_client()
    client.sign_in("camille.martin@example.org")
    ref = demo.spaces["camille"].ref
    with Watch() as watch:
        for page in ("elargi", "brut", "soigne"):
            assert client.get(f"/espaces/{ref}/{page}").status_code == 200
    assert _endpoints(watch) == ["bad.raw", "bad.widened"], watch.report()


@pytest.mark.fresh_app
def test_a_new_route_with_an_id_outside_a_space_is_caught(app):
    """A role's route with a row's id and no space in its address must be declared."""
    @roles("citizen")
    def note(note_id):
        return str(note_id)

    @roles("professional")
    def chart(ref):
        return ref

    _app_with(app, ("/mes-notes/<int:note_id>", note, ["GET"]),
              ("/pro/dossier/<ref>", chart, ["GET"]))
    assert undeclared(app) == ["/mes-notes/<int:note_id>", "/pro/dossier/<ref>"]
