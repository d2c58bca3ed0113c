"""A minor's legal representatives: the first invites a second one by e-mail address; the
account that proved that address accepts (with the child's birth date) or refuses. One
transaction each, written in the child's access log, announced after commit. Their
rights end on the child's 18th birthday (see Guardianship)."""

from webapp import audit, policy, signals
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User
from webapp.models.privacy import GuardianInvitation
from webapp.models.spaces import Guardianship
from webapp.scopes import Capacity

MAX_GUARDIANS = 2


def guardians_of(child):
    """The child's legal representatives in force, by name."""
    return list(User.select().join(Guardianship, on=(Guardianship.guardian == User.id))
                .where((Guardianship.child == child) & Guardianship.ended_at.is_null())
                .order_by(User.last_name, User.first_name))


def manages(access, now=None):
    """True when the access is a legal representative's on a minor's space."""
    return access.capacity == Capacity.GUARDIAN and access.space.is_minor(
        (now or utcnow()).date())


def invite(access, email):
    """Invite a second legal representative (told when they have an account)."""
    with transaction():
        invitation = GuardianInvitation.create(child=access.space, invited_by=access.actor,
                                               email=email)
        access.log(Action.GUARDIAN_INVITE, invitation)
        invitee = policy.account_proving(email)  # told only when the address is proven
        if invitee is not None:
            after_commit(lambda: signals.guardian_invited.send(invitation, invitee=invitee))
    return invitation


def accept(invitation, user, now=None):
    """The invitee becomes a legal representative of the child. False (and nothing
    written) when the child is now an adult, already has two representatives, or the
    invitation was answered meanwhile: one conditional UPDATE takes it, so the form sent
    several times at once makes one guardianship and one log entry."""
    now, child = now or utcnow(), invitation.child
    with transaction():
        if not child.is_minor(now.date()) or len(guardians_of(child)) >= MAX_GUARDIANS:
            return False
        taken = (GuardianInvitation.update(accepted_at=now)
                 .where((GuardianInvitation.id == invitation.id)
                        & GuardianInvitation.accepted_at.is_null()
                        & GuardianInvitation.refused_at.is_null()).execute())
        if not taken:
            return False
        invitation.accepted_at = now
        Guardianship.get_or_create(guardian=user, child=child)
        audit.write(child, action=Action.GUARDIAN_ACCEPT, capacity=Capacity.GUARDIAN,
                    actor=user, target=invitation)
        after_commit(lambda: signals.guardian_accepted.send(invitation))
    return True


def refuse(invitation, user, now=None):
    """The invitee refuses; the refusal is written in the child's log."""
    with transaction():
        invitation.refused_at = now or utcnow()
        refused = (GuardianInvitation.update(refused_at=invitation.refused_at)
                   .where((GuardianInvitation.id == invitation.id)
                          & GuardianInvitation.accepted_at.is_null()
                          & GuardianInvitation.refused_at.is_null()).execute())
        if not refused:
            return
        audit.write(invitation.child, action=Action.GUARDIAN_INVITE, capacity=Capacity.CITIZEN,
                    actor=user, target=invitation, detail="refused")
        after_commit(lambda: signals.guardian_refused.send(invitation))
