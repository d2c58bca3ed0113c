"""Pages of the privacy and life-cycle area, as the demo users see them."""

CAMILLE = "camille.martin@example.org"
EMMA = dict(nir="290076912345669", birth="12/07/1990", code="EMMA-2026")


def _report_url():
    from webapp.models.audit import AccessLog
    from webapp.models.spaces import Space

    camille = Space.get(Space.nir == "284057505612387")
    entry = (AccessLog.select().where((AccessLog.space == camille)
                                      & (AccessLog.capacity == "professional"))
             .order_by(AccessLog.id).first())
    return f"/historique/{entry.id}/signaler"


def _identity(path):
    def setup(page, base_url):
        page.goto(path)
        page.fill("#nir", EMMA["nir"])
        page.fill("#birth_date", EMMA["birth"])
        page.fill("#code", EMMA["code"])
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    return setup


def _show_leo(page, base_url):
    page.goto("/")
    page.select_option("#space-switch", label="Léo MARTIN")
    page.click("form.switcher button[type=submit]")
    page.wait_for_load_state()


PAGES = [
    (None, "/activation"),
    (None, "/opposition"),
    (None, "/activation/compte", _identity("/activation")),
    (None, "/opposition/confirmer", _identity("/opposition")),
    (CAMILLE, "/historique"),
    (CAMILLE, "/historique?qui=professionnels&periode=30"),
    (CAMILLE, _report_url),
    (CAMILLE, "/confidentialite/professionnels"),
    (CAMILLE, "/confidentialite/urgence"),
    (CAMILLE, "/compte"),
    (CAMILLE, "/compte/email"),
    (CAMILLE, "/compte/mot-de-passe"),
    (CAMILLE, "/compte/export"),
    (CAMILLE, "/compte/fermer"),
    (CAMILLE, "/compte/rouvrir"),
    (CAMILLE, "/representants"),
    (CAMILLE, "/representants", _show_leo),
    (CAMILLE, "/representants/invitations"),
    ("dr.leroy@example.org", "/urgence"),
    ("admin@example.org", "/admin/signalements"),
]
