"""What the administrators change in the client registry: reference a client, edit what
the catalogue and the consent page show, and its status."""

from peewee import JOIN

from webapp.db import transaction
from webapp.models.catalogue import CatalogueApp
from webapp.models.smart import SmartClient
from webapp.smart import clients
from webapp.smart import scopes as smart_scopes


def listing():
    """Every client, apps then software, by name."""
    rows = list(SmartClient.select(SmartClient, CatalogueApp).join(CatalogueApp, JOIN.LEFT_OUTER))
    return sorted(rows, key=lambda c: (c.kind, c.name.casefold()))


def _space_codes(smart):
    """The catalogue's own codes (webapp.models.catalogue.APP_SCOPES) for SMART scopes."""
    return " ".join(sorted(smart_scopes.space_scopes(smart.split())))


def create(kind, form):
    """A new client from the admin's form (its secret, for a confidential one, is in
    `client.issued_secret`, shown once)."""
    client = clients.register(
        form.name.data.strip(), kind, form.redirect_uris.data.split("\n"),
        scopes=form.scopes.data, publisher=form.publisher.data.strip(),
        description=form.description.data.strip(), confidential=form.confidential.data,
        category=form.category.data or "prevention")
    if client.app_id:
        CatalogueApp.update(scopes=_space_codes(form.scopes.data)).where(
            CatalogueApp.id == client.app_id).execute()
    return client


def update(client, form):
    """Save the edited fields (a catalogue app's name, publisher, summary and theme are the
    catalogue entry's)."""
    with transaction():
        if client.app_id:
            app = client.app
            app.name, app.publisher = form.name.data.strip(), form.publisher.data.strip()
            app.summary = form.description.data.strip()
            app.category = form.category.data or app.category
            app.scopes = _space_codes(form.scopes.data)
            app.save()
        else:
            client.software_name = form.name.data.strip()
            client.software_publisher = form.publisher.data.strip()
            client.software_description = form.description.data.strip()
        client.scopes, client.redirect_uris = form.scopes.data, form.redirect_uris.data
        client.save()


def fill(form, client):
    """Put a client's values in the edit form (on GET)."""
    form.name.data, form.publisher.data = client.name, client.publisher
    form.description.data = client.description
    form.category.data = client.app.category if client.app_id else None
    form.scopes.data, form.redirect_uris.data = client.scopes, client.redirect_uris
