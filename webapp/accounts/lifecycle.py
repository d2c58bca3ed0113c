"""The life of a space: created (notified), active, objected, closed; then purged.

Activation checks the NIR (with its key), the birth date and the single-use code;
objection is possible until six weeks after notification; a closed space is archived
for ten years (or less on request), can be reopened meanwhile, then is purged.
"""

import datetime as dt
import secrets

from argon2.exceptions import InvalidHashError, VerificationError

from webapp import audit, signals, storage
from webapp.assist.actions import end_mandates
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User, UserSession
from webapp.models.catalogue import AppConnection
from webapp.models.mandates import Mandate
from webapp.models.privacy import Closure, ExportJob, Objection
from webapp.models.spaces import Guardianship, Space
from webapp.policy import OBJECTION_DELAY, proofs
from webapp.pro import ins
from webapp.scopes import Capacity
from webapp.security import hasher

ARCHIVE_PERIOD = dt.timedelta(days=3653)  # ten years
ACTIVATION_MAX_ATTEMPTS = 5  # wrong codes before the code stops working
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read on paper
WAITING_DOMAIN = "@attente.invalid"  # accounts in waiting, before their address is proven
WAITING_KEPT = dt.timedelta(days=1)


def new_code(groups=2):
    """A code to copy from a letter or an attestation: 'K7QM-3HXP'."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
                    for _ in range(groups))


def normalize_code(code):
    """A code as printed: capitals, a dash between groups of four, spaces ignored."""
    plain = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(plain[i:i + 4] for i in range(0, len(plain), 4))


# The NIR's rules live with the rest of the health identity (webapp.pro.ins).
normalize_nir = ins.normalize
nir_format_ok = ins.format_ok
nir_key_ok = ins.key_ok


def objection_deadline(space):
    """Six weeks after the person was notified."""
    return space.notified_at + OBJECTION_DELAY


def can_object(space, now=None):
    """Only a created, never-activated space before its deadline."""
    return space.state == "created" and (now or utcnow()) < objection_deadline(space)


def find_space(nir, birth_date):
    """The space with this NIR and birth date, or None (the caller never says which failed)."""
    return proofs.space_by_identity(nir, birth_date)


def check_code(space, code):
    """True if the code matches the space's hashed activation code."""
    if not space.activation_code_hash:
        return False
    typed = (code or "").strip().upper()
    for candidate in dict.fromkeys((typed, normalize_code(typed))):  # dashes may be left out
        try:
            return hasher().verify(space.activation_code_hash, candidate)
        except (VerificationError, InvalidHashError):
            continue
    return False


def activation_problem(space, code, now=None):
    """Why this space cannot be activated with this code, or None when it can.

    Until the code is proven, the answer says nothing of the space: 'mismatch' (no such
    space), 'used' (no code to check: activated, or objected), 'reissued' (a new code is
    on its way by post), 'locked' (five wrong tries) and 'code' (wrong code) are all said
    the same way as a wrong birth date. Only with the right code does the person learn
    'objected', 'closed', 'minor' or 'expired'.
    """
    now = now or utcnow()
    if space is None:
        return "mismatch"
    if not space.activation_code_hash:
        waiting = proofs.letter_waiting(space)
        return "reissued" if waiting else "used"
    # one conditional UPDATE takes a try before the code is compared: parallel guesses
    # get the five tries in all, never more
    took = (Space.update(activation_attempts=Space.activation_attempts + 1)
            .where((Space.id == space.id)
                   & (Space.activation_attempts < ACTIVATION_MAX_ATTEMPTS)).execute())
    if not took:
        return "locked"
    if not check_code(space, code):
        return "code"
    if space.owner_id is not None:
        return "used"
    if space.state in ("objected", "closed"):
        return space.state
    if space.is_minor(now.date()):
        return "minor"
    if space.activation_expires_at and space.activation_expires_at <= now:
        return "expired"
    return None


def account_in_waiting(space, password_hash, language=None, waiting=None):
    """The holder's account before its address is proven: it cannot sign in, and its
    address is a placeholder until the code sent to the chosen one is typed
    (credentials.request_email_change). `waiting` is the one made earlier in this
    activation, reused with the new password."""
    if waiting is not None and waiting.email.endswith(WAITING_DOMAIN) and not waiting.active:
        waiting.password_hash, waiting.language = password_hash, language
        waiting.save(only=[User.password_hash, User.language])
        return waiting
    return User.create(email=f"attente-{secrets.token_hex(8)}{WAITING_DOMAIN}",
                       password_hash=password_hash, role="citizen", active=False,
                       first_name=space.first_name, last_name=space.last_name,
                       language=language)


