"""Pages of the catalogue: the list (plain and filtered), an app's page (connected and
not), the consent page, and the list as Jean sees it (no connected app)."""

from tests.browser.pages_record import at
from tests.helpers import space_path
from webapp.models.catalogue import AppConnection, CatalogueApp
from webapp.models.spaces import Space

CAMILLE = "camille.martin@example.org"


def _camille():
    return Space.get(Space.first_name == "Camille")


def connected_app():
    """The page of the app connected to Camille's space in the demo data."""
    space = _camille()
    connection = AppConnection.get((AppConnection.space == space)
                                   & AppConnection.disconnected_at.is_null())
    return space_path(space, f"/catalogue/{connection.app.slug}")


def other_app():
    """The page of a listed app that nobody connected in the demo data."""
    app = (CatalogueApp.listed().where(CatalogueApp.id.not_in(
        AppConnection.select(AppConnection.app))).first())
    return space_path(_camille(), f"/catalogue/{app.slug}")


def consent_page():
    """The consent page of an app not yet connected."""
    return other_app() + "/connecter"


PAGES = [
    (CAMILLE, at("Camille", "/catalogue")),
    (CAMILLE, at("Camille", "/catalogue?categorie=chronic&q=tension")),
    (CAMILLE, at("Camille", "/catalogue?q=introuvable")),
    (CAMILLE, connected_app),
    (CAMILLE, other_app),
    (CAMILLE, consent_page),
    ("jean.dupont@example.org", at("Jean", "/catalogue")),
]
