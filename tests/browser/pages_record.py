"""Pages of the record (documents, medical profile, measurements, summary) as the demo
users see them, including Camille looking at her son Léo's space (its own address)."""

from tests.helpers import space_path
from webapp.models.documents import Document
from webapp.models.measurements import Measurement
from webapp.models.profile import ProfileEntry
from webapp.models.spaces import Space

CAMILLE = "camille.martin@example.org"
JEAN = "jean.dupont@example.org"


def _space(first_name):
    return Space.get(Space.first_name == first_name)


def at(first_name, path, label=None):
    """The address of a page of a demo space, computed when the test runs; the test id
    reads the path (or the label)."""

    def url():
        return space_path(_space(first_name), path)

    url.__name__ = label or path
    return url


def _doc(author_kind):
    return (Document.select().where((Document.space == _space("Camille"))
                                    & (Document.author_kind == author_kind))
            .order_by(Document.id).first())


def professional_document():
    """A document by Dr BERNARD."""
    return space_path(_space("Camille"), f"/documents/{_doc('professional').id}")


def documents_next_page():
    """The documents after Camille's newest one (a keyset page: webapp.seek)."""
    from webapp import seek
    newest = (Document.select().where(Document.space == _space("Camille"))
              .order_by(Document.document_date.desc(), Document.id.desc()).first())
    cursor = seek.encode(newest.document_date, newest.id)
    return space_path(_space("Camille"), f"/documents?apres={cursor}")


def own_document():
    """A document Camille added."""
    return space_path(_space("Camille"), f"/documents/{_doc('citizen').id}")


def edit_own_document():
    """The edit form of a document Camille added."""
    return own_document() + "/modifier"


def delete_own_document():
    """The deletion confirmation of a document Camille added."""
    return own_document() + "/supprimer"


def _allergy():
    return ProfileEntry.get((ProfileEntry.space == _space("Camille"))
                            & (ProfileEntry.section == "allergies"))


def edit_allergy():
    """The edit page of Camille's allergy."""
    return space_path(_space("Camille"), f"/profil/allergies/{_allergy().id}/modifier")


def delete_allergy():
    """The deletion confirmation of Camille's allergy."""
    return space_path(_space("Camille"), f"/profil/allergies/{_allergy().id}/supprimer")


def delete_weight():
    """The deletion confirmation of one of Camille's weights."""
    space = _space("Camille")
    m = Measurement.select().where((Measurement.space == space)
                                   & (Measurement.kind == "poids")).first()
    return space_path(space, f"/mesures/poids/{m.id}/supprimer")


PAGES = [
    (CAMILLE, at("Camille", "/documents")),
    (CAMILLE, at("Camille", "/documents?categorie=BIOLOGIE&q=bilan")),
    (CAMILLE, documents_next_page),
    (CAMILLE, at("Camille", "/documents/ajouter")),
    (CAMILLE, professional_document),
    (CAMILLE, own_document),
    (CAMILLE, edit_own_document),
    (CAMILLE, delete_own_document),
    (CAMILLE, at("Camille", "/parametres/documents")),
    (CAMILLE, at("Camille", "/profil")),
    (CAMILLE, at("Camille", "/profil/allergies")),
    (CAMILLE, at("Camille", "/profil/entourage/ajouter")),
    (CAMILLE, at("Camille", "/profil/maladies/ajouter")),
    (CAMILLE, at("Camille", "/profil/directives-anticipees/ajouter")),
    (CAMILLE, edit_allergy),
    (CAMILLE, delete_allergy),
    (CAMILLE, at("Camille", "/mesures")),
    (CAMILLE, at("Camille", "/mesures/poids")),
    (CAMILLE, at("Camille", "/mesures/tension")),
    (CAMILLE, at("Camille", "/mesures/tension/ajouter")),
    (CAMILLE, delete_weight),
    (CAMILLE, at("Camille", "/synthese")),
    (CAMILLE, at("Léo", "/documents", "leo/documents")),
    (CAMILLE, at("Léo", "/profil", "leo/profil")),
    (CAMILLE, at("Léo", "/mesures/perimetre-cranien", "leo/mesures/perimetre-cranien")),
    (JEAN, at("Jean", "/documents")),
    (JEAN, at("Jean", "/mesures/hba1c")),
]
