"""Changes of the sign-in details: a new e-mail address confirmed by a code sent to it,
a new password that ends every other session. The person is told after commit."""

import datetime as dt
import secrets

from webapp import signals
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User, UserSession
from webapp.models.privacy import EmailChange
from webapp.security import hash_password, keyed_hash

CODE_VALID = dt.timedelta(minutes=30)
CODE_ATTEMPTS = 5


def request_email_change(user, new_email):
    """Send a code to the new address; the change waits for it. When the address already
    has an account, its owner is told instead (no code): the person asking learns nothing
    about the address unless it is theirs."""
    if User.by_email(new_email) is not None:
        after_commit(lambda: signals.email_address_taken.send(user, to=new_email))
        return
    code = f"{secrets.randbelow(10 ** 6):06d}"
    with transaction():
        EmailChange.create(user=user, new_email=new_email,
                           code_hash=keyed_hash(code, "email-change"),
                           expires_at=utcnow() + CODE_VALID)
        after_commit(lambda: signals.email_change_requested.send(user, to=new_email, code=code))


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
    with transaction():
        used = (EmailChange.update(used_at=utcnow())
                .where((EmailChange.id == change.id) & EmailChange.used_at.is_null()).execute())
        if not used:
            return "locked"
        old = user.email
        user.email = change.new_email
        user.save(only=[User.email])
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
