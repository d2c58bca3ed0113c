"""Demo data. `run()` creates the accounts (base), then calls each area's seeder.

Each seeder of SEEDERS defines `seed(ctx)` and must be idempotent (check before
creating). `ctx.users` and `ctx.spaces` hold the base objects by short key (camille,
leo, jean, nadia, amina, bernard, admin; leroy, fontaine, garnier, moreau, lambert,
rousseau, girard; the space yusuf, a NIA identity without an account).
"""

from dataclasses import dataclass, field

from webapp.db import database, transaction
from webapp.migrations import create_schema
from webapp.notify.access_notices import notices_start_now
from webapp.seed import (
    agenda,
    base,
    catalogue,
    mandates,
    messages,
    privacy,
    pro,
    record,
    smart,
)
from webapp.seed.base import DEMO_PASSWORD  # noqa: F401 (documented here)

SEEDERS = (base, agenda, catalogue, mandates, messages, privacy, record, pro, smart)


@dataclass
class Context:
    """What the base seed created, for area seeders to build on."""

    users: dict = field(default_factory=dict)
    spaces: dict = field(default_factory=dict)
    offices: dict = field(default_factory=dict)


def run():
    """Create the schema if needed, then every piece of demo data, in one transaction each."""
    ctx = Context()
    with database.connection_context():
        create_schema()
        for seeder in SEEDERS:
            with transaction():
                seeder.seed(ctx)
        notices_start_now()
    return ctx
