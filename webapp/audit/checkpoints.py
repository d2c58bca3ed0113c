"""Signed checkpoints of the access log, kept outside the database.

Every hour (`flask --app webapp checkpoint-log`) the heads of the chains that moved since
the last checkpoint (space, sequence, last MAC) are appended as one JSON line to an
append-only file (AUDIT_CHECKPOINTS, on another volume or shipped to another machine in
production), each line signed with the log's current key (webapp.audit.keys) and chained to
the line before. verify-log
then checks that every checkpointed entry is still in the database with the same MAC:
entries removed from the end, or a chain rewritten and resealed, show even to someone who
holds the database.
"""

import hmac
import json
import os
from pathlib import Path

from flask import current_app

from webapp import audit
from webapp.audit import keys as logkeys
from webapp.db import utcnow
from webapp.models.audit import AccessLog, LogHead


class BrokenCheckpoints(ValueError):
    """The checkpoint file was edited: a line's signature or link is wrong."""


def path():
    """Where the checkpoints are appended."""
    configured = current_app.config.get("AUDIT_CHECKPOINTS")
    return Path(configured or Path(current_app.instance_path) / "log-checkpoints.jsonl")


def _body(line):
    return "checkpoint:" + json.dumps({k: v for k, v in line.items() if k != "sig"},
                                      sort_keys=True)


def read():
    """({space id: (sequence, MAC)} as of the last checkpoint, last signature); raises
    BrokenCheckpoints when a line was altered, removed in the middle or reordered, or
    signed with a key older than the line before's (webapp.audit.keys)."""
    heads, previous, newest = {}, "", len(logkeys.keyring())
    if not path().exists():
        return heads, previous
    with open(path()) as f:
        for number, text in enumerate(f, start=1):
            try:
                line = json.loads(text)
                rank = logkeys.rank(_body(line), line.get("sig", ""))
                if line.get("prev") != previous or rank is None or rank > newest:
                    raise BrokenCheckpoints(f"checkpoint line {number}")
                for space_id, (sequence, last_hash) in line["heads"].items():
                    heads[int(space_id)] = (sequence, last_hash)
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                raise BrokenCheckpoints(f"checkpoint line {number}") from error
            previous, newest = line["sig"], rank
    return heads, previous


def write(now=None, every_chain=False):
    """Append a checkpoint of the heads that moved (of every head with every_chain, as
    after a key rotation); return how many it holds."""
    known, previous = read()
    moved = {str(h.space_id): [h.sequence, h.last_hash] for h in LogHead.select().iterator()
             if every_chain or known.get(h.space_id, (None,))[0] != h.sequence}
    if not moved:
        return 0
    line = {"at": (now or utcnow()).isoformat(), "prev": previous, "heads": moved}
    line["sig"] = logkeys.sign(_body(line))
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as f:
        f.write(json.dumps(line, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return len(moved)


def missing(space_id, checkpointed):
    """True when the entry a checkpoint recorded for this space is gone or changed."""
    sequence, last_hash = checkpointed
    entry = AccessLog.get_or_none((AccessLog.space == space_id)
                                  & (AccessLog.sequence == sequence))
    return entry is None or not hmac.compare_digest(entry.entry_hash, last_hash)


def reseal_heads(now=None):
    """After a new log key is made current: seal again, with it, the head of every chain
    that verifies, then checkpoint every head. Returns (resealed, ids of broken chains,
    left as they were so that verify-log still reports them)."""
    resealed, broken = 0, []
    for head in list(LogHead.select()):
        if audit.first_broken(head.space_id, head_key="any") is not None:
            broken.append(head.space_id)
            continue
        # only the head just verified: one that moved since was sealed by its writer
        LogHead.update(seal=audit.head_seal(head.space_id, head.sequence, head.last_hash)
                       ).where((LogHead.space == head.space_id)
                               & (LogHead.sequence == head.sequence)
                               & (LogHead.last_hash == head.last_hash)).execute()
        resealed += 1
    write(now, every_chain=True)
    return resealed, broken
