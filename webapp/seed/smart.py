"""Demo API clients: every catalogue app is an OAuth client (public, PKCE, loopback
redirect), plus one professional software; Camille has authorised Carnet Tension."""

from webapp import policy
from webapp.access import Access
from webapp.models.catalogue import CatalogueApp
from webapp.models.smart import SmartClient
from webapp.smart import clients, consents

REDIRECT = "http://127.0.0.1/callback"  # any port (RFC 8252): http://127.0.0.1:8080/callback
SOFTWARE_ID = "demo-cabinet"
SOFTWARE_SCOPES = ("user/Patient.rs user/DocumentReference.crs user/Binary.cr "
                   "user/Observation.crs user/Communication.cs user/Appointment.crus "
                   "openid fhirUser offline_access")
# What the catalogue's own codes ask for, in SMART scopes.
SMART_OF = {
    "profile.read": "patient/Observation.rs patient/AllergyIntolerance.rs "
                    "patient/Immunization.rs",
    "profile.write": "patient/Observation.c",
    "documents.read": "patient/DocumentReference.rs patient/Binary.r",
    "documents.add": "patient/DocumentReference.c",
    "agenda.read": "patient/Appointment.rs",
    "agenda.write": "patient/Appointment.c",
}
ALWAYS = "launch/patient patient/Patient.r offline_access"


def client_id_of(app):
    """The demo client id of a catalogue app."""
    return f"demo-{app.slug}"


def smart_scopes_of(app):
    """The SMART scopes a demo app asks for."""
    words = ALWAYS.split()
    for code in app.scope_set:
        words += [w for w in SMART_OF.get(code, "").split() if w not in words]
    return " ".join(words)


def seed(ctx):
    """A client for each catalogue app, the demo software, Camille's consent."""
    for app in CatalogueApp.select():
        if SmartClient.get_or_none(SmartClient.app == app) is None:
            clients.register(app.name, "app", [REDIRECT], scopes=smart_scopes_of(app),
                             app=app, client_id=client_id_of(app))
    if clients.find(SOFTWARE_ID) is None:
        clients.register("Cabinet Démo", "software", [REDIRECT], scopes=SOFTWARE_SCOPES,
                         publisher="Éditeur Exemple Logiciels", client_id=SOFTWARE_ID,
                         description="Logiciel de cabinet médical (démonstration) : dépose "
                                     "des comptes rendus et lit les mesures des patients.")
    camille, space = ctx.users["camille"], ctx.spaces["camille"]
    tension = clients.find("demo-carnet-tension")
    if tension is not None and consents.current(camille, tension, space) is None:
        access = Access(camille, space, policy.grant_for(camille, space))
        consents.remember(camille, tension, space,
                          granted=["launch/patient", "patient/Observation.crs"],
                          refused=["offline_access"], access=access)
