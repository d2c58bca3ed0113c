"""Pages of assisted access (mediators, mandates, caregivers, guided mode) as the demo
users see them. Each step of the mandate wizard is reached through its own draft, created
in the served database with the earlier steps done (the journeys walk the real steps)."""

import datetime as dt
import secrets

from tests.helpers import space_path
from webapp.assist.drafts import STEPS
from webapp.db import utcnow
from webapp.models.accounts import Office, User
from webapp.models.assistance import MediatorInvitation
from webapp.models.mandates import DRAFT_TTL, ConsentCode, MandateDraft
from webapp.models.spaces import Space
from webapp.security import hash_password

AMINA = "amina.diallo@example.org"
CAMILLE = "camille.martin@example.org"
JEAN = "jean.dupont@example.org"
STEP_PATHS = {"citizen": "personne", "scopes": "rubriques", "duration": "duree",
              "terms": "conditions", "consent": "accord", "confirm": "confirmation"}


def _camille():
    return Space.get(Space.first_name == "Camille")


def at(first_name, path):
    """The address of a page of a demo space, computed when the test runs."""

    def url():
        return space_path(Space.get(Space.first_name == first_name), path)

    url.__name__ = f"{first_name}:{path}"
    return url


def _consent(amina, space, **fields):
    now = utcnow()
    return ConsentCode.create(space=space, requested_by=amina, created_at=now,
                              expires_at=now + dt.timedelta(minutes=10), **fields)


def draft_at(step, code_sent=False):
    """The address of a step (1 to 6) of a new draft of Amina's for Camille, whose earlier
    steps are done; with code_sent, a consent code waits to be typed."""
    name = STEPS[step - 1]

    def url():
        amina, space, now = User.by_email(AMINA), _camille(), utcnow()
        fields = dict(scopes="profile.read" if step > 2 else "",
                      duration="visit" if step > 3 else "", terms_read=step > 4)
        if code_sent:
            fields["pending"] = _consent(amina, space, code_hash=hash_password("123456"))
        if step > 5:
            fields["consent"] = _consent(amina, space, method="login", confirmed_at=now)
        draft = MandateDraft.create(mediator=amina, space=space, created_at=now,
                                    expires_at=now + DRAFT_TTL, **fields)
        return f"/mandats/nouveau/{draft.reference}/{STEP_PATHS[name]}"

    url.__name__ = f"wizard_{step}_{name}" + ("_code_sent" if code_sent else "")
    return url


def act_for_camille(page, base_url):
    """Start an assisted session for Camille from the mediator's list."""
    page.goto("/")
    with page.expect_navigation():
        page.click("form[action='/assistance/DEMO0CAMILLE/ouvrir'] button")


def mediator_setup_url():
    """A fresh invitation link for a new mediator (created in the served database)."""
    office = Office.get(Office.name == "France Services Paris 19e")
    manager = User.by_email(AMINA)
    user = User.create(email=f"nouveau-{secrets.token_hex(3)}@example.org", role="mediator",
                       first_name="Karim", last_name="Leroy", office=office,
                       password_hash=hash_password(secrets.token_hex(8)),
                       totp_secret="JBSWY3DPEHPK3PXP")
    token = secrets.token_urlsafe(16)
    MediatorInvitation.create(user=user, office=office, invited_by=manager,
                              token_hash=MediatorInvitation.hash_token(token),
                              expires_at=utcnow().replace(year=utcnow().year + 1))
    return f"/structure/invitation/{token}"


_setup_links = []


def mediator_application_url():
    """The set-up's second page: reached after the password is chosen (see below)."""
    _setup_links.append(mediator_setup_url())
    return "/structure/invitation/application"


def choose_the_password(page, base_url):
    """Step 1 of the set-up in this browser, so that step 2 shows the secret to it."""
    page.goto(_setup_links[-1])
    page.fill("#password", "un-mot-de-passe-long")
    with page.expect_navigation():
        page.click("main button[type=submit]")


PAGES = [
    (AMINA, "/?q=martin"),
    (AMINA, "/mandats/nouveau/personne"),
    (AMINA, draft_at(1)),
    (AMINA, draft_at(2)),
    (AMINA, draft_at(3)),
    (AMINA, draft_at(4)),
    (AMINA, draft_at(5)),
    (AMINA, draft_at(5, code_sent=True)),
    (AMINA, draft_at(6)),
    (AMINA, "/mandats/DEMO0CAMILLE/attestation"),
    (AMINA, "/mandats/DEMO0CAMILLE/terminer?next=/structure"),
    (AMINA, "/structure"),
    (AMINA, at("Camille", "/"), act_for_camille),
    (AMINA, at("Camille", "/guide"), act_for_camille),
    (AMINA, at("Camille", "/guide/document/1"), act_for_camille),
    (AMINA, at("Camille", "/profil"), act_for_camille),  # not covered by her mandate
    (None, "/attestation/verifier"),
    (None, "/attestation/verifier?code=DEMO-CAMI-2026"),
    (None, "/attestation/verifier?code=AAAA-BBBB-CCCC"),
    (None, mediator_setup_url),
    (None, mediator_application_url, choose_the_password),
    (CAMILLE, at("Camille", "/parametres/mandats")),
    (CAMILLE, at("Camille", "/parametres/mandats/DEMO0CAMILLE/fin")),
    (CAMILLE, at("Camille", "/parametres/aidants/inviter")),
    (CAMILLE, at("Camille", "/parametres/mandats/DEMO0CAMILLE/attestation")),
    (JEAN, "/aidant"),
    (None, "/guide"),
    (None, "/guide/activer/2"),
    (CAMILLE, "/guide/mandat/1"),
]