def activate(space, user, now=None):
    """Open the space for the account whose address was just proven; the code cannot be
    used again. False (nothing written) when the space was activated meanwhile."""
    now = now or utcnow()
    if not user.email_verified:
        raise ValueError("an account activates a space only with a proven address")
    with transaction():
        opened = (Space.update(owner=user, state="active", activated_at=now,
                               activation_code_hash=None, activation_attempts=0)
                  .where((Space.id == space.id) & Space.owner.is_null()).execute())
        if not opened:
            return False
        space.owner, space.state, space.activated_at = user, "active", now
        space.activation_code_hash, space.activation_attempts = None, 0
        user.active = True
        user.save(only=[User.active])
        # a young adult takes over: the representatives' rights ended at 18 already
        Guardianship.update(ended_at=now).where(
            (Guardianship.child == space) & Guardianship.ended_at.is_null()).execute()
        audit.write(space, action=Action.ACTIVATE, capacity=Capacity.OWNER, actor=user)
        after_commit(lambda: signals.space_activated.send(space))
    return user


def delete_content(space):
    """Delete every row that belongs to the space (documents, log, mandates…), not the space.
    The stored files they pointed to go once this is committed, unless another row still
    points to them (files are shared by content)."""
    digests = set()
    for query, fk in reversed(list(space.dependencies(search_nullable=True))):
        deletion = fk.model.delete().where(query)
        fields = [getattr(fk.model, name) for name in storage.file_fields(fk.model)]
        if not fields:
            deletion.execute()
            continue
        digests |= {getattr(row, f.name) for row in deletion.returning(*fields).execute()
                    for f in fields}
    for digest in digests - {None, ""}:
        after_commit(lambda digest=digest: signals.file_released.send(digest))


def object_to(space, now=None):
    """The person objects: the space is never opened, its data are deleted, a proof kept."""
    now = now or utcnow()
    with transaction():
        delete_content(space)
        space.state, space.activation_code_hash = "objected", None
        space.save()
        return Objection.create(space=space, holder_name=space.display_name, objected_at=now)


def close(access, delete_soon=False, now=None):
    """Close the space: its mandates and app connections end (they do not come back if it
    is reopened); archived for ten years, or deleted at the next purge on request."""
    now, space = now or utcnow(), access.space
    with transaction():
        access.log(Action.CLOSE, detail="delete" if delete_soon else "archive")
        end_mandates(access.query(Mandate).where(Mandate.revoked_at.is_null()
                                                 & (Mandate.ends_at > now)),
                     by=access.actor, access=access, now=now)
        AppConnection.update(disconnected_at=now).where(
            (AppConnection.space == space) & AppConnection.disconnected_at.is_null()).execute()
        space.state, space.closed_at = "closed", now
        space.save()
        closure = Closure.create(space=space, closed_by=access.actor, closed_at=now,
                                 deletion_requested=delete_soon,
                                 purge_after=now if delete_soon else now + ARCHIVE_PERIOD)
        after_commit(lambda: signals.space_closed.send(space, by=access.actor))
    return closure


def can_reopen(space, now=None):
    """A closed space can be reopened within its archive period, unless deletion was asked."""
    closure = Closure.current(space)
    return (space.state == "closed" and closure is not None
            and not closure.deletion_requested and (now or utcnow()) < closure.purge_after)


def reopen(space, by, now=None):
    """Reopen a closed space with everything it held."""
    now = now or utcnow()
    with transaction():
        closure = Closure.current(space)
        closure.reopened_at = now
        closure.save()
        space.state, space.closed_at = "active", None
        space.save()
        audit.write(space, action=Action.REOPEN, capacity=Capacity.OWNER, actor=by)
        after_commit(lambda: signals.space_reopened.send(space))


def purge(space):
    """Delete a space and everything in it; its holder's account is scrubbed unless still needed."""
    owner, space_id = space.owner, space.id
    with transaction():
        for job in ExportJob.select().where(ExportJob.space == space):
            after_commit(lambda job=job: signals.export_expired.send(job, path=job.file_path))
        delete_content(space)
        space.delete_instance()
        after_commit(lambda: signals.space_deleted.send(space_id, reason="purge"))
        if owner is not None and not Guardianship.select().where(
                Guardianship.guardian == owner).exists():
            _scrub_account(owner)


def _scrub_account(user):
    """Deactivate and anonymise an account; kept as a row so other logs stay chained."""
    user.email = f"supprime-{user.id}@invalid"
    user.first_name, user.last_name, user.password_hash = "-", "-", "!"
    user.active, user.language = False, None
    user.save()
    UserSession.update(ended_at=utcnow()).where(
        (UserSession.user == user) & UserSession.ended_at.is_null()).execute()


def purge_expired(now=None):
    """Purge every closed space whose archive period is over; return how many."""
    now = now or utcnow()
    due = (Space.select().join(Closure).where(
        (Space.state == "closed") & Closure.reopened_at.is_null()
        & (Closure.purge_after <= now)).distinct())
    count = 0
    for space in list(due):
        purge(space)
        count += 1
    return count


def forget_accounts_in_waiting(now=None):
    """Delete the accounts of activations left before their address was proven (a day
    old or more), with their pending codes; return how many."""
    cutoff = (now or utcnow()) - WAITING_KEPT
    return (User.delete().where(User.email.endswith(WAITING_DOMAIN) & ~User.active
                                & (User.created_at < cutoff)).execute())
