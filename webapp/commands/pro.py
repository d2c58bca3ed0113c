"""Professionals' commands: release-documents."""

import click
from flask.cli import with_appcontext

from webapp.db import database
from webapp.record import documents


@click.command("release-documents")
@with_appcontext
def release_documents_command():
    """Show patients the documents kept for their announcement consultation whose date has
    come, and tell them (to run every hour; safe to run again)."""
    with database.connection_context():
        count = documents.release_due()
    click.echo(f"{count} document(s) shown to their patients.")
