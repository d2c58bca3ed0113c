"""Pages of assisted access (mediators, mandates, caregivers, guided mode) as the demo
users see them. Wizard steps are reached by a setup that walks the previous steps."""

AMINA = "amina.diallo@example.org"
CAMILLE = "camille.martin@example.org"
JEAN = "jean.dupont@example.org"
CAMILLE_NIR, CAMILLE_BIRTH = "284057505612387", "14/05/1984"


def _submit(page):
    with page.expect_navigation():
        page.click("main form[method=post]:not(.wizard-cancel) button[type=submit] >> nth=0")


def wizard_to(step):
    """A setup that walks the mandate wizard up to (not including) `step` (1 to 6)."""

    def setup(page, base_url):
        page.goto("/mandats/nouveau")
        if step > 1:
            page.fill("#nir", CAMILLE_NIR)
            page.fill("#birth_date", CAMILLE_BIRTH)
            _submit(page)
        if step > 2:
            page.check("input[value='profile.read']")
            _submit(page)
        if step > 3:
            page.check("input[value='visit']")
            _submit(page)
        if step > 4:
            page.check("#read")
            _submit(page)
        if step > 5:
            page.fill("#l-email", CAMILLE)
            page.fill("#l-password", "demo-Espace-2026")
            with page.expect_navigation():
                page.click("form[action$='/accord/connexion'] button[type=submit]")

    setup.__name__ = f"wizard_to_{step}"
    return setup


def code_sent(page, base_url):
    """The consent step after a code was sent."""
    wizard_to(5)(page, base_url)
    with page.expect_navigation():
        page.click("form:has(input[value=send]) button")


def act_for_camille(page, base_url):
    """Start an assisted session for Camille from the mediator's list."""
    page.goto("/")
    with page.expect_navigation():
        page.click("form[action='/assistance/DEMO0CAMILLE/ouvrir'] button")


def mediator_setup_url():
    """A fresh invitation link for a new mediator (created in the served database)."""
    import secrets

    from webapp.db import utcnow
    from webapp.mandates import OPEN_END  # noqa: F401 (the module loads the models)
    from webapp.models.accounts import Office, User
    from webapp.models.assistance import MediatorInvitation
    from webapp.security import hash_password

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


PAGES = [
    (AMINA, "/?q=martin"),
    (AMINA, "/mandats/nouveau/personne"),
    (AMINA, "/mandats/nouveau/rubriques", wizard_to(2)),
    (AMINA, "/mandats/nouveau/duree", wizard_to(3)),
    (AMINA, "/mandats/nouveau/conditions", wizard_to(4)),
    (AMINA, "/mandats/nouveau/accord", wizard_to(5)),
    (AMINA, "/mandats/nouveau/accord", code_sent),
    (AMINA, "/mandats/nouveau/confirmation", wizard_to(6)),
    (AMINA, "/mandats/DEMO0CAMILLE/attestation"),
    (AMINA, "/mandats/DEMO0CAMILLE/terminer?next=/structure"),
    (AMINA, "/structure"),
    (AMINA, "/", act_for_camille),
    (AMINA, "/guide/document/1", act_for_camille),
    (None, "/attestation/verifier"),
    (None, "/attestation/verifier?code=DEMO-CAMI-2026"),
    (None, "/attestation/verifier?code=AAAA-BBBB-CCCC"),
    (None, mediator_setup_url),
    (CAMILLE, "/parametres/mandats"),
    (CAMILLE, "/parametres/mandats/DEMO0CAMILLE/fin"),
    (CAMILLE, "/parametres/aidants/inviter"),
    (CAMILLE, "/mandats/DEMO0CAMILLE/attestation"),
    (JEAN, "/aidant"),
    (None, "/guide"),
    (None, "/guide/activer/2"),
    (CAMILLE, "/guide/mandat/1"),
]
