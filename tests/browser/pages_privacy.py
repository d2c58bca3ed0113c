"""Pages of the privacy and life-cycle area, as the demo users see them, including Camille
on her son Léo's space. Pages of a space are named by its address, read from the served
database (the references are drawn when it is seeded)."""

CAMILLE = "camille.martin@example.org"
CAMILLE_NIR = "284057505612387"
EMMA = dict(nir="290076912345669", birth="12/07/1990", code="EMMA-2026")


def _camille_path(path):
    from tests.helpers import space_path
    from webapp.models.spaces import Space

    return space_path(Space.get(Space.nir == CAMILLE_NIR), path)


def _leo_path(path):
    from tests.helpers import space_path
    from webapp.models.spaces import Guardianship, Space

    camille = Space.get(Space.nir == CAMILLE_NIR).owner
    leo = (Space.select().join(Guardianship, on=(Guardianship.child == Space.id))
           .where((Guardianship.guardian == camille) & (Space.first_name == "Léo")).get())
    return space_path(leo, path)


def history():
    """Camille's access history."""
    return _camille_path("/historique")


def history_of_professionals_this_month():
    """The history filtered by who and by period."""
    return _camille_path("/historique?qui=professionnels&periode=30")


def report():
    """Reporting one of Dr BERNARD's accesses."""
    from webapp.models.audit import AccessLog
    from webapp.models.spaces import Space

    camille = Space.get(Space.nir == CAMILLE_NIR)
    entry = (AccessLog.select().where((AccessLog.space == camille)
                                      & (AccessLog.capacity == "professional"))
             .order_by(AccessLog.id).first())
    return _camille_path(f"/historique/{entry.id}/signaler")


def professionals():
    """The professionals who reach Camille's space, to block or unblock."""
    return _camille_path("/confidentialite/professionnels")


def emergency_switches():
    """The three emergency switches."""
    return _camille_path("/confidentialite/urgence")


def export():
    """Exporting the space's data."""
    return _camille_path("/export")


def close():
    """Closing one's own space."""
    return _camille_path("/fermer")


def guardians():
    """The legal representatives page of an adult's space (nothing to manage)."""
    return _camille_path("/representants")


def leo_guardians():
    """Léo's legal representatives, and inviting the second one."""
    return _leo_path("/representants")


def leo_close():
    """Léo's space cannot be closed by a legal representative: the page says why."""
    return _leo_path("/fermer")


def _identity(path):
    def setup(page, base_url):
        page.goto(path)
        page.fill("#nir", EMMA["nir"])
        page.fill("#birth_date", EMMA["birth"])
        page.fill("#code", EMMA["code"])
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    return setup


def emailed_code(address):
    """The last code e-mailed to this address to prove it (inside app_context)."""
    import json

    from webapp.models.notifications import Outbox

    rows = (Outbox.select().where(Outbox.template == "email_verification_code")
            .order_by(Outbox.id.desc()))
    return next(json.loads(r.params)["code"] for r in rows
                if json.loads(r.params)["to"] == address)


def _address_step(page, base_url):
    """Identity, then an address and a password: the page asking for the e-mailed code."""
    _identity("/activation")(page, base_url)
    page.fill("#email", "emma.roux.axe@example.org")
    page.fill("#password", "une phrase assez longue")
    page.fill("#confirm", "une phrase assez longue")
    page.click("main button[type=submit]")
    page.wait_for_load_state()


PAGES = [
    (None, "/activation"),
    (None, "/opposition"),
    (None, "/activation/compte", _identity("/activation")),
    (None, "/activation/verification", _address_step),
    (None, "/opposition/confirmer", _identity("/opposition")),
    (CAMILLE, history),
    (CAMILLE, history_of_professionals_this_month),
    (CAMILLE, report),
    (CAMILLE, professionals),
    (CAMILLE, emergency_switches),
    (CAMILLE, "/compte"),
    (CAMILLE, "/compte/email"),
    (CAMILLE, "/compte/mot-de-passe"),
    (CAMILLE, export),
    (CAMILLE, close),
    (CAMILLE, "/compte/rouvrir"),
    (CAMILLE, guardians),
    (CAMILLE, leo_guardians),
    (CAMILLE, leo_close),
    (CAMILLE, "/representants/invitations"),
    ("dr.leroy@example.org", "/urgence"),
    ("admin@example.org", "/admin/signalements"),
]
