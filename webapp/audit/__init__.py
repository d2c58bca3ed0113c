"""The one writer of the access log: what happened, by whom, on what; chained per space.

Every entry carries an HMAC-SHA256 (the current key of webapp.audit.keys, from the
configuration, never in the database) over its fields and the previous entry's MAC.
Appending bumps the space's chain head in the caller's transaction, which also
serialises writers on one space: when the head was read with the space, one
compare-and-set UPDATE then the INSERT (two statements); else (or when another writer
came first) UPDATE … RETURNING, INSERT and the head's seal.
"""

import datetime as dt
import hashlib
import hmac
from enum import StrEnum

from peewee import BooleanField, CharField, DateTimeField

from webapp.audit import keys as logkeys
from webapp.audit.old_format import split_old_target
from webapp.compiled import Compiled
from webapp.db import transaction, utcnow
from webapp.models.audit import AccessLog, LogHead
from webapp.scopes import Capacity, Scope


class Action(StrEnum):
    """What an entry records: a scope used (reads and writes), or a change of state."""

    SPACE_VIEW = Scope.SPACE_VIEW.value
    DOCUMENTS_READ = Scope.DOCUMENTS_READ.value
    DOCUMENTS_ADD = Scope.DOCUMENTS_ADD.value
    DOCUMENTS_MANAGE = Scope.DOCUMENTS_MANAGE.value
    PROFILE_READ = Scope.PROFILE_READ.value
    PROFILE_WRITE = Scope.PROFILE_WRITE.value
    AGENDA_READ = Scope.AGENDA_READ.value
    AGENDA_WRITE = Scope.AGENDA_WRITE.value
    MESSAGES_READ = Scope.MESSAGES_READ.value
    MESSAGES_REPLY = Scope.MESSAGES_REPLY.value
    SETTINGS_READ = Scope.SETTINGS_READ.value
    SETTINGS_WRITE = Scope.SETTINGS_WRITE.value
    PRIVACY = Scope.PRIVACY.value
    ACTIVATE = "space.activate"
    EMERGENCY_OPEN = "emergency.open"
    BLOCK = "privacy.block"
    UNBLOCK = "privacy.unblock"
    EMERGENCY_SETTINGS = "privacy.emergency"
    REPORT = "privacy.report"
    EXPORT = "account.export"
    EXPORT_DOWNLOAD = "account.export_download"
    CLOSE = "account.close"
    REOPEN = "account.reopen"
    GUARDIAN_INVITE = "guardians.invite"
    GUARDIAN_ACCEPT = "guardians.accept"
    MANDATE_CREATE = "mandate.create"
    MANDATE_END = "mandate.end"
    MANDATE_REVOKE = "mandate.revoke"
    CAREGIVER_INVITE = "caregiver.invite"
    CAREGIVER_ACCEPT = "caregiver.accept"
    SESSION_START = "assisted_session.start"
    SESSION_END = "assisted_session.end"
    ATTACHMENT_SAVE = "messages.attachment"
    FEED_CREATE = "agenda.feed.create"
    FEED_REVOKE = "agenda.feed.revoke"
    APP_CONNECT = "app.connect"
    APP_DISCONNECT = "app.disconnect"
    CARE_DECLARE = "care.declare"
    CARE_LOOKUP = "care.lookup"
    DOCUMENTS_RELEASE = "documents.release"
    AGENDA_PROPOSE = "agenda.propose"
    AGENDA_ANSWER = "agenda.answer"
    AGENDA_WITHDRAW = "agenda.withdraw"
    PASSWORD_RESET = "account.password_reset"
    RECOVERY_CODE = "account.recovery_code"
    FRANCECONNECT_LINK = "account.franceconnect_link"


def _checked(action, capacity):
    """The action and capacity as members of their enums (a scope is the action of using
    it); TypeError for anything else, a bare string too, so a misspelt one never lands."""
    if isinstance(action, Scope):
        action = Action(action.value)
    if not isinstance(action, Action):
        raise TypeError(f"audit.write: action must be an Action, not {action!r}")
    if not isinstance(capacity, Capacity):
        raise TypeError(f"audit.write: capacity must be a Capacity, not {capacity!r}")
    return action, capacity


def target_of(obj):
    """(kind, id) naming a row in the log: its table and primary key."""
    if obj is None:
        return "", None
    return obj._meta.table_name, obj._pk


def mac(payload, format=2):
    """The entry's MAC: keyed (the current key of webapp.audit.keys) for format 2, plain
    SHA-256 for the rows of format 1."""
    if format < 2:
        return hashlib.sha256(payload.encode()).hexdigest()
    return logkeys.sign(payload)


def _key_rank(entry):
    """The rank of the key whose MAC the entry carries (format 1: -1), None if none."""
    if entry.format < 2:
        plain = hashlib.sha256(entry.payload().encode()).hexdigest()
        return -1 if hmac.compare_digest(plain, entry.entry_hash) else None
    return logkeys.rank(entry.payload(), entry.entry_hash)


def _head_message(space_id, sequence, last_hash):
    return f"head:{space_id}:{sequence}:{last_hash}"


def head_seal(space_id, sequence, last_hash):
    """The MAC that binds a chain head's sequence to its last entry's MAC."""
    return mac(_head_message(space_id, sequence, last_hash))


def head_sealed(head, any_key=False):
    """True when the head's seal is the current key's MAC of its sequence and last MAC
    (or, with any_key, a MAC by any key still configured)."""
    rank = logkeys.rank(_head_message(head.space_id, head.sequence, head.last_hash),
                        head.seal)
    return rank is not None and (any_key or rank == 0)


