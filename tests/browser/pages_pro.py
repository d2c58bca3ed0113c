"""Pages of the professionals' area as the demo users see them: Dr BERNARD's own pages and
his pages under Camille's address, Camille answering a proposal, the admins' pages on
professionals, and a new professional's set-up link."""

from tests.helpers import space_path
from webapp.models.accounts import User
from webapp.models.agenda import Appointment
from webapp.models.documents import Document
from webapp.models.pro import ProInvitation
from webapp.models.spaces import Space

BERNARD = "dr.bernard@example.org"
CAMILLE = "camille.martin@example.org"
ADMIN = "admin@example.org"


def _camille():
    return Space.get(Space.first_name == "Camille")


def at(path, label=None):
    """A page under Camille's address, computed when the test runs."""

    def url():
        return space_path(_camille(), path)

    url.__name__ = label or path
    return url


def withheld_document():
    """The document Dr BERNARD keeps for the announcement consultation, as he sees it."""
    doc = Document.get((Document.space == _camille()) & Document.withheld)
    return space_path(_camille(), f"/documents/{doc.id}")


def new_version():
    """The form of a new version of one of Dr BERNARD's documents."""
    bernard = User.by_email(BERNARD)
    doc = (Document.select().where((Document.space == _camille()) & (Document.author == bernard)
                                   & Document.superseded_at.is_null()).order_by(Document.id)
           .first())
    return space_path(_camille(), f"/pro/documents/deposer?remplace={doc.id}")


def proposal():
    """The appointment Dr BERNARD proposed, as Camille answers it."""
    entry = Appointment.get((Appointment.space == _camille()) & (Appointment.status != ""))
    return space_path(_camille(), f"/agenda/{entry.id}")


def setup_link():
    """A new professional's link to choose a password (a fresh one for the test)."""
    import datetime as dt

    from webapp.db import utcnow

    token = ProInvitation.new_token()
    ProInvitation.create(user=User.by_email("thomas.lambert@example.org"),
                         token_hash=ProInvitation.hash_token(token),
                         expires_at=utcnow() + dt.timedelta(days=1))
    return f"/pro/compte/{token}"


PAGES = [
    (BERNARD, "/"),
    (BERNARD, "/pro/patients/rechercher"),
    (BERNARD, "/pro/activite"),
    (BERNARD, at("/pro/", "patient")),
    (BERNARD, at("/pro/dossier", "record")),
    (BERNARD, at("/pro/documents/deposer", "deposit")),
    (BERNARD, new_version),
    (BERNARD, withheld_document),
    (BERNARD, at("/pro/rendez-vous", "propose")),
    (CAMILLE, at("/documents", "waiting-document")),
    (CAMILLE, proposal),
    (ADMIN, "/admin/professionnels"),
    (ADMIN, "/admin/professionnels/nouveau"),
    (None, setup_link),
    (None, "/pro/compte/ce-lien-n-existe-pas"),
]
