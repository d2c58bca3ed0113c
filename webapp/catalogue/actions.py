"""Connecting an app to a space (with the scopes it asks for) and disconnecting it."""

from webapp.audit import Action
from webapp.db import transaction, utcnow
from webapp.models.catalogue import AppConnection
from webapp.smart import consents


def current(access, app):
    """The connection in force between the access's space and an app, or None."""
    return access.query(AppConnection).where((AppConnection.app == app)
                                             & AppConnection.disconnected_at.is_null()).first()


def connect(access, app):
    """Connect an app with every scope it asks for (once)."""
    with transaction():
        existing = current(access, app)
        if existing is not None:
            return existing
        connection = AppConnection.create(space=access.space, app=app, connected_by=access.actor,
                                          scopes=" ".join(sorted(app.scope_set)))
        access.log(Action.APP_CONNECT, app, "connect")
    return connection


def disconnect(access, app):
    """End the connection in force, if any; True when one was ended."""
    with transaction():
        ended = (AppConnection.update(disconnected_at=utcnow())
                 .where((AppConnection.space == access.space) & (AppConnection.app == app)
                        & AppConnection.disconnected_at.is_null()).execute())
        # the app's API tokens on this space stop too (webapp.smart)
        ended += consents.revoke_app(access, app)
        if ended:
            access.log(Action.APP_DISCONNECT, app, "disconnect")
    return ended > 0
