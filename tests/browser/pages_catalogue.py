"""Pages of the catalogue: the list (plain and filtered), an app's page (connected and
not), the consent page, and the list as Jean sees it (no connected app)."""

CAMILLE = "camille.martin@example.org"


def connected_app():
    """The page of the app connected to Camille's space in the demo data."""
    from webapp.models.catalogue import AppConnection
    from webapp.models.spaces import Space

    space = Space.get(Space.nir == "284057505612387")
    connection = AppConnection.active_for(space).first()
    return f"/catalogue/{connection.app.slug}"


def other_app():
    """The page of a listed app that nobody connected in the demo data."""
    from webapp.models.catalogue import AppConnection, CatalogueApp

    app = (CatalogueApp.listed().where(CatalogueApp.id.not_in(
        AppConnection.select(AppConnection.app))).first())
    return f"/catalogue/{app.slug}"


def consent_page():
    """The consent page of an app not yet connected."""
    return other_app() + "/connecter"


PAGES = [
    (CAMILLE, "/catalogue"),
    (CAMILLE, "/catalogue?categorie=chronic&q=tension"),
    (CAMILLE, "/catalogue?q=introuvable"),
    (CAMILLE, connected_app),
    (CAMILLE, other_app),
    (CAMILLE, consent_page),
    ("jean.dupont@example.org", "/catalogue"),
]
