"""Upload commands: forget-received-files."""

import click
from flask.cli import with_appcontext

from webapp.db import database
from webapp.record import uploads


@click.command("forget-received-files")
@with_appcontext
def forget_received_files_command():
    """Delete the files kept for a form that came back with an error, once an hour old
    (to run every few minutes; safe to run again)."""
    with database.connection_context():
        count = uploads.forget_expired()
    click.echo(f"{count} received file(s) forgotten.")
