"""Pages of the way in: the public home, password recovery (alone, and with a mediator),
a lost activation code, and blocking a professional with its confirmation. People the
pages need are created in the served database, each with an address and NIR of their own,
so that no other test sees them change."""

import datetime as dt
import json
import secrets

AMINA = "amina.diallo@example.org"
CAMILLE = "camille.martin@example.org"
_app = {}


def new_nir(birth, sex="F"):
    """A NIR consistent with the birth date and sex, not used yet (random order number)."""
    from webapp.pro import ins

    body = f"{'2' if sex == 'F' else '1'}{birth:%y%m}75056{secrets.randbelow(1000):03d}"
    return body + ins.key_for(body)


def make_person(tag, birth=dt.date(1985, 3, 14)):
    """A citizen with an active space (demo password), in the served database (inside
    app_context): (email, NIR, birth date as typed)."""
    from tests.helpers import make_space, make_user
    from webapp.models.spaces import Space

    email = f"{tag}-{secrets.token_hex(3)}@example.org"
    user = make_user(email=email, first_name="Léa", last_name="Moreau")
    nir = new_nir(birth)
    while Space.select().where(Space.nir == nir).exists():  # drawn twice: draw again
        nir = new_nir(birth)
    make_space(user, nir=nir, birth_date=birth)
    return email, nir, birth.strftime("%d/%m/%Y")


def latest_link(email):
    """The path of the last reset link e-mailed to this address (inside app_context)."""
    from webapp.models.accounts import User
    from webapp.models.notifications import Outbox

    row = (Outbox.select().where((Outbox.recipient == User.by_email(email))
                                 & (Outbox.template == "password_reset_link"))
           .order_by(Outbox.id.desc()).first())
    return "/" + json.loads(row.params)["url"].split("/", 3)[3]


def _remember_app():
    from flask import current_app

    _app["app"] = current_app._get_current_object()


def new_password():
    """The page reached from the e-mailed link (for a person of its own)."""
    _remember_app()
    _app["reset"] = make_person("reset")
    return "/mot-de-passe-oublie/nouveau"


def _follow_link(page, base_url):
    email = _app["reset"][0]
    page.goto("/mot-de-passe-oublie")
    page.fill("#email", email)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    from webapp.db import database

    with _app["app"].app_context(), database.connection_context():
        link = latest_link(email)
    page.goto(link)


def attestation():
    """The attestation a mediator prints (for a person of its own)."""
    _app["assisted"] = make_person("assisted")
    return "/assistance/recuperation/attestation"


def print_code(page, base_url):
    """Amina checks the person's identity document and prints the code."""
    _email, nir, birth = _app["assisted"]
    page.goto("/assistance/recuperation")
    page.fill("#nir", nir)
    page.fill("#birth_date", birth)
    page.check("#document_kind-0")
    page.fill("#document_end", "4X2B")
    page.check("#present")
    with page.expect_navigation():
        page.click("main button[type=submit]")


def block_confirmation():
    """Camille is asked before blocking Dr BERNARD."""
    from tests.helpers import space_path
    from webapp.models.accounts import User
    from webapp.models.spaces import Space

    camille = Space.get(Space.nir == "284057505612387")
    bernard = User.by_email("dr.bernard@example.org")
    return space_path(camille, f"/confidentialite/professionnels/{bernard.id}/bloquer")


PAGES = [
    (None, "/"),
    (None, "/connexion"),
    (None, "/mot-de-passe-oublie"),
    (None, "/mot-de-passe-oublie/envoye"),
    (None, "/mot-de-passe-oublie/lien/" + "x" * 43),
    (None, new_password, _follow_link),
    (None, "/mot-de-passe-oublie/code"),
    (None, "/activation/nouveau-code"),
    (None, "/activation/nouveau-code/demande"),
    (None, "/aide"),
    (None, "/plan-du-site"),
    (AMINA, "/assistance/recuperation"),
    (AMINA, attestation, print_code),
    (AMINA, "/"),
    (CAMILLE, block_confirmation),
]
