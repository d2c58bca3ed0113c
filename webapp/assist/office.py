"""A France Services office's changes: a mediator invited by the office manager, set up
(password, then authenticator), deactivated or reactivated. Each is one transaction; a
deactivated mediator's mandates end through webapp.assist.actions (each citizen's history
shows it and they are told); people hear of the rest after commit through webapp.signals."""

import base64
import datetime as dt
import secrets

from webapp import signals
from webapp.assist.actions import end_mandates
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User, UserSession
from webapp.models.assistance import MediatorInvitation
from webapp.policy import dormant_mandates, mediator_mandates
from webapp.security import hash_password

MEDIATOR_INVITATION_TTL = dt.timedelta(days=7)


def invite_mediator(office, manager, first_name, last_name, email, link_for):
    """Create the mediator's account (unusable until set up) and send the set-up link,
    whose address link_for(token) makes; return the account."""
    token = secrets.token_urlsafe(32)
    with transaction():
        invited = User.create(email=email.strip().lower(), role="mediator", office=office,
                              first_name=first_name, last_name=last_name,
                              password_hash=hash_password(secrets.token_urlsafe(32)))
        MediatorInvitation.create(user=invited, office=office, invited_by=manager,
                                  token_hash=MediatorInvitation.hash_token(token),
                                  expires_at=utcnow() + MEDIATOR_INVITATION_TTL)
        link = link_for(token)
        after_commit(lambda: signals.mediator_invited.send(invited, office=office, link=link))
    return invited


def deactivate_member(member, by, now=None):
    """The mediator stops at once: their sessions end, and so do their mandates (for good:
    reactivating the account does not bring them back)."""
    now = now or utcnow()
    with transaction():
        end_mandates(mediator_mandates(member), by=by, now=now)
        member.active = False
        member.save(only=[User.active])
        UserSession.update(ended_at=now).where(
            (UserSession.user == member) & UserSession.ended_at.is_null()).execute()
        after_commit(lambda: signals.member_deactivated.send(member, office=member.office,
                                                             by=by))


def reactivate_member(member, by):
    """The mediator may sign in again, with no mandate: citizens give new ones. Mandates
    of an account deactivated before deactivating ended them end now, logged and told."""
    with transaction():
        end_mandates(dormant_mandates(member), by=by)
        member.active = True
        member.save(only=[User.active])
        after_commit(lambda: signals.member_reactivated.send(member, office=member.office,
                                                             by=by))


def choose_password(invitation, password, now=None):
    """Step 1 of the set-up: the password chosen and the authenticator's secret made; False
    when the invitation's link was already used."""
    with transaction():
        used = (MediatorInvitation.update(password_set_at=now or utcnow())
                .where((MediatorInvitation.id == invitation.id)
                       & MediatorInvitation.password_set_at.is_null()).execute())
        if not used:
            return False
        member = invitation.user
        member.password_hash = hash_password(password)
        member.totp_secret = base64.b32encode(secrets.token_bytes(20)).decode()
        member.save(only=[User.password_hash, User.totp_sealed])
    return True


def finish_setup(invitation, now=None):
    """Step 2: the authenticator's code was proven, the account is ready (once)."""
    with transaction():
        done = (MediatorInvitation.update(accepted_at=now or utcnow())
                .where((MediatorInvitation.id == invitation.id)
                       & MediatorInvitation.accepted_at.is_null()).execute())
        if done:
            member = invitation.user
            after_commit(lambda: signals.member_set_up.send(member))
    return bool(done)
