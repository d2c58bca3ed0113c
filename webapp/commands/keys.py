"""rotate-keys: a new master key for encryption at rest; rotate-audit-key: a new key for
the access log's MACs.

Every stored file keeps its own data key, wrapped by a master key; rotating re-wraps the
data keys (the files' contents are not rewritten) and re-seals the small secrets (TOTP
secrets, what the outbox still has to send). With the keys in the instance folder the
command makes the new key, re-wraps, then forgets the old ones. With DATA_KEYS in the
environment, put the new key first yourself (`flask --app webapp rotate-keys --new-key`
prints one), run rotate-keys, then remove the old keys from DATA_KEYS.
"""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp import crypto, storage
from webapp.audit import checkpoints
from webapp.audit import keys as logkeys
from webapp.db import database, transaction
from webapp.models.accounts import User
from webapp.models.notifications import Outbox


def _encrypted_files():
    root = storage.root()
    yield from (p for p in root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*") if p.is_file())
    exports = root / "exports"
    if exports.is_dir():
        yield from (p for p in exports.glob("*.zip") if p.is_file())


def rewrap_everything():
    """Re-wrap files' data keys and re-seal secrets with the current master key; returns
    (files re-wrapped, secrets re-sealed)."""
    files = storage.rewrap_objects()  # the object store's files, when STORAGE_URL names one
    for path in _encrypted_files():
        with open(path, "rb") as raw:
            encrypted = raw.read(len(crypto.MAGIC)) == crypto.MAGIC
        if encrypted and crypto.rewrap(path):
            files += 1
    sealed = 0
    with transaction():
        for user in User.select(User.id, User.totp_sealed).where(User.totp_sealed.is_null(False)):
            User.update(totp_sealed=crypto.seal(user.totp_secret)).where(
                User.id == user.id).execute()
            sealed += 1
        for row in Outbox.select(Outbox.id, Outbox.params_sealed).iterator():
            Outbox.update(params_sealed=crypto.seal(row.params)).where(
                Outbox.id == row.id).execute()
            sealed += 1
    return files, sealed


@click.command("rotate-keys")
@click.option("--new-key", is_flag=True, help="Only print a new key for DATA_KEYS.")
@with_appcontext
def rotate_keys_command(new_key):
    """Make a new master key current and re-wrap everything encrypted with the old ones."""
    if new_key:
        click.echo(crypto.format_keys([crypto.new_key()]).strip())
        return
    from_environment = bool(os.environ.get("DATA_KEYS"))
    keys = crypto.parse_keys(current_app.config["DATA_KEYS"])
    path = Path(current_app.instance_path) / "data_keys"
    if not from_environment:
        keys = [crypto.new_key()] + keys
        current_app.config["DATA_KEYS"] = crypto.format_keys(keys)
        tmp = path.with_suffix(".new")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(crypto.format_keys(keys))
        os.replace(tmp, path)  # both keys kept until everything is re-wrapped
    with database.connection_context():
        files, sealed = rewrap_everything()
    if not from_environment:
        path.write_text(crypto.format_keys(keys[:1]))
        current_app.config["DATA_KEYS"] = crypto.format_keys(keys[:1])
    click.echo(f"Master key {keys[0][0]} is current: {files} file(s) re-wrapped, {sealed} "
               "secret(s) re-sealed." + (" Remove the old keys from DATA_KEYS now."
                                          if from_environment else ""))


def _write_private(path, text):
    """Write a key file readable by the service user only, replacing it at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


@click.command("rotate-audit-key")
@click.option("--new-key", is_flag=True, help="Only print a new key for AUDIT_KEYS.")
@click.option("--add", is_flag=True,
              help="Put a new key first in instance/audit_keys (then restart the app).")
@with_appcontext
def rotate_audit_key_command(new_key, add):
    """Seal every chain head again with the current log key and checkpoint them all.

    Rotating takes two steps: make a new key current everywhere (`--add`, or put the key
    printed by `--new-key` first in AUDIT_KEYS), restart the app, then run this command.
    Older keys stay configured: they verify what they signed, and sign nothing more.
    """
    if new_key:
        click.echo(logkeys.new_key())
        return
    if add:
        if os.environ.get("AUDIT_KEYS"):
            raise click.UsageError("AUDIT_KEYS is set: put a key from --new-key first in it.")
        path = Path(current_app.instance_path) / "audit_keys"
        keys = [logkeys.new_key()] + [line.strip() for line in current_app.config.get(
            "AUDIT_KEYS", "").replace(",", "\n").splitlines() if line.strip()]
        _write_private(path, "\n".join(keys) + "\n")
        click.echo(f"Access-log key {keys[0].split(':')[0]} written first in {path}. Restart "
                   "the app, then run rotate-audit-key.")
        return
    with database.connection_context():
        resealed, broken = checkpoints.reseal_heads()
    current = logkeys.keyring()[0][0] or "AUDIT_KEY"
    for space_id in broken:
        click.echo(f"Space {space_id}: chain broken, its head is left as it was (see "
                   "verify-log).")
    click.echo(f"Access-log key {current} is current: {resealed} chain head(s) resealed and "
               f"checkpointed in {checkpoints.path()}. Keep the older keys: they verify what "
               "they signed.")
    if broken:
        raise SystemExit(1)
