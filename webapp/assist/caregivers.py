"""Family caregivers: a citizen invites up to 3 relatives by e-mail address; the account
that proved the address accepts or refuses; a person helps at most 5 others. Accepting
starts an open-ended caregiver mandate."""

from flask_babel import lazy_gettext as _l

from webapp import audit, policy, signals
from webapp.assist.actions import log
from webapp.assist.mandates import INVITATION_TTL, MAX_CAREGIVERS, MAX_HELPED, OPEN_END
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User
from webapp.models.assistance import CaregiverInvitation
from webapp.models.mandates import Mandate
from webapp.scopes import CAREGIVER_SCOPES, Capacity


class LimitReached(Exception):
    """A caregiver limit would be exceeded; str() is the message to show."""


def caregivers_of(access, now=None):
    """Caregivers' mandates in force on the access's space."""
    return (access.query(Mandate).join(User, on=(Mandate.holder == User.id))
            .where(Mandate.in_force(now) & (Mandate.kind == Capacity.CAREGIVER)))


def invite(access, email, scopes, now=None):
    """Invite a relative, by e-mail address, to help with the access's space, or raise
    LimitReached. The answer is the same whether the address has an account or not: the
    account that proved the address answers, and the limits that depend on it (already a
    caregiver, helping five people) are checked then."""
    now, space, inviter = now or utcnow(), access.space, access.actor
    email = email.strip().lower()
    if email == inviter.email:
        raise LimitReached(_l("Vous ne pouvez pas vous inviter vous-même."))
    with transaction():
        pending = access.query(CaregiverInvitation).where(CaregiverInvitation.is_pending(now))
        if caregivers_of(access, now).count() + pending.count() >= MAX_CAREGIVERS:
            raise LimitReached(_l("Vous avez déjà 3 aidants ou invitations en attente. Mettez "
                                  "fin à l'un d'eux avant d'en inviter un autre."))
        if pending.where(CaregiverInvitation.email == email).exists():
            raise LimitReached(_l("Une invitation à cette adresse est déjà en attente."))
        invitation = CaregiverInvitation.create(
            space=space, invited_by=inviter, email=email,
            scopes=" ".join(sorted(set(scopes) & CAREGIVER_SCOPES)), created_at=now,
            expires_at=now + INVITATION_TTL)
        access.log(Action.CAREGIVER_INVITE, invitation)
        invitee = policy.account_proving(email)
        if invitee is not None:
            after_commit(lambda: signals.caregiver_invited.send(invitation, invitee=invitee))
    return invitation


def cancel(access, invitation):
    """Withdraw an invitation that has not been answered."""
    with transaction():
        invitation.cancelled_at = utcnow()
        invitation.save(only=[CaregiverInvitation.cancelled_at])
        access.log(Action.PRIVACY, invitation, "cancel")


def accept(invitation, user, now=None):
    """The account that proved the invited address accepts: a caregiver mandate starts.
    Raises LimitReached; None (nothing written) when the invitation was answered
    meanwhile (one mandate, however many times it is sent at once)."""
    now, space = now or utcnow(), invitation.space
    if user.id in (space.owner_id, invitation.invited_by_id):
        raise LimitReached(_l("Vous ne pouvez pas être votre propre aidant."))
    with transaction():
        if policy.helped_by(user, now).where(Mandate.space == space).exists():
            raise LimitReached(_l("Vous aidez déjà cette personne."))
        if policy.helped_by(user, now).count() >= MAX_HELPED:
            raise LimitReached(_l("Vous aidez déjà 5 proches, le maximum possible. Arrêtez "
                                  "d'aider l'un d'eux avant d'accepter."))
        if not _answer(invitation, user, now):
            return None
        mandate = Mandate.create(space=space, holder=user, kind="caregiver",
                                 scopes=invitation.scopes, duration="open", starts_at=now,
                                 ends_at=OPEN_END, created_at=now)
        invitation.mandate = mandate
        invitation.save(only=[CaregiverInvitation.mandate])
        log(mandate, user, Action.CAREGIVER_ACCEPT)
        after_commit(lambda: signals.caregiver_answered.send(invitation, accepted=True))
    return mandate


def refuse(invitation, user, now=None):
    """The account that proved the invited address refuses; the inviter is told."""
    now = now or utcnow()
    with transaction():
        if not _answer(invitation, user, now):
            return
        audit.write(invitation.space, action=Action.CAREGIVER_INVITE, capacity=Capacity.CITIZEN,
                    actor=user, target=invitation, detail="refused")
        after_commit(lambda: signals.caregiver_answered.send(invitation, accepted=False))


def _answer(invitation, user, now):
    """Mark the invitation answered by this account, once (a conditional UPDATE)."""
    answered = (CaregiverInvitation.update(answered_at=now, invitee=user)
                .where((CaregiverInvitation.id == invitation.id)
                       & CaregiverInvitation.is_pending(now)).execute())
    invitation.answered_at, invitation.invitee = now, user
    return answered == 1
