"""Demo data. `run()` creates the accounts (base), then calls each area's seeder.

Every module in this package except base defines `seed(ctx)`; seeders run in name
order after the base and must be idempotent (check before creating). `ctx.users`
and `ctx.spaces` hold the base objects by short key (camille, leo, jean, nadia,
amina, bernard, admin).
"""

import importlib
import pkgutil
from dataclasses import dataclass, field

from webapp.db import create_schema, database

DEMO_PASSWORD = "demo-Espace-2026"


@dataclass
class Context:
    """What the base seed created, for area seeders to build on."""

    users: dict = field(default_factory=dict)
    spaces: dict = field(default_factory=dict)
    offices: dict = field(default_factory=dict)


def run():
    """Create the schema if needed, then every piece of demo data, in one transaction each."""
    from webapp.seed import base

    create_schema()
    ctx = Context()
    with database.connection_context():
        with database.atomic():
            base.seed(ctx)
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
            if info.name == "base":
                continue
            module = importlib.import_module(f"webapp.seed.{info.name}")
            with database.atomic():
                module.seed(ctx)
    return ctx
