"""Demo assisted access: Amina manages her office (with a colleague, Sophie ROBERT); her
mandates (two active, one expired) with their attestations; Camille's pending caregiver
invitation for Jean."""

import datetime as dt

from webapp.assist import mandates
from webapp.db import utcnow
from webapp.models.accounts import User
from webapp.models.assistance import CaregiverInvitation
from webapp.models.mandates import Attestation, Mandate

COLLEAGUE = dict(email="sophie.robert@example.org", role="mediator", first_name="Sophie",
                 last_name="Robert", totp_secret="JBSWY3DPEHPK3PXP")
# Demo only: fixed references and verification codes, documented for testers.
DEMO = [
    # key, space, scopes, duration, started days ago, verification code
    ("DEMO0CAMILLE", "camille", "documents.read agenda.read agenda.write messages.read "
     "messages.reply", "month", 2, "DEMO-CAMI-2026"),
    ("DEMO00JEAN01", "jean", "documents.read documents.add agenda.read agenda.write", "month",
     5, "DEMO-JEAN-2026"),
    ("DEMO00JEAN00", "jean", "messages.read", "day", 60, "DEMO-PAST-2026"),
]


def seed(ctx):
    """Idempotent: each demo mandate is looked up by its reference first."""
    amina = ctx.users["amina"]
    if not amina.is_office_manager:  # Amina manages her office in the demo
        amina.is_office_manager = True
        amina.save()
    if User.by_email(COLLEAGUE["email"]) is None:  # a colleague she can deactivate
        User.create(password_hash=amina.password_hash, office=amina.office, **COLLEAGUE)
    now = utcnow()
    for reference, key, scopes, duration, days_ago, code in DEMO:
        if Mandate.get_or_none(Mandate.reference == reference) is not None:
            continue
        start = now - dt.timedelta(days=days_ago)
        space = ctx.spaces[key]
        mandate = Mandate.create(space=space, holder=amina, office=amina.office, kind="mediator",
                                 scopes=scopes, duration=duration, reference=reference,
                                 starts_at=start, ends_at=mandates.ends_at(duration, start),
                                 created_at=start)
        office = amina.office
        Attestation.create(mandate=mandate, code=code, consent_method="code",
                           citizen_name=space.display_name, holder_name=amina.display_name,
                           office_name=office.name, office_address=office.address,
                           office_siret=office.siret, office_label=office.label_number,
                           created_at=start)
    camille, jean = ctx.users["camille"], ctx.users["jean"]
    if not CaregiverInvitation.select().where(
            (CaregiverInvitation.space == ctx.spaces["camille"])
            & (CaregiverInvitation.email == jean.email)).exists():
        CaregiverInvitation.create(
            space=ctx.spaces["camille"], invited_by=camille, email=jean.email,
            scopes=" ".join(sorted(str(s) for s in mandates.CAREGIVER_CHOICES)),
            created_at=now - dt.timedelta(days=1),
            expires_at=now - dt.timedelta(days=1) + mandates.INVITATION_TTL)
