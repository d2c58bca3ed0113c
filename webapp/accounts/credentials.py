"""The sign-in details: an address is used only once proven by a code sent to it (at
activation, at a change, or for an address never proven); a new password ends every
other session. The person is told after commit."""

import datetime as dt
import secrets

from peewee import IntegrityError

from webapp import signals
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User, UserSession
from webapp.models.privacy import EmailChange
from webapp.security import hash_password, keyed_hash

CODE_VALID = dt.timedelta(minutes=30)
CODE_ATTEMPTS = 5


def request_email_change(user, new_email):
    """Send a code to the address (a new one, or the account's own when never proven);
    the change waits for it. When the address is another account's, its owner is told
    instead (no code): the person asking learns nothing about the address unless it is
    theirs."""
    new_email = new_email.strip().lower()
    holder = User.by_email(new_email)
    taken = holder is not None and holder.id != user.id
    code = f"{secrets.randbelow(10 ** 6):06d}"
    with transaction():
        # a taken address gets a request too, whose code is never sent: the next page
        # reads the same ("a code was sent to …")
        EmailChange.create(user=user, new_email=new_email,
                           code_hash=keyed_hash(secrets.token_hex(16) if taken else code,
                                                "email-change"),
                           expires_at=utcnow() + CODE_VALID)
        if taken:
            after_commit(lambda: signals.email_address_taken.send(user, to=new_email))
        else:
            after_commit(lambda: signals.email_change_requested.send(user, to=new_email,
                                                                     code=code))


def confirm_email_change(user, change, code):
    """'changed', 'wrong' or 'locked' for a code typed to confirm a change of address
    (a try is taken by one conditional UPDATE first: parallel guesses get five in all)."""
    took = (EmailChange.update(attempts=EmailChange.attempts + 1)
            .where((EmailChange.id == change.id) & (EmailChange.attempts < CODE_ATTEMPTS)
                   & EmailChange.used_at.is_null()).execute())
    if not took:
        EmailChange.update(expires_at=utcnow()).where(EmailChange.id == change.id).execute()
        return "locked"
    if not secrets.compare_digest(keyed_hash(code, "email-change"), change.code_hash):
        attempts = EmailChange.get_by_id(change.id).attempts
        if attempts >= CODE_ATTEMPTS:
            EmailChange.update(expires_at=utcnow()).where(EmailChange.id == change.id).execute()
        return "locked" if attempts >= CODE_ATTEMPTS else "wrong"
    try:
        return _change_address(user, change)
    except IntegrityError:  # another account proved the address at the same moment
        return "locked"


def _change_address(user, change):
    with transaction():
        used = (EmailChange.update(used_at=utcnow())
                .where((EmailChange.id == change.id) & EmailChange.used_at.is_null()).execute())
        holder = User.by_email(change.new_email)
        if not used or (holder is not None and holder.id != user.id):
            return "locked"  # proven meanwhile by another account
        old, was_proven = user.email, user.email_verified
        user.email, user.email_verified_at = change.new_email, utcnow()
        user.save(only=[User.email, User.email_verified_at])
        if was_proven and old != user.email:  # an address never proven is not told
            after_commit(lambda: signals.email_changed.send(user, old=old))
    return "changed"


def change_password(user, password):
    """Set a new password; every other session ends. Returns how many ended."""
    with transaction():
        user.password_hash = hash_password(password)
        user.save(only=[User.password_hash])
        ended = (UserSession.update(ended_at=utcnow())
                 .where((UserSession.user == user) & UserSession.ended_at.is_null()
                        & (UserSession.id != user.session_row.id)).execute())
        after_commit(lambda: signals.password_changed.send(user))
    return ended
