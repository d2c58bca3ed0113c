"""Demo data for privacy: an emergency physician, and a few accesses in Camille's history."""

from webapp.models.accounts import User
from webapp.models.audit import AccessLog
from webapp.models.privacy import EmergencySettings
from webapp.policy import Grant, PROFESSIONAL_SCOPES, Scope, record

EMERGENCY_DOCTOR = dict(email="dr.leroy@example.org", role="professional", first_name="Sophie",
                        last_name="Leroy", rpps="10009876543",
                        profession="Médecin urgentiste (SAMU 75)")


def seed(ctx):
    """Idempotent: an EMS doctor, Camille's emergency switches, her professional's visits."""
    user = User.by_email(EMERGENCY_DOCTOR["email"])
    if user is None:
        admin = ctx.users["admin"]
        user = User.create(password_hash=admin.password_hash, **EMERGENCY_DOCTOR)
    ctx.users["leroy"] = user
    camille = ctx.spaces["camille"]
    EmergencySettings.get_or_create(space=camille)
    bernard = ctx.users["bernard"]
    visited = AccessLog.select().where((AccessLog.space == camille)
                                       & (AccessLog.actor == bernard)).exists()
    if not visited:
        grant = Grant(bernard, camille, "professional", PROFESSIONAL_SCOPES)
        for scope, target in ((Scope.DOCUMENTS_READ, "documents.index"),
                              (Scope.DOCUMENTS_READ, "documents.download"),
                              (Scope.PROFILE_READ, "profile.index"),
                              (Scope.DOCUMENTS_ADD, "documents.add")):
            record(grant, camille, scope, target)
