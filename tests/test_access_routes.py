"""Every route reaches a person's space only through the access object or the policy.

Each route of the URL map is requested by people in every relation to Camille's space
(holder, someone else, her mediator, a mediator without mandate, her doctor, a doctor
who does not follow her, an admin, anonymous), with real ids of her rows in the
address. A request that reads her rows through a query that neither the access object
nor the policy built fails the test, as does a route with an id in its path that does
not declare a permission.
"""

import pytest
from flask import Blueprint

from tests.access_audit import Watch
from tests.helpers import make_document
from webapp import create_app
from webapp.guards import roles
from webapp.models.accounts import User
from webapp.models.agenda import Appointment
from webapp.models.assistance import CaregiverInvitation
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.measurements import Measurement
from webapp.models.messages import Attachment, Conversation, Message
from webapp.models.privacy import ExportJob, GuardianInvitation
from webapp.models.profile import ProfileEntry
from webapp.models.smart import SmartClient, SmartConsent, SmartReport

PEOPLE = ["anonymous", "camille.martin@example.org", "jean.dupont@example.org",
          "amina.diallo@example.org", "sophie.robert@example.org", "dr.bernard@example.org",
          "dr.leroy@example.org", "admin@example.org"]


def _values(demo):
    """Real values for each argument of a route, taken from Camille's space."""
    space = demo.spaces["camille"]
    conversation = Conversation.select().where(Conversation.space == space).first()
    message = Message.select().where(Message.conversation == conversation).first()
    attachment = Attachment.create(message=message, filename="a.pdf", sha256="0" * 64, size=1,
                                   mime="application/pdf")
    return {
        "ref": space.ref, "doc_id": make_document(space).id,
        "conversation_id": conversation.id, "attachment_id": attachment.id,
        "job_id": ExportJob.create(space=space, state="ready").id,
        "row_id": Measurement.select().where(Measurement.space == space).first().id,
        "slug": "carnet-tension", "reference": "DEMO0CAMILLE", "token": "x" * 20,
        "draft": "nosuchdraft",
        "user_id": demo.users["bernard"].id, "task": "document", "step": 1,
        "area": "documents", "rest": "ajouter", "moved": "compte/export",
        "invitation_id": CaregiverInvitation.select().first().id,
        "entry_id": {"agenda": Appointment.select().where(Appointment.space == space).first().id,
                     "profile": ProfileEntry.select().where(
                         ProfileEntry.space == space).first().id,
                     "history": AccessLog.select().first().id},
        "code": {"profile": "allergies", "measurements": "poids", "agenda": "breast-50y"},
        "guardian_invitation": GuardianInvitation.create(
            child=demo.spaces["leo"], invited_by=demo.users["camille"],
            email="jean.dupont@example.org").id,
        "consent_id": SmartConsent.select().where(SmartConsent.space == space).first().id,
        "client_id": SmartClient.select().first().id,
        "report_id": SmartReport.create(client=SmartClient.select().first(),
                                        reason="Test").id,
    }


def _url(rule, values):
    area = rule.endpoint.split(".")[0]
    args = {}
    for name in rule.arguments:
        value = values[name]
        if isinstance(value, dict):
            value = value.get(area, next(iter(value.values())))
        if name == "invitation_id" and area == "guardians":
            value = values["guardian_invitation"]
        args[name] = value
    return rule.build(args, append_unknown=False)[1]


def _sign_in(client, email):
    if email == "anonymous":
        return
    user = User.by_email(email)
    if user.totp_secret:  # a fresh code each time: the test signs the same people in often
        User.update(totp_last_step=0).where(User.id == user.id).execute()
    client.sign_in(email)


def _visit_every_route(app, demo, people):
    values = _values(demo)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    with Watch() as watch:
        for email in people:
            client = app.test_client()
            _sign_in(client, email)
            for rule in rules:
                if rule.endpoint == "auth.logout":  # the others then run signed out
                    continue
                url = _url(rule, values)
                if "GET" in rule.methods:
                    client.get(url)
                elif email != "camille.martin@example.org":  # changes by others are refused
                    client.submit(url, {})
    return watch.violations


@pytest.fixture
def audited(app, demo):
    app.config.update(RATELIMIT_ENABLED=False)
    return app


def test_every_route_reaches_a_space_only_through_the_access_object(audited, demo):
    violations = _visit_every_route(audited, demo, PEOPLE)
    assert not violations, "reads of a space's rows another way:\n" + "\n".join(
        f"{endpoint} {path}: {tables}" for endpoint, path, tables in sorted(set(
            (e, p, tuple(t)) for e, p, t in violations)))


@pytest.mark.fresh_app
def test_a_route_listing_every_space_documents_is_caught(demo, app):
    """The watch is not blind: a citizen's route that reads the documents of every space
    directly (as a careless new page would) is reported."""
    bad = Blueprint("bad", __name__)

    @bad.route("/tous-les-documents")
    @roles("citizen")
    def everything():
        return ", ".join(d.title for d in Document.select())

    app.register_blueprint(bad)
    client = app.test_client()
    client.sign_in("camille.martin@example.org")
    with Watch() as watch:
        assert client.get("/tous-les-documents").status_code == 200
    assert [v[0] for v in watch.violations] == ["bad.everything"]


def test_every_route_with_an_id_declares_its_permission():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        permission = getattr(app.view_functions[rule.endpoint], "permission", "")
        assert permission, rule.rule
        if rule.arguments - {"ref", "task", "step", "area", "token"}:
            assert permission != "public" or rule.endpoint in {"attestations.verify"}, rule.rule
