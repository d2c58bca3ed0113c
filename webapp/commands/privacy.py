"""Privacy and life-cycle commands: verify-log, purge-expired, build-exports."""

import click
from flask.cli import with_appcontext
from peewee import fn

from webapp import audit, storage
from webapp.accounts import export, lifecycle
from webapp.audit import checkpoints
from webapp.db import database
from webapp.models.audit import AccessLog, LogHead
from webapp.models.spaces import Space


def _against_checkpoints():
    """Spaces whose checkpointed entry is gone or changed (an objection deletes a space's
    log on purpose, a purge the space itself): how many, each reported."""
    broken = 0
    heads, _last = checkpoints.read()
    states = dict(Space.select(Space.id, Space.state).where(
        Space.id.in_(list(heads))).tuples()) if heads else {}
    for space_id, checkpointed in sorted(heads.items()):
        if states.get(space_id, "objected") == "objected":
            continue
        if checkpoints.missing(space_id, checkpointed):
            broken += 1
            click.echo(f"Space {space_id}: entry #{checkpointed[0]} of the checkpoint is "
                       "missing or changed: the log was cut or rewritten")
    return broken


@click.command("checkpoint-log")
@with_appcontext
def checkpoint_log_command():
    """Append a signed checkpoint of the chain heads that moved (to run every hour)."""
    with database.connection_context():
        count = checkpoints.write()
    click.echo(f"Checkpoint written for {count} chain(s) in {checkpoints.path()}.")


@click.command("verify-log")
@with_appcontext
def verify_log_command():
    """Check every space's access-log chain, its head and the signed checkpoints; report
    the first broken link."""
    broken = 0
    with database.connection_context():
        try:
            broken += _against_checkpoints()
        except checkpoints.BrokenCheckpoints as error:
            broken += 1
            click.echo(f"The checkpoint file was altered ({error}).")
        # each space asks its own index rows (EXISTS): "id IN (every log entry's space)"
        # read the whole log first (more than a minute at 50 million entries)
        spaces = Space.select().where(
            fn.EXISTS(AccessLog.select(AccessLog.id).where(AccessLog.space == Space.id))
            | fn.EXISTS(LogHead.select(LogHead.space).where(LogHead.space == Space.id)))
        for space in spaces.order_by(Space.id):
            entry = audit.first_broken(space)
            if entry is None:
                continue
            broken += 1
            if entry.id is None:  # every entry is gone, the head says there were some
                click.echo(f"Space {space.id}: chain broken: its entries are missing")
            else:
                click.echo(f"Space {space.id}: chain broken at entry #{entry.sequence} "
                           f"(log id {entry.id}, {entry.created_at:%Y-%m-%d %H:%M:%S} UTC)")
    if broken:
        raise SystemExit(1)
    click.echo("Access log intact: every chain verified.")


@click.command("purge-expired")
@with_appcontext
def purge_expired_command():
    """Delete closed spaces whose archive period is over (or whose deletion was asked),
    expired export archives, files left behind by interrupted uploads, and accounts of
    activations left before their address was proven."""
    with database.connection_context():
        spaces = lifecycle.purge_expired()
        archives = export.remove_expired()
        temporary, orphans = storage.sweep()
        waiting = lifecycle.forget_accounts_in_waiting()
    click.echo(f"Purged {spaces} space(s) and {archives} expired export archive(s); "
               f"removed {temporary} interrupted upload(s) and {orphans} unreferenced file(s); "
               f"forgot {waiting} activation(s) left before the address was proven.")


@click.command("build-exports")
@with_appcontext
def build_exports_command():
    """Build the export archives waiting in the background queue."""
    with database.connection_context():
        count = export.build_pending()
    click.echo(f"Built {count} export archive(s).")
