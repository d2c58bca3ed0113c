"""Flask CLI commands: the schema, the demo data, and the scheduled work of the areas."""

import click
from flask.cli import with_appcontext

from webapp import seed
from webapp.commands import keys, letters, notifications, privacy, pro, uploads
from webapp.db import database
from webapp.migrations import create_schema

COMMANDS = (notifications.send_reminders_command, notifications.send_outbox_command,
            privacy.verify_log_command, privacy.purge_expired_command,
            privacy.build_exports_command, privacy.checkpoint_log_command,
            keys.rotate_keys_command, keys.rotate_audit_key_command,
            letters.import_insured_command, letters.print_letters_command,
            letters.hand_over_adults_command, pro.release_documents_command,
            uploads.forget_received_files_command)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema."""
    with database.connection_context():
        create_schema()
    click.echo("Database ready.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo accounts and data (idempotent: running it twice changes nothing)."""
    context = seed.run()
    click.echo(f"Demo data ready ({len(context.users)} accounts). "
               "Password for every demo account: " + seed.DEMO_PASSWORD)


def init_app(app):
    """Register every command."""
    for command in (init_db_command, seed_demo_command, *COMMANDS):
        app.cli.add_command(command)
