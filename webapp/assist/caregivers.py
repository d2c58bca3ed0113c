"""Family caregivers: a citizen invites up to 3 relatives with an account, who accept or
refuse; a person helps at most 5 others. Accepting starts an open-ended caregiver mandate."""

from flask_babel import lazy_gettext as _l

from webapp import audit, policy, signals
from webapp.assist.actions import log
from webapp.assist.mandates import INVITATION_TTL, MAX_CAREGIVERS, MAX_HELPED, OPEN_END
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User
from webapp.models.assistance import CaregiverInvitation
from webapp.models.mandates import Mandate
from webapp.scopes import CAREGIVER_SCOPES


class LimitReached(Exception):
    """A caregiver limit would be exceeded; str() is the message to show."""


def caregivers_of(access, now=None):
    """Caregivers' mandates in force on the access's space."""
    return (access.query(Mandate).join(User, on=(Mandate.holder == User.id))
            .where(Mandate.in_force(now) & (Mandate.kind == "caregiver")))


def invite(access, invitee, scopes, now=None):
    """Invite a relative to help with the access's space, or raise LimitReached."""
    now, space, inviter = now or utcnow(), access.space, access.actor
    if invitee.id == inviter.id or invitee.id == space.owner_id:
        raise LimitReached(_l("Vous ne pouvez pas vous inviter vous-même."))
    with transaction():
        pending = access.query(CaregiverInvitation).where(CaregiverInvitation.is_pending(now))
        if caregivers_of(access, now).count() + pending.count() >= MAX_CAREGIVERS:
            raise LimitReached(_l("Vous avez déjà 3 aidants ou invitations en attente. Mettez "
                                  "fin à l'un d'eux avant d'en inviter un autre."))
        if caregivers_of(access, now).where(Mandate.holder == invitee).exists() or \
                pending.where(CaregiverInvitation.invitee == invitee).exists():
            raise LimitReached(_l("Cette personne est déjà votre aidant ou a déjà une "
                                  "invitation en attente."))
        if policy.helped_by(invitee, now).count() >= MAX_HELPED:
            raise LimitReached(_l("Cette personne aide déjà 5 proches, le maximum possible."))
        invitation = CaregiverInvitation.create(
            space=space, invited_by=inviter, invitee=invitee,
            scopes=" ".join(sorted(set(scopes) & CAREGIVER_SCOPES)), created_at=now,
            expires_at=now + INVITATION_TTL)
        access.log(Action.CAREGIVER_INVITE, invitation, invitee.display_name)
        after_commit(lambda: signals.caregiver_invited.send(invitation))
    return invitation


def cancel(access, invitation):
    """Withdraw an invitation that has not been answered."""
    with transaction():
        invitation.cancelled_at = utcnow()
        invitation.save(only=[CaregiverInvitation.cancelled_at])
        access.log(Action.PRIVACY, invitation, "cancel")


def accept(invitation, now=None):
    """The invitee accepts: a caregiver mandate starts. Raises LimitReached."""
    now = now or utcnow()
    with transaction():
        if policy.helped_by(invitation.invitee, now).count() >= MAX_HELPED:
            raise LimitReached(_l("Vous aidez déjà 5 proches, le maximum possible. Arrêtez "
                                  "d'aider l'un d'eux avant d'accepter."))
        mandate = Mandate.create(space=invitation.space, holder=invitation.invitee,
                                 kind="caregiver", scopes=invitation.scopes, duration="open",
                                 starts_at=now, ends_at=OPEN_END, created_at=now)
        invitation.answered_at, invitation.mandate = now, mandate
        invitation.save(only=[CaregiverInvitation.answered_at, CaregiverInvitation.mandate])
        log(mandate, invitation.invitee, Action.CAREGIVER_ACCEPT)
        after_commit(lambda: signals.caregiver_answered.send(invitation, accepted=True))
    return mandate


def refuse(invitation, now=None):
    """The invitee refuses; the inviter is told."""
    with transaction():
        invitation.answered_at = now or utcnow()
        invitation.save(only=[CaregiverInvitation.answered_at])
        audit.write(invitation.space, action=Action.CAREGIVER_INVITE, capacity="citizen",
                    actor=invitation.invitee, target=invitation, detail="refused")
        after_commit(lambda: signals.caregiver_answered.send(invitation, accepted=False))
