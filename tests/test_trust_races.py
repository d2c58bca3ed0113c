"""Consent means what was shown, and races break nothing: parallel guesses of a code get
five tries in all, a confirmation sent eight times makes one mandate, an invitation
accepted eight times at once makes one guardianship or caregiver mandate, a TOTP code
is accepted once, a wider mandate than consented asks again."""

import datetime as dt
import threading

import pytest

from tests.helpers import make_child, make_user, totp_now
from tests.test_mandate_support import (
    citizen_with_space,
    confirm,
    consent_by_code,
    sent_to,
    walk_to_consent,
)
from webapp import policy, security
from webapp.access import Access
from webapp.accounts import credentials, guardians, lifecycle
from webapp.assist import actions, caregivers, drafts, mandates
from webapp.db import database, utcnow
from webapp.models.accounts import User
from webapp.models.assistance import CaregiverInvitation
from webapp.models.audit import AccessLog
from webapp.models.mandates import ConsentCode, Mandate, MandateDraft
from webapp.models.privacy import EmailChange, GuardianInvitation
from webapp.models.spaces import Guardianship, Space

PARALLEL = 26


def _in_threads(app, count, work):
    """Run work(i) in `count` threads at once, each with its own connection."""
    results, start = [None] * count, threading.Barrier(count)

    def run(i):
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                start.wait()
                results[i] = work(i)
            except Exception as error:  # noqa: BLE001 (what each thread met is the result)
                results[i] = error
            finally:
                database.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def wizard(client, db):
    mediator = make_user("mediator")
    citizen, space = citizen_with_space()
    client.sign_in(mediator.email)
    return mediator, citizen, space


def test_widening_the_mandate_after_consent_asks_for_a_new_consent(client, wizard):
    mediator, citizen, space = wizard
    draft = walk_to_consent(client, space, scopes=("documents.read",), duration="visit")
    consent_by_code(client, draft, citizen)
    # the mediator goes back and widens what the citizen agreed to
    client.submit(f"{draft}/rubriques", {"scopes": sorted(str(s) for s in
                                                          mandates.MEDIATOR_CHOICES)})
    client.submit(f"{draft}/duree", {"duration": "year"})
    client.submit(f"{draft}/conditions", {"read": "y"})
    response = confirm(client, draft, mediator)
    assert response.status_code == 303 and response.headers["Location"].endswith("/accord")
    assert Mandate.select().count() == 0  # nothing was created on the old consent
    consent_by_code(client, draft, citizen)  # a new consent, for the new terms
    assert confirm(client, draft, mediator).status_code == 303
    mandate = Mandate.get()
    assert mandate.scope_set == {str(s) for s in mandates.MEDIATOR_CHOICES}
    assert mandate.duration == "year"


def test_the_consent_email_says_who_where_what_and_how_long_as_the_screen(client, wizard):
    mediator, citizen, space = wizard
    draft = walk_to_consent(client, space, scopes=("documents.read", "agenda.read"),
                            duration="month")
    client.submit(f"{draft}/accord", {"action": "send"})
    text = sent_to(citizen)[-1].get_content()  # it left at once
    labels = mandates.scope_labels(["documents.read", "agenda.read"])
    for part in (mediator.display_name, mediator.office.name, *labels,
                 str(mandates.SHORT_DURATION_LABELS["month"])):
        assert part in text, part
    _r, page = client.page(f"{draft}/accord")
    for label in labels:
        assert label in page.text


def test_parallel_guesses_of_a_consent_code_get_five_tries_in_all(app, wizard):
    mediator, _citizen, space = wizard
    consent = mandates.send_consent_code(mediator, space, ["documents.read"], "visit")
    results = _in_threads(app, PARALLEL, lambda i: mandates.check_consent_code(
        ConsentCode.get_by_id(consent.id), f"{i:06d}"[-6:] if i else "999999"))
    assert ConsentCode.get_by_id(consent.id).attempts == mandates.CONSENT_MAX_ATTEMPTS
    tried = [r for r in results if r in ("wrong", "ok")]
    assert len(tried) <= mandates.CONSENT_MAX_ATTEMPTS, results
    assert all(r in ("wrong", "locked", "ok") for r in results), results


