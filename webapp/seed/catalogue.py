"""Demo catalogue: fictional apps from fictional publishers (not real products), and one
app connected to Camille's space."""

import datetime as dt

from webapp import policy
from webapp.access import Access
from webapp.catalogue.actions import connect
from webapp.models.catalogue import AppConnection, CatalogueApp

APPS = [
    dict(slug="carnet-tension", name="Carnet Tension", publisher="Société Exemple Santé",
         category="chronic", accessibility="partial", referenced_at=dt.date(2024, 3, 12),
         scopes="profile.read profile.write",
         summary="Notez votre tension artérielle et suivez son évolution avec votre médecin.",
         description="Carnet Tension vous aide à relever votre tension artérielle matin et "
                     "soir, trois jours de suite, comme le recommandent les médecins.\n\n"
                     "Les mesures sont ajoutées à votre profil médical, où votre médecin "
                     "traitant peut les consulter."),
    dict(slug="pas-a-pas", name="Pas à Pas", publisher="Association Bouger Exemple",
         category="activity", accessibility="full", referenced_at=dt.date(2023, 9, 4),
         scopes="profile.read",
         summary="Un programme de marche progressif, adapté à votre âge et à votre santé.",
         description="Pas à Pas propose des objectifs de marche quotidienne qui augmentent "
                     "doucement, semaine après semaine.\n\nL'application lit votre profil "
                     "médical pour adapter le programme à vos traitements et antécédents."),
    dict(slug="rappel-vaccins", name="Rappel Vaccins", publisher="Exemple Prévention SAS",
         category="prevention", accessibility="partial", referenced_at=dt.date(2024, 1, 22),
         scopes="profile.read agenda.write",
         summary="Les vaccins à faire pour vous et vos enfants, avec des rappels dans "
                 "votre agenda.",
         description="Rappel Vaccins compare vos vaccinations au calendrier vaccinal et "
                     "ajoute à votre agenda un rappel pour chaque vaccin à faire."),
    dict(slug="bebe-suivi", name="Bébé Suivi", publisher="Mutuelle Fictive des Familles",
         category="family", accessibility="partial", referenced_at=dt.date(2025, 2, 3),
         scopes="documents.read agenda.read agenda.write",
         summary="Le suivi de grossesse puis les premières années de votre enfant.",
         description="Bébé Suivi rassemble les examens de grossesse, puis les examens "
                     "obligatoires de l'enfant, et vous rappelle les prochains rendez-vous."),
    dict(slug="parole-ecoute", name="Parole et Écoute", publisher="Collectif Exemple Psy",
         category="mental", accessibility="full", referenced_at=dt.date(2024, 10, 10),
         scopes="agenda.write",
         summary="Trouver un psychologue près de chez vous et prendre rendez-vous.",
         description="Parole et Écoute liste des psychologues conventionnés et ajoute vos "
                     "séances à votre agenda de santé."),
    dict(slug="consult-distance", name="Consult'Distance", publisher="Téléservices Exemple",
         category="teleconsultation", accessibility="none", referenced_at=dt.date(2023, 6, 19),
         scopes="documents.read documents.add profile.read",
         summary="Consultez un médecin en vidéo et recevez votre ordonnance dans votre espace.",
         description="Consult'Distance met en relation avec un médecin en vidéo, 7 jours "
                     "sur 7.\n\nLe compte rendu et l'ordonnance sont déposés dans vos "
                     "documents."),
    dict(slug="agenda-soins", name="Agenda Soins", publisher="Rendez-vous Fictif SARL",
         category="booking", accessibility="partial", referenced_at=dt.date(2024, 5, 27),
         scopes="agenda.read agenda.write",
         summary="Prenez rendez-vous chez des professionnels de santé près de chez vous.",
         description="Agenda Soins affiche les créneaux libres des professionnels qui "
                     "l'utilisent et inscrit vos rendez-vous dans votre agenda de santé."),
    dict(slug="mon-pilulier", name="Mon Pilulier", publisher="Officine Exemple",
         category="medication", accessibility="unknown", referenced_at=dt.date(2025, 7, 1),
         scopes="documents.read profile.read",
         summary="Vos traitements en cours et un rappel à l'heure de chaque prise.",
         description="Mon Pilulier lit vos ordonnances et vos traitements en cours pour "
                     "préparer un plan de prise, avec un rappel à chaque heure de prise."),
    dict(slug="glycemie-facile", name="Glycémie Facile", publisher="Société Exemple Santé",
         category="chronic", accessibility="full", referenced_at=dt.date(2025, 11, 14),
         scopes="profile.read profile.write documents.read",
         summary="Relevez votre glycémie et partagez un bilan avec votre diabétologue.",
         description="Glycémie Facile enregistre vos mesures de glycémie dans votre profil "
                     "médical et prépare un bilan à montrer en consultation."),
]


def seed(ctx):
    """The referenced apps, and Carnet Tension connected to Camille's space."""
    for fields in APPS:
        if CatalogueApp.get_or_none(CatalogueApp.slug == fields["slug"]) is None:
            CatalogueApp.create(website=f"https://{fields['slug']}.example", **fields)
    space, camille = ctx.spaces["camille"], ctx.users["camille"]
    app = CatalogueApp.get(CatalogueApp.slug == "carnet-tension")
    if not AppConnection.select().where((AppConnection.space == space)
                                        & (AppConnection.app == app)).exists():
        connect(Access(camille, space, policy.grant_for(camille, space)), app)
