"""Every route reaches a person's space only through the access object or the policy.

Each route of the URL map is requested by people in every relation to Camille's space
(holder, someone else, her mediator, a mediator without mandate, her doctor, a doctor
who does not follow her, an admin, anonymous), with real ids of her rows in the
address; every form is posted filled in, as each of them and at last as Camille. A
request that reads a space's rows through a query that neither the access object nor the
policy built fails the test, as does a route with an id in its path that is neither a
page of a space nor one of the few routes listed here that check it through the policy.
"""

import pytest

from tests import route_forms
from tests.access_audit import Watch
from tests.helpers import make_document
from webapp import create_app
from webapp.guards import SPACE
from webapp.models.accounts import User
from webapp.models.agenda import Appointment
from webapp.models.assistance import CaregiverInvitation
from webapp.models.audit import AccessLog
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
    entry = ProfileEntry.select().where(ProfileEntry.space == space).first()
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
        "entry_id": {"agenda": Appointment.select().where(  # her own: she may change it
                         Appointment.space == space, Appointment.owner_kind == "citizen")
                     .first().id,
                     "profile": entry.id,
                     "history": AccessLog.select().first().id},
        "code": {"profile": entry.section, "measurements": "poids", "agenda": "cervix-30y"},
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


HOLDER = "camille.martin@example.org"
# The holder's actions that end what the others run on (her session, her space): last.
LAST = ("account.password", "account.email", "my_mandates.revoke", "caregivers.stop",
        "account.close")
# Arguments that name no row: a step of the guide, a section's or a kind's code, an app of
# the public catalogue, the old addresses kept as redirects.
NOT_IDS = {"task", "step", "area", "rest", "code", "slug", "moved"}
# Routes with a row's id in their address that are no page of a space (`on_space`): each
# reaches the row through the policy from the signed-in person, or holds a secret token.
NOT_SPACE_PAGES = {
    # the admin's pages: software clients, professional accounts, reports on apps
    "smart_admin.edit", "smart_admin.status", "smart_admin.handled", "pro_admin.status",
    # a citizen's own invitations and help (policy.invitations_to_help, helped_by,
    # guardian_invitations_to, the software a professional authorised)
    "caregivers.stop", "caregivers.answer", "mediator.start", "guardians.accept",
    "guardians.refuse", "smart_apps.revoke_software",
    # a mediator's mandates and drafts (policy.handled_mandate, office_mandates) and the
    # members of the office they manage (policy.managed_office)
    "attestations.attestation", "attestations.attestation_pdf", "attestations.end",
    "mandates.consent", "mandates.consent_login", "mandates.cancel", "mandates.terms",
    "mandates.confirm", "mandates.duration", "mandates.change_citizen", "mandates.scopes",
    "mediator.member_status",
    # a secret token in the address is the permission (calendar feed, reset link, setup)
    "notifications.calendar", "recovery.link", "pro_admin.setup", "mediator.setup",
}


def _posts(rules):
    posts = [r for r in rules if "POST" in r.methods and r.endpoint != "auth.logout"]
    # a space's pages first: the others (sign in again, switch the language) touch the session
    return sorted(posts, key=lambda r: (r.endpoint in LAST and 2 + LAST.index(r.endpoint))
                  or (0 if r.rule.startswith(SPACE + "/") else 1))


def _request(errors, send, url, *args, **kwargs):
    """The response, or None with the error kept: a server error stops no walk."""
    try:
        return send(url, *args, **kwargs)
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(f"{url}: {error!r}")
        return None


def _visit(client, rules, values, found, errors):
    """GET every route as this client, keeping the POST forms its pages show."""
    for rule in rules:
        if "GET" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        url = _url(rule, values)
        response = _request(errors, client.get, url)
        if response is not None and response.status_code == 200 \
                and response.mimetype == "text/html":
            route_forms.collect(found, url, response.text)


def _post(client, rules, values, found, errors):
    """POST every route as this client, each with its form filled in; the endpoints that
    took the form (answered a redirect)."""
    done = []
    for rule in _posts(rules):
        url = _url(rule, values)
        response = _request(errors, client.submit, url, route_forms.payload(found, url),
                            content_type="multipart/form-data")
        if response is not None and response.status_code in (302, 303):
            done.append(rule.endpoint)
    return done


def _visit_every_route(app, demo, people):
    """Every route as each person (GET, then each form filled in), Camille's posts last."""
    values = _values(demo)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    errors = []
    with Watch() as watch:
        holder = app.test_client()
        _sign_in(holder, HOLDER)
        holder_forms = {}
        _visit(holder, rules, values, holder_forms, errors)
        for email in [p for p in people if p != HOLDER]:
            client = app.test_client()
            _sign_in(client, email)
            found = {}
            _visit(client, rules, values, found, errors)
            _post(client, rules, values, {**holder_forms, **found}, errors)
        done = _post(holder, rules, values, holder_forms, errors) if HOLDER in people else []
    return watch.violations, watch, errors, done


@pytest.fixture
def audited(app, demo):
    app.config.update(RATELIMIT_ENABLED=False)
    return app


def test_every_route_reaches_a_space_only_through_the_access_object(audited, demo):
    violations, watch, errors, done = _visit_every_route(audited, demo, PEOPLE)
    assert len(done) >= 35, f"the filled forms no longer pass validation: only {done}"
    assert not errors, "server errors:\n" + "\n".join(errors)
    assert not violations, "reads of a space's rows another way:\n" + watch.report(violations)


def undeclared(app):
    """The rules with no permission, a space page's permission off /espaces/<ref>, or a
    row's id in the address outside a space's pages and the list above."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        permission = getattr(app.view_functions[rule.endpoint], "permission", "")
        space_page = permission.startswith("space:")
        api = permission.startswith("api:") and "ref" in rule.arguments  # webapp/fhir/context
        if not permission or space_page != rule.rule.startswith(SPACE + "/") or (
                rule.arguments - NOT_IDS and rule.endpoint not in NOT_SPACE_PAGES
                and not space_page and not api and rule.endpoint != "attestations.verify"):
            found.append(rule.rule)
    return found


def test_every_route_with_an_id_is_a_space_page_or_checked_by_the_policy():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert not undeclared(app)
