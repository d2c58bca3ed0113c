"""Pages of the record (documents, medical profile, measurements, summary) as the demo
users see them, including Camille looking at her son Léo's space."""

CAMILLE = "camille.martin@example.org"
JEAN = "jean.dupont@example.org"


def _doc(author_kind):
    from webapp.models.documents import Document
    from webapp.models.spaces import Space

    space = Space.get(Space.first_name == "Camille")
    return (Document.select().where((Document.space == space)
                                    & (Document.author_kind == author_kind))
            .order_by(Document.id).first())


def professional_document():
    """A document by Dr BERNARD."""
    return f"/documents/{_doc('professional').id}"


def own_document():
    """A document Camille added."""
    return f"/documents/{_doc('citizen').id}"


def edit_own_document():
    """The edit form of a document Camille added."""
    return f"/documents/{_doc('citizen').id}/modifier"


def delete_own_document():
    """The deletion confirmation of a document Camille added."""
    return f"/documents/{_doc('citizen').id}/supprimer"


def _allergy():
    from webapp.models.profile import ProfileEntry
    from webapp.models.spaces import Space

    space = Space.get(Space.first_name == "Camille")
    return ProfileEntry.get((ProfileEntry.space == space) & (ProfileEntry.section == "allergies"))


def edit_allergy():
    """The edit page of Camille's allergy."""
    return f"/profil/allergies/{_allergy().id}/modifier"


def delete_allergy():
    """The deletion confirmation of Camille's allergy."""
    return f"/profil/allergies/{_allergy().id}/supprimer"


def delete_weight():
    """The deletion confirmation of one of Camille's weights."""
    from webapp.models.measurements import Measurement
    from webapp.models.spaces import Space

    space = Space.get(Space.first_name == "Camille")
    m = Measurement.select().where((Measurement.space == space)
                                   & (Measurement.kind == "poids")).first()
    return f"/mesures/poids/{m.id}/supprimer"


def show_leo(page, base_url):
    """Switch Camille's session to her son Léo's space with the profile switcher."""
    page.goto(base_url + "/")
    page.select_option("#space-switch", label="Léo MARTIN")
    with page.expect_navigation():
        page.click("form[action='/espace/choisir'] button[type=submit]")


PAGES = [
    (CAMILLE, "/documents"),
    (CAMILLE, "/documents?categorie=BIOLOGIE&q=bilan"),
    (CAMILLE, "/documents?page=2"),
    (CAMILLE, "/documents/ajouter"),
    (CAMILLE, professional_document),
    (CAMILLE, own_document),
    (CAMILLE, edit_own_document),
    (CAMILLE, delete_own_document),
    (CAMILLE, "/parametres/documents"),
    (CAMILLE, "/profil"),
    (CAMILLE, "/profil/allergies"),
    (CAMILLE, "/profil/entourage/ajouter"),
    (CAMILLE, "/profil/maladies/ajouter"),
    (CAMILLE, "/profil/directives-anticipees/ajouter"),
    (CAMILLE, edit_allergy),
    (CAMILLE, delete_allergy),
    (CAMILLE, "/mesures"),
    (CAMILLE, "/mesures/poids"),
    (CAMILLE, "/mesures/tension"),
    (CAMILLE, delete_weight),
    (CAMILLE, "/synthese"),
    (CAMILLE, "/documents", show_leo),
    (CAMILLE, "/profil", show_leo),
    (CAMILLE, "/mesures/perimetre-cranien", show_leo),
    (JEAN, "/documents"),
    (JEAN, "/mesures/hba1c"),
]
