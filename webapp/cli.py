"""Flask CLI commands: seed-demo here; feature areas add theirs in webapp/commands/."""

import importlib
import pkgutil

import click
from flask.cli import with_appcontext

from webapp import commands, seed


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo accounts and data (idempotent: running it twice changes nothing)."""
    context = seed.run()
    click.echo(f"Demo data ready ({len(context.users)} accounts). "
               "Password for every demo account: " + seed.DEMO_PASSWORD)


def init_app(app):
    """Register seed-demo and every command listed in a webapp.commands module."""
    app.cli.add_command(seed_demo_command)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"webapp.commands.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            app.cli.add_command(command)
