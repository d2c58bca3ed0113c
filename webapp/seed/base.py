"""Demo accounts and spaces from the foundation issue."""

import datetime as dt

from webapp.db import utcnow
from webapp.models.accounts import Office, User
from webapp.models.spaces import CareRelation, Guardianship, Space
from webapp.pro.professions import Profession, Specialty
from webapp.security import hash_password

DEMO_PASSWORD = "demo-Espace-2026"

# Demo only: this TOTP secret is public, documented in the README. Never use it elsewhere.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
NADIA_ACTIVATION_CODE = "NADIA-2026"

ACCOUNTS = {
    "camille": dict(email="camille.martin@example.org", role="citizen", first_name="Camille",
                    last_name="Martin"),
    "jean": dict(email="jean.dupont@example.org", role="citizen", first_name="Jean",
                 last_name="Dupont"),
    "amina": dict(email="amina.diallo@example.org", role="mediator", first_name="Amina",
                  last_name="Diallo", totp_secret=DEMO_TOTP_SECRET),
    "bernard": dict(email="dr.bernard@example.org", role="professional", first_name="Paul",
                    last_name="Bernard", rpps="10001234565", profession=Profession.MEDECIN,
                    specialty=Specialty.MEDECINE_GENERALE),
    "admin": dict(email="admin@example.org", role="admin", first_name="Admin",
                  last_name="Plateforme"),
}
SPACES = {
    "camille": dict(first_name="Camille", last_name="Martin", birth_date=dt.date(1984, 5, 14),
                    nir="284057505612387", sex="F", owner="camille"),
    "leo": dict(first_name="Léo", last_name="Martin", birth_date=dt.date(2018, 12, 3),
                nir="118127511400221", sex="M", owner=None),
    "jean": dict(first_name="Jean", last_name="Dupont", birth_date=dt.date(1975, 1, 22),
                 nir="175016912345679", sex="M", owner="jean"),
    "nadia": dict(first_name="Nadia", last_name="Benali", birth_date=dt.date(1995, 3, 8),
                  nir="295031305501270", sex="F", owner=None),
}


def _user(ctx, key, password_hash, office):
    fields = dict(ACCOUNTS[key])
    user = User.by_email(fields["email"])
    if user is None:
        if fields["role"] == "mediator":
            fields.update(office=office, is_office_manager=False)
        user = User.create(password_hash=password_hash, **fields)
    if user.email_verified_at is None:  # the demo's own addresses count as proven
        user.email_verified_at = utcnow()
        user.save(only=[User.email_verified_at])
    ctx.users[key] = user


def _space(ctx, key):
    fields = dict(SPACES[key])
    owner = fields.pop("owner")
    space = Space.get_or_none(Space.nir == fields["nir"])
    if space is None:
        space = Space.create(**fields)
        if owner:
            space.owner = ctx.users[owner]
            space.state, space.activated_at = "active", utcnow()
            space.notified_at = utcnow() - dt.timedelta(days=90)
        elif key == "leo":
            space.state, space.activated_at = "active", utcnow()
        space.save()
    ctx.spaces[key] = space


def seed(ctx):
    """Accounts, the office, four spaces; Camille represents Léo; Dr BERNARD follows both."""
    office, _ = Office.get_or_create(name="France Services Paris 19e", defaults=dict(
        address="12 rue de Crimée, 75019 Paris", siret="13002526500013",
        label_number="FS-75-019-001"))
    ctx.offices["paris19"] = office
    password_hash = hash_password(DEMO_PASSWORD)
    for key in ACCOUNTS:
        _user(ctx, key, password_hash, office)
    for key in SPACES:
        _space(ctx, key)
    nadia = ctx.spaces["nadia"]
    if nadia.state == "created" and nadia.activation_code_hash is None:
        nadia.activation_code_hash = hash_password(NADIA_ACTIVATION_CODE)
        nadia.activation_expires_at = utcnow() + dt.timedelta(days=365)
        nadia.notified_at = utcnow() - dt.timedelta(days=3)
        nadia.save()
    Guardianship.get_or_create(guardian=ctx.users["camille"], child=ctx.spaces["leo"])
    for key in ("camille", "leo"):
        CareRelation.get_or_create(professional=ctx.users["bernard"], space=ctx.spaces[key])

