"""Demo data for privacy: an emergency physician, a few accesses in Camille's history, and
two more spaces waiting for activation (Emma ROUX, code EMMA-2026; Lucas PETIT, code
LUCAS-2026) to try activation and objection without using Nadia's."""

import datetime as dt

from webapp import audit
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.audit import AccessLog
from webapp.models.privacy import EmergencySettings
from webapp.models.spaces import Space
from webapp.pro.professions import Profession, Specialty
from webapp.scopes import Capacity, Scope
from webapp.security import hash_password

EMERGENCY_DOCTOR = dict(email="dr.leroy@example.org", role="professional", first_name="Sophie",
                        last_name="Leroy", rpps="10009876540",
                        profession=Profession.MEDECIN, specialty=Specialty.MEDECINE_URGENCE)
WAITING = [
    dict(first_name="Emma", last_name="Roux", birth_date=dt.date(1990, 7, 12),
         nir="290076912345669", sex="F", code="EMMA-2026"),
    dict(first_name="Lucas", last_name="Petit", birth_date=dt.date(1988, 5, 3),
         nir="188053306300117", sex="M", code="LUCAS-2026"),
]


def seed(ctx):
    """Idempotent: an EMS doctor, Camille's emergency switches, her professional's visits."""
    user = User.by_email(EMERGENCY_DOCTOR["email"])
    if user is None:
        admin = ctx.users["admin"]
        user = User.create(password_hash=admin.password_hash, **EMERGENCY_DOCTOR)
    ctx.users["leroy"] = user
    for fields in WAITING:
        fields = dict(fields)
        code = fields.pop("code")
        if Space.get_or_none(Space.nir == fields["nir"]) is None:
            Space.create(state="created", notified_at=utcnow() - dt.timedelta(days=5),
                         activation_code_hash=hash_password(code),
                         activation_expires_at=utcnow() + dt.timedelta(days=365), **fields)
    camille = ctx.spaces["camille"]
    EmergencySettings.get_or_create(space=camille)
    bernard = ctx.users["bernard"]
    visited = AccessLog.select().where((AccessLog.space == camille)
                                       & (AccessLog.actor == bernard)).exists()
    if not visited:
        for scope, detail in ((Scope.DOCUMENTS_READ, ""),
                              (Scope.DOCUMENTS_READ, "documents.download"),
                              (Scope.PROFILE_READ, ""),
                              (Scope.DOCUMENTS_ADD, "")):
            audit.write(camille, action=scope, capacity=Capacity.PROFESSIONAL, actor=bernard,
                        detail=detail)
