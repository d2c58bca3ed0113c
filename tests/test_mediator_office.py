"""The office manager invites and deactivates mediators and ends the office's mandates."""

import re

import pytest

from tests.helpers import make_user, totp_now
from tests.test_mandate_support import citizen_with_space, mandate_for
from webapp import policy
from webapp.models.accounts import User, UserSession
from webapp.models.assistance import MediatorInvitation
from webapp.models.notifications import Outbox


@pytest.fixture
def office(db):
    manager = make_user("mediator", is_office_manager=True)
    colleague = make_user("mediator", office=manager.office)
    return dict(manager=manager, colleague=colleague, office=manager.office)


def test_plain_mediator_sees_the_office_but_cannot_manage(client, office):
    client.sign_in(office["colleague"].email)
    _r, doc = client.page("/structure")
    assert "réservée à son responsable" in doc.text and doc.find("form", action="/structure") \
        is None
    assert client.submit(f"/structure/mediateurs/{office['manager'].id}/statut",
                         {"action": "deactivate"}).status_code == 404
    assert client.submit("/structure", {"first_name": "A", "last_name": "B",
                                        "email": "a@example.org"}).status_code == 404


def test_manager_deactivates_a_mediator_whose_mandates_stop(client, office):
    _citizen, space = citizen_with_space()
    mandate_for(office["colleague"], space, ["documents.read"])
    colleague_client = client.application.test_client()
    colleague_client.sign_in(office["colleague"].email)
    client.sign_in(office["manager"].email)
    _r, doc = client.page("/structure")
    assert office["colleague"].display_name in doc.text
    r = client.submit(f"/structure/mediateurs/{office['colleague'].id}/statut",
                      {"action": "deactivate"})
    assert r.status_code == 303
    colleague = User.get_by_id(office["colleague"].id)
    assert not colleague.active and policy.grant_for(colleague, space) is None
    assert not UserSession.live().where(UserSession.user == colleague).exists()
    assert colleague_client.get("/").status_code == 302  # signed out at once
    client.submit(f"/structure/mediateurs/{office['colleague'].id}/statut",
                  {"action": "reactivate"})
    assert User.get_by_id(office["colleague"].id).active
    # a mediator of another office cannot be touched
    stranger = make_user("mediator")
    assert client.submit(f"/structure/mediateurs/{stranger.id}/statut",
                         {"action": "deactivate"}).status_code == 404


def test_manager_ends_an_office_mandate(client, office):
    _citizen, space = citizen_with_space()
    mandate = mandate_for(office["colleague"], space, ["documents.read"])
    client.sign_in(office["manager"].email)
    _r, doc = client.page("/structure")
    button = doc.find("form", action=f"/mandats/{mandate.reference}/terminer")
    assert button is not None and button.get("method") == "get"  # opens the confirmation
    client.submit(f"/mandats/{mandate.reference}/terminer", {"next": "/structure"})
    assert mandate.state() == "active"  # the object in memory is stale
    from webapp.models.mandates import Mandate

    assert Mandate.get_by_id(mandate.id).state() == "revoked"


def test_invited_mediator_sets_password_and_totp(client, office):
    client.sign_in(office["manager"].email)
    r = client.submit("/structure", {"first_name": "Karim", "last_name": "Leroy",
                                     "email": "karim.leroy@example.org"})
    assert r.status_code == 303
    invited = User.by_email("karim.leroy@example.org")
    assert invited.role == "mediator" and invited.office_id == office["office"].id
    notice = Outbox.get((Outbox.recipient == invited)
                        & (Outbox.template == "mediator_invitation"))
    token = re.search(r"/structure/invitation/([^/]+)$", notice.link).group(1)
    r = client.submit("/structure", {"first_name": "K", "last_name": "L",
                                     "email": "karim.leroy@example.org"})
    assert "existe déjà" in r.text
    client.submit("/deconnexion")
    _r, doc = client.page(f"/structure/invitation/{token}")
    assert doc.find("code", class_="totp-secret") is None  # no secret before the password
    r = client.submit(f"/structure/invitation/{token}", {"password": "court"})
    assert r.status_code == 200 and "12 caractères" in r.text
    r = client.submit(f"/structure/invitation/{token}", {"password": "un-mot-de-passe-long"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/application")
    client.page(f"/structure/invitation/{token}", status=404)  # the link worked once
    other = client.application.test_client()  # someone else with the link sees nothing
    other.page(f"/structure/invitation/{token}", status=404)
    assert "/connexion" in other.get("/structure/invitation/application").headers["Location"]
    invited = User.get_by_id(invited.id)
    _r, doc = client.page("/structure/invitation/application")
    assert doc.find("code", class_="totp-secret").text.replace(" ", "") == invited.totp_secret
    r = client.submit("/structure/invitation/application", {"code": "000000"})
    assert r.status_code == 200 and "Ce code est incorrect" in r.text
    r = client.submit("/structure/invitation/application",
                      {"code": totp_now(invited.totp_secret)})
    assert r.status_code == 303
    assert MediatorInvitation.get().state() == "accepted"
    assert client.get("/structure/invitation/application").status_code == 302  # done
    User.update(totp_last_step=0).where(User.id == invited.id).execute()  # 30 s later
    client.sign_in("karim.leroy@example.org", password="un-mot-de-passe-long",
                   totp_secret=invited.totp_secret)
    assert client.get("/").status_code == 200


def test_admin_manages_any_office(client, office):
    admin = make_user("admin")
    client.sign_in(admin.email)
    _r, doc = client.page("/structure")
    assert doc.find("a", href=f"/structure?office={office['office'].id}") is not None
    _r, doc = client.page(f"/structure?office={office['office'].id}")
    assert office["colleague"].display_name in doc.text


def test_an_admin_sees_no_citizen_names_where_the_manager_does(client, office):
    """The office page lists who holds the office's mandates to its manager only; an
    admin gets the office's mediators, never the people they help."""
    _citizen, space = citizen_with_space(first_name="Oriane", last_name="Quesnel")
    mandate_for(office["colleague"], space, ["documents.read"], office=office["office"])
    client.sign_in(office["manager"].email)
    _r, doc = client.page(f"/structure?office={office['office'].id}")
    assert "QUESNEL" in doc.text.upper()
    client.submit("/deconnexion")
    client.sign_in(make_user("admin").email)
    _r, doc = client.page(f"/structure?office={office['office'].id}")
    assert office["colleague"].display_name in doc.text
    assert "QUESNEL" not in doc.text.upper() and "Oriane" not in doc.text
