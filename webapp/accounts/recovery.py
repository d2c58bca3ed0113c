"""Password recovery that cannot be used to take over an account.

Alone: a single-use link valid 30 minutes, sent to the account's own address (never to
one typed in the request), then the person's birth date. With a mediator, for someone
who has no usable address: the mediator checks an identity document and prints a code;
the person sets a new password with it, their NIR and birth date. Either way every
session ends, the change is in the space's access history, and the person is told.

Link tokens are stored as HMAC-SHA256 keyed with the app's SECRET_KEY; short codes as
argon2 hashes. An e-mail waiting with a link that was replaced or used is dropped.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from webapp import audit, signals
from webapp.accounts import lifecycle
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User, UserSession
from webapp.models.notifications import Outbox
from webapp.models.recovery import AssistedRecovery, PasswordReset
from webapp.policy import proofs
from webapp.scopes import Capacity
from webapp.security import burn_password_time, hash_password, hasher

LINK_VALID = dt.timedelta(minutes=30)
CODE_VALID = dt.timedelta(days=7)
MAX_ATTEMPTS = 5  # wrong answers before a link or a code stops working
LINK_EVENT = "password_reset_link"


def keyed_hash(token):
    """HMAC-SHA256 of a token, keyed with the app's secret: a copy of the table is useless."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (token or "").encode(), hashlib.sha256).hexdigest()


def request_link(email, now=None):
    """Send a reset link to this address if it is a citizen's account; True when sent.
    The caller answers the same either way; both ways cost about the same."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    digest = keyed_hash(token)
    user = User.by_email(email)
    # a link goes only to an address its owner proved
    if user is None or not user.active or user.role != "citizen" or not user.email_verified \
            or proofs.signable_space(user) is None:
        return False
    with transaction():
        _void_links(user, now)
        PasswordReset.create(user=user, token_hash=digest, created_at=now,
                             expires_at=now + LINK_VALID)
        after_commit(lambda: signals.password_reset_requested.send(user, token=token))
    return True


def link_for(token, now=None):
    """The usable link of this token, or None."""
    return PasswordReset.usable(now).where(PasswordReset.token_hash == keyed_hash(token)).first()


def usable_link(link_id, now=None):
    """The usable link with this id (kept in the session after following it), or None."""
    return PasswordReset.usable(now).where(PasswordReset.id == link_id).first()


def reset_with_link(link, birth_date, password, now=None):
    """'done' when the birth date is the account holder's; else 'wrong', or 'locked' when
    too many wrong answers burnt the link."""
    now = now or utcnow()
    space = proofs.signable_space(link.user)
    if space is None or space.birth_date != birth_date:
        return _wrong(link, now)
    with transaction():
        link.used_at = now
        link.save(only=[PasswordReset.used_at])
        _set_password(link.user, space, password, link, "email", now)
    return "done"


def account_of(nir, birth_date):
    """The space whose holder has an account to recover, from the NIR and birth date."""
    space = lifecycle.find_space(nir, birth_date)
    if space is None or space.owner_id is None or not space.owner.active \
            or space.state not in ("active", "closed"):
        return None
    return space


def issue_code(mediator, space, document_kind, document_end, now=None):
    """A mediator checked the person's identity document: a new recovery code (the older
    ones stop working), logged in the person's history. Returns (recovery, code)."""
    now = now or utcnow()
    code = lifecycle.new_code()
    office = mediator.office.name if mediator.office_id else ""
    with transaction():
        AssistedRecovery.update(expires_at=now).where(
            (AssistedRecovery.space == space) & AssistedRecovery.used_at.is_null()
            & (AssistedRecovery.expires_at > now)).execute()
        recovery = AssistedRecovery.create(
            space=space, user=space.owner, mediator=mediator,
            mediator_name=mediator.display_name, office_name=office,
            document_kind=document_kind, document_end=document_end.upper(),
            code_hash=hasher().hash(code), created_at=now, expires_at=now + CODE_VALID)
        audit.write(space, action=Action.RECOVERY_CODE, capacity=Capacity.MEDIATOR, actor=mediator,
                    office_name=office, target=recovery,
                    detail=f"{document_kind}:{recovery.document_end}")
        after_commit(lambda: signals.recovery_code_issued.send(recovery))
    return recovery, code


def reset_with_code(space, code, password, now=None):
    """'done' when the code is the space's latest recovery code; else 'wrong' or 'locked'."""
    now = now or utcnow()
    recovery = proofs.usable_recovery(space, now)
    if recovery is None:
        burn_password_time(code or "")
        return "wrong"
    try:
        hasher().verify(recovery.code_hash, lifecycle.normalize_code(code))
    except (VerificationError, InvalidHashError):
        return _wrong(recovery, now)
    with transaction():
        recovery.used_at = now
        recovery.save(only=[AssistedRecovery.used_at])
        _set_password(recovery.user, space, password, recovery, "assisted", now)
    return "done"


def _wrong(row, now):
    row.attempts += 1
    if row.attempts >= MAX_ATTEMPTS:
        row.expires_at = now
    row.save(only=[type(row).attempts, type(row).expires_at])
    return "locked" if row.attempts >= MAX_ATTEMPTS else "wrong"


def _set_password(user, space, password, row, how, now):
    """The new password; every session, link and code of the account ends; logged, and
    the person is told after commit."""
    user.password_hash = hash_password(password)
    user.save(only=[User.password_hash])
    UserSession.update(ended_at=now).where(
        (UserSession.user == user) & UserSession.ended_at.is_null()).execute()
    _void_links(user, now)
    AssistedRecovery.update(expires_at=now).where(
        (AssistedRecovery.user == user) & AssistedRecovery.used_at.is_null()
        & (AssistedRecovery.expires_at > now)).execute()
    audit.write(space, action=Action.PASSWORD_RESET, capacity=Capacity.OWNER, actor=user,
                target=row, detail=how)
    after_commit(lambda: signals.password_reset.send(user, assisted=how == "assisted"))


def _void_links(user, now):
    """Older links stop working; an e-mail still carrying one, not sent yet, is dropped
    (the sender empties the values of those it sent)."""
    PasswordReset.update(expires_at=now).where(
        (PasswordReset.user == user) & PasswordReset.used_at.is_null()
        & (PasswordReset.expires_at > now)).execute()
    Outbox.delete().where((Outbox.recipient == user) & (Outbox.template == LINK_EVENT)
                          & Outbox.sent_at.is_null()).execute()