def test_a_confirmation_sent_eight_times_at_once_makes_one_mandate(app, client, wizard):
    mediator, citizen, space = wizard
    path = walk_to_consent(client, space, duration="month")
    consent_by_code(client, path, citizen)
    draft = MandateDraft.get(MandateDraft.mediator == mediator)
    consent = draft.consent

    def confirm(_i):
        fresh = MandateDraft.get_or_none(MandateDraft.id == draft.id)
        return drafts.finish(fresh or draft, ConsentCode.get_by_id(consent.id))

    results = _in_threads(app, 8, confirm)
    made = [r for r in results if isinstance(r, Mandate)]
    assert len(made) == 1, results
    assert all(isinstance(r, Mandate | actions.ConsentUsed | MandateDraft.DoesNotExist)
               for r in results), results
    assert Mandate.select().count() == 1
    assert AccessLog.select().where(AccessLog.action == "mandate.create").count() == 1


def test_a_totp_code_sent_eight_times_at_once_is_accepted_once(app, db):
    mediator = make_user("mediator")
    code = totp_now(mediator.totp_secret)
    results = _in_threads(app, 8, lambda i: security.verify_totp(
        User.get_by_id(mediator.id), code))
    assert results.count(True) == 1, results


def test_parallel_guesses_of_an_activation_code_get_five_tries_in_all(app, db):
    space = Space.create(first_name="Ana", last_name="Test", birth_date=dt.date(1990, 1, 1),
                         nir="190017512345613", state="created",
                         activation_code_hash=security.hash_password("GOOD-CODE"))
    results = _in_threads(app, PARALLEL, lambda i: lifecycle.activation_problem(
        Space.get_by_id(space.id), f"WRONG-{i}"))
    assert Space.get_by_id(space.id).activation_attempts == lifecycle.ACTIVATION_MAX_ATTEMPTS
    assert results.count("code") <= lifecycle.ACTIVATION_MAX_ATTEMPTS, results
    assert set(results) <= {"code", "locked"}, results


def test_an_acceptance_sent_eight_times_at_once_makes_one_guardianship(app, db):
    parent, second = make_user(), make_user(email="second@example.org")
    child = make_child(parent, dt.date(2016, 4, 2))
    invitation = GuardianInvitation.create(child=child, invited_by=parent, email=second.email)
    # the inviter's own right ends, so that the limit of two representatives plays no part
    Guardianship.update(ended_at=utcnow()).where(Guardianship.guardian == parent).execute()
    results = _in_threads(app, 8, lambda i: guardians.accept(
        GuardianInvitation.get_by_id(invitation.id), User.get_by_id(second.id)))
    assert results.count(True) == 1, results
    assert set(results) <= {True, False}, results
    assert Guardianship.select().where(Guardianship.guardian == second).count() == 1
    assert AccessLog.select().where(AccessLog.action == "guardians.accept").count() == 1


def test_a_caregiver_acceptance_sent_eight_times_at_once_makes_one_mandate(app, db):
    citizen, space = citizen_with_space()
    relative = make_user()
    access = Access(citizen, space, policy.grant_for(citizen, space))
    invitation = caregivers.invite(access, relative.email, ["documents.read"])
    results = _in_threads(app, 8, lambda i: caregivers.accept(
        CaregiverInvitation.get_by_id(invitation.id), User.get_by_id(relative.id)))
    assert len([r for r in results if isinstance(r, Mandate)]) == 1, results
    # the others find it answered, or find the person already helps this citizen
    assert all(r is None or isinstance(r, Mandate | caregivers.LimitReached)
               for r in results), results
    assert Mandate.select().where(Mandate.kind == "caregiver").count() == 1
    assert AccessLog.select().where(AccessLog.action == "caregiver.accept").count() == 1


def test_parallel_guesses_of_an_email_code_get_five_tries_in_all(app, db):
    user = make_user()
    credentials.request_email_change(user, "nouvelle@example.org")
    change = EmailChange.get(EmailChange.user == user)
    results = _in_threads(app, PARALLEL, lambda i: credentials.confirm_email_change(
        User.get_by_id(user.id), EmailChange.get_by_id(change.id), f"x{i}"))
    assert EmailChange.get_by_id(change.id).attempts == credentials.CODE_ATTEMPTS
    assert results.count("wrong") + results.count("changed") <= credentials.CODE_ATTEMPTS
    assert set(results) <= {"wrong", "locked"}, results
    assert User.get_by_id(user.id).email == user.email