def _advance(space_id):
    """Bump the chain head of a space (locking it); return (sequence, previous MAC)."""
    bump = (LogHead.update(sequence=LogHead.sequence + 1)
            .where(LogHead.space == space_id)
            .returning(LogHead.sequence, LogHead.last_hash))
    rows = list(bump.execute())
    if not rows:
        LogHead.insert(space=space_id, sequence=0, last_hash="").on_conflict_ignore().execute()
        rows = list(bump.clone().execute())
    return rows[0].sequence, rows[0].last_hash


def _probe(field, i):
    """A value of the field's type found nowhere else in the statements below."""
    if isinstance(field, BooleanField):  # two booleans only: allowed, emergency
        return i % 2 == 0
    if isinstance(field, DateTimeField):
        return dt.datetime(1901, 1, 1, 0, 0, i)
    return f"\0probe:{i}" if isinstance(field, CharField) else -90001 - i


_ENTRY_FIELDS = [f for f in AccessLog._meta.sorted_fields if not f.primary_key]
assert sum(isinstance(f, BooleanField) for f in _ENTRY_FIELDS) == 2
_INSERT_ENTRY = Compiled(
    lambda *values: AccessLog.insert(dict(zip(_ENTRY_FIELDS, values, strict=True))),
    *[_probe(f, i) for i, f in enumerate(_ENTRY_FIELDS)])
_MOVE_HEAD = Compiled(
    lambda space_id, sequence, last_hash, seal, old_sequence, old_hash: LogHead.update(
        sequence=sequence, last_hash=last_hash, seal=seal).where(
        (LogHead.space == space_id) & (LogHead.sequence == old_sequence)
        & (LogHead.last_hash == old_hash)),
    -90001, -90002, "\0probe:last", "\0probe:seal", -90003, "\0probe:old")


def _insert(entry):
    """Insert a new entry (its SQL made once: this runs on every request)."""
    entry.id = _INSERT_ENTRY.run(*[entry.__data__.get(f.name) for f in _ENTRY_FIELDS])
    return entry


def _known_head(space):
    """(sequence, last MAC) of the chain head read with the space (Access.open), or None."""
    head = getattr(space, "chain_head", None)
    if head is None or head.space_id is None:
        return None
    return head


def _append(space_id, head, make):
    """Append make(sequence, previous) to the chain: with the head read earlier, one
    compare-and-set UPDATE moves it (none, when another writer came in between);
    otherwise the head is bumped and locked first, then sealed."""
    if head is not None:
        entry = make(head.sequence + 1, head.last_hash)
        moved = _MOVE_HEAD.run(space_id, entry.sequence, entry.entry_hash,
                               head_seal(space_id, entry.sequence, entry.entry_hash),
                               head.sequence, head.last_hash)
        if moved == 1:
            _insert(entry)
            head.sequence, head.last_hash = entry.sequence, entry.entry_hash
            return entry
    sequence, previous = _advance(space_id)
    entry = make(sequence, previous)
    _insert(entry)
    LogHead.update(last_hash=entry.entry_hash,
                   seal=head_seal(space_id, sequence, entry.entry_hash)).where(
        LogHead.space == space_id).execute()
    if head is not None:
        head.sequence, head.last_hash = sequence, entry.entry_hash
    return entry


def write(space, *, action, capacity, allowed=True, actor=None, actor_name=None, target=None,
          target_kind="", target_id=None, detail="", office_name="", mandate_ref="",
          app_name="", emergency=False):
    """Append one entry to the space's log and return it."""
    action, capacity = _checked(action, capacity)
    if target is not None:
        target_kind, target_id = target_of(target)
    space_id = getattr(space, "id", space)
    created_at = utcnow()

    def make(sequence, previous):
        entry = AccessLog(
            space=space_id, actor=actor, capacity=capacity.value, action=action.value,
            actor_name=actor_name if actor_name is not None else getattr(
                actor, "display_name", ""),
            target_kind=target_kind, target_id=target_id, detail=str(detail)[:250],
            office_name=office_name, mandate_ref=mandate_ref, app_name=app_name,
            allowed=bool(allowed), emergency=bool(emergency), created_at=created_at,
            sequence=sequence, prev_hash=previous, format=2)
        entry.entry_hash = mac(entry.payload())
        return entry

    with transaction():
        return _append(space_id, _known_head(space), make)


def first_broken(space, head_key="current"):
    """The first entry of a space whose MAC, link or place in the chain is wrong (so is a
    row of the first format after a keyed one, or whose columns are not those of its old
    target, which its MAC covers, or whose key is older than the entry before's); the
    last entry when entries were removed from the end, or the head is missing or not
    sealed with the current key (with head_key="any", with any key still configured, as
    before a rotation reseals it); else None."""
    previous, expected, last, keyed, newest = "", 1, None, False, len(logkeys.keyring())
    for entry in AccessLog.select().where(AccessLog.space == space).order_by(
            AccessLog.sequence):
        rank = _key_rank(entry)
        if (entry.sequence != expected or entry.prev_hash != previous
                or rank is None or (rank >= 0 and rank > newest)
                or (entry.format < 2 and (keyed or (entry.target_kind, entry.target_id,
                                                    entry.detail)
                                          != split_old_target(entry.target)))):
            return entry
        previous, expected, last = entry.entry_hash, expected + 1, entry
        keyed, newest = keyed or entry.format >= 2, rank if rank >= 0 else newest
    head = LogHead.get_or_none(LogHead.space == space)
    if head is None and last is not None:
        return last
    if head is not None and (head.sequence != expected - 1 or head.last_hash != previous
                             or not head_sealed(head, any_key=head_key == "any")):
        return last or AccessLog(space=space, sequence=0)
    return None
