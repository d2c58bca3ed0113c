"""Demo data for professionals: the national health identity of each demo space (demo OID
1.2.250.1.213.1.4.10, never a real person), a person born abroad who has a waiting number
(NIA, demo OID 1.2.250.1.213.1.4.11), professionals of every profession with real-looking
RPPS numbers and places of practice (FINESS or SIRET with valid keys), their patients, a
document Dr BERNARD keeps for Camille's announcement consultation, and an appointment he
proposes to her."""

import datetime as dt
import io

from webapp import storage
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.agenda import Appointment
from webapp.models.documents import Document
from webapp.models.pro import Practice
from webapp.models.spaces import CareRelation, Space
from webapp.pro.accounts import structure_for
from webapp.pro.ins import TEST_NIA_OID, TEST_NIR_OID, Status
from webapp.pro.professions import Profession
from webapp.seed.agenda import _at
from webapp.seed.record import pdf_bytes

# space key -> (birth name, given names at birth, INSEE code of the birth place, status)
IDENTITIES = {
    "camille": ("Martin", "Camille Marie", "75056", Status.QUALIFIED),
    "leo": ("Martin", "Léo Paul", "75114", Status.VALIDATED),
    "jean": ("Dupont", "Jean Michel", "69123", Status.QUALIFIED),
    "nadia": ("Benali", "Nadia", "13055", Status.RETRIEVED),
}
# Born in Turkey (99208), no NIR yet: a waiting number (NIA), the identity retrieved from
# the national service but not checked on an official document. Open by opt-out (notified
# long ago, no account), so that professionals can find him.
NIA_SPACE = dict(first_name="Yusuf", last_name="Kaya", birth_date=dt.date(1988, 11, 2),
                 nir="188119920804251", sex="M", ins_oid=TEST_NIA_OID, birth_name="Kaya",
                 birth_first_names="Yusuf Emre", birth_first_name="Yusuf",
                 birth_place="99208", identity_status=Status.RETRIEVED)
PLACES = {
    "belleville": ("Cabinet médical de Belleville", "8 rue de Belleville, 75020 Paris", "",
                   "81234567800013"),
    "samu": ("SAMU de Paris – Centre 15", "149 rue de Sèvres, 75015 Paris", "750041238", ""),
    "canal": ("Pharmacie du Canal", "52 quai de Jemmapes, 75010 Paris", "750034563", ""),
    "lab": ("Laboratoire Bio Paris 19", "40 avenue Jean Jaurès, 75019 Paris", "750012346", ""),
    "soins": ("Cabinet infirmier des Buttes-Chaumont", "15 rue Manin, 75019 Paris", "",
              "82345678900010"),
    "kine": ("Cabinet de kinésithérapie Crimée", "3 rue de Crimée, 75019 Paris", "",
             "83456789000019"),
    "maieutique": ("Cabinet de sage-femme du Parc", "21 avenue Simon Bolivar, 75019 Paris",
                   "", "84567890100016"),
    "dentaire": ("Cabinet dentaire Jaurès", "60 avenue Jean Jaurès, 75019 Paris", "",
                 "85678901200015"),
}
# The professionals of the feature: email, names, RPPS, profession, place, patients
PROFESSIONALS = {
    "fontaine": ("claire.fontaine@example.org", "Claire", "Fontaine", "10014567894",
                 Profession.PHARMACIEN, "canal", ("camille",)),
    "garnier": ("dr.garnier@example.org", "Hélène", "Garnier", "10022334451",
                Profession.BIOLOGISTE, "lab", ()),
    "moreau": ("julien.moreau@example.org", "Julien", "Moreau", "10033445569",
               Profession.INFIRMIER, "soins", ("jean",)),
    "lambert": ("thomas.lambert@example.org", "Thomas", "Lambert", "10044556677",
                Profession.MASSEUR_KINESITHERAPEUTE, "kine", ()),
    "rousseau": ("lea.rousseau@example.org", "Léa", "Rousseau", "10055667785",
                 Profession.SAGE_FEMME, "maieutique", ("camille",)),
    "girard": ("dr.girard@example.org", "Marc", "Girard", "10066778894",
               Profession.CHIRURGIEN_DENTISTE, "dentaire", ("jean",)),
}
PLACE_OF = {"bernard": "belleville", "leroy": "samu"}
WITHHELD_TITLE = "Compte rendu d'anatomopathologie"


def _identities(ctx):
    for key, (birth_name, names, place, status) in IDENTITIES.items():
        space = ctx.spaces[key]
        if space.birth_name:
            continue
        space.ins_oid, space.birth_name, space.birth_first_names = TEST_NIR_OID, birth_name, names
        space.birth_first_name, space.birth_place = names.split()[0], place
        space.identity_status = status
        space.save()


def _nia_space(ctx):
    space = Space.get_or_none(Space.nir == NIA_SPACE["nir"])
    if space is None:
        space = Space.create(state="created", notified_at=utcnow() - dt.timedelta(days=90),
                             **NIA_SPACE)
    ctx.spaces["yusuf"] = space


def _practice(user, place):
    if not Practice.select().where(Practice.professional == user).exists():
        Practice.create(professional=user, structure=structure_for(*PLACES[place]))


def _professionals(ctx):
    for key, place in PLACE_OF.items():
        _practice(ctx.users[key], place)
    for key, (email, first, last, rpps, profession, place, patients) in PROFESSIONALS.items():
        user = User.by_email(email)
        if user is None:
            user = User.create(email=email, password_hash=ctx.users["admin"].password_hash,
                               role="professional", first_name=first, last_name=last,
                               rpps=rpps, profession=profession)
        ctx.users[key] = user
        _practice(user, place)
        for patient in patients:
            CareRelation.get_or_create(professional=user, space=ctx.spaces[patient])


def _withheld_document(ctx):
    camille, bernard = ctx.spaces["camille"], ctx.users["bernard"]
    if Document.select().where((Document.space == camille)
                               & (Document.title == WITHHELD_TITLE)).exists():
        return
    digest, size, mime = storage.store(io.BytesIO(pdf_bytes(WITHHELD_TITLE, "Dr Paul BERNARD")))
    Document.create(space=camille, title=WITHHELD_TITLE, category="CPT_REND", loinc="11488-4",
                    document_date=utcnow().date() - dt.timedelta(days=1), author=bernard,
                    author_kind="professional", author_name="Dr Paul BERNARD", sha256=digest,
                    size=size, mime=mime, original_filename="anapath.pdf", source="seed",
                    withheld=True)


def _proposal(ctx):
    camille, bernard = ctx.spaces["camille"], ctx.users["bernard"]
    if Appointment.select().where((Appointment.space == camille)
                                  & (Appointment.status != "")).exists():
        return
    starts = _at(6, 11, 15)
    Appointment.create(
        space=camille, title="Consultation d'annonce", starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30), status="proposed",
        with_whom="Paul BERNARD, Médecin – Médecine générale, Cabinet médical de Belleville",
        address="8 rue de Belleville, 75020 Paris", owner_kind="professional",
        owner_name=bernard.display_name, created_by=bernard,
        note="Pour parler de vos derniers résultats.")


def seed(ctx):
    """Idempotent: identities (a NIA among them), professionals and places, a withheld
    document, a proposal."""
    _identities(ctx)
    _nia_space(ctx)
    _professionals(ctx)
    _withheld_document(ctx)
    _proposal(ctx)
