"""Signed checkpoints of the access log, kept outside the database.

Every hour (`flask --app webapp checkpoint-log`) the heads of the chains that moved since
the last checkpoint (space, sequence, last MAC) are appended as one JSON line to an
append-only file (AUDIT_CHECKPOINTS, on another volume or shipped to another machine in
production), each line signed with AUDIT_KEY and chained to the line before. verify-log
then checks that every checkpointed entry is still in the database with the same MAC:
entries removed from the end, or a chain rewritten and resealed, show even to someone who
holds the database.
"""

import hashlib
import hmac
import json
import os
from pathlib import Path

from flask import current_app

from webapp.db import utcnow
from webapp.models.audit import AccessLog, LogHead


class BrokenCheckpoints(ValueError):
    """The checkpoint file was edited: a line's signature or link is wrong."""


def path():
    """Where the checkpoints are appended."""
    configured = current_app.config.get("AUDIT_CHECKPOINTS")
    return Path(configured or Path(current_app.instance_path) / "log-checkpoints.jsonl")


def _signature(line):
    body = json.dumps({k: v for k, v in line.items() if k != "sig"}, sort_keys=True)
    key = current_app.config["AUDIT_KEY"].encode()
    return hmac.new(key, b"checkpoint:" + body.encode(), hashlib.sha256).hexdigest()


def read():
    """({space id: (sequence, MAC)} as of the last checkpoint, last signature); raises
    BrokenCheckpoints when a line was altered, removed in the middle or reordered."""
    heads, previous = {}, ""
    if not path().exists():
        return heads, previous
    with open(path()) as f:
        for number, text in enumerate(f, start=1):
            line = json.loads(text)
            if line.get("prev") != previous or not hmac.compare_digest(
                    line.get("sig", ""), _signature(line)):
                raise BrokenCheckpoints(f"checkpoint line {number}")
            for space_id, (sequence, last_hash) in line["heads"].items():
                heads[int(space_id)] = (sequence, last_hash)
            previous = line["sig"]
    return heads, previous


def write(now=None):
    """Append a checkpoint of the heads that moved; return how many it holds."""
    known, previous = read()
    moved = {str(h.space_id): [h.sequence, h.last_hash] for h in LogHead.select().iterator()
             if known.get(h.space_id, (None,))[0] != h.sequence}
    if not moved:
        return 0
    line = {"at": (now or utcnow()).isoformat(), "prev": previous, "heads": moved}
    line["sig"] = _signature(line)
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
