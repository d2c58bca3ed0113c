"""What a person accepted and refused for a client on a space, remembered per (person,
client, space) until revoked; revoking stops the client's tokens at the next request.
Each grant and revocation on a space is an entry of that space's history."""

from webapp.audit import Action
from webapp.db import transaction, utcnow
from webapp.models.catalogue import AppConnection
from webapp.models.smart import SmartClient, SmartConsent, SmartToken
from webapp.policy import proofs
from webapp.smart import clients
from webapp.smart import scopes as smart_scopes


def current(user, client, space):
    """The consent in force for this person, client and space (None for software), or
    None. A catalogue app's consent whose connection ended another way (the space was
    closed) is withdrawn here, so that it is asked again."""
    space_match = SmartConsent.space.is_null() if space is None else \
        (SmartConsent.space == space)
    consent = (SmartConsent.select()
               .where((SmartConsent.user == user) & (SmartConsent.client == client)
                      & space_match & SmartConsent.revoked_at.is_null())
               .order_by(SmartConsent.id.desc()).first())
    if consent is not None and not connected(consent, client):
        revoke(consent)
        return None
    return consent


def connected(consent, client):
    """False for a catalogue app's consent on a space whose catalogue connection ended
    (disconnected, or the space closed: its tokens stop, even if the space reopens)."""
    if not consent.space_id or not client.app_id:
        return True
    return AppConnection.select().where(
        (AppConnection.space == consent.space_id) & (AppConnection.app == client.app_id)
        & AppConnection.disconnected_at.is_null()).exists()


def to_ask(consent, requested):
    """The requested scopes the person has not answered yet (all without a consent)."""
    if consent is None:
        return list(requested)
    known = consent.granted_set | consent.refused_set
    return [s for s in requested if s not in known]


def remember(user, client, space, granted, refused, access=None, log=True):
    """Record the answers (added to earlier ones: a scope accepted now and refused before
    is accepted); with `access`, the grant is an entry of the space's history."""
    granted, refused = set(granted), set(refused) - set(granted)
    with transaction():
        consent = current(user, client, space)
        if consent is None:
            consent = SmartConsent.create(user=user, client=client, space=space)
        all_granted = (consent.granted_set - refused) | granted
        all_refused = (consent.refused_set - granted) | refused
        consent.granted, consent.refused = " ".join(sorted(all_granted)), \
            " ".join(sorted(all_refused))
        consent.updated_at = utcnow()
        consent.save()
        _record_connection(consent)
        if log and access is not None:
            access.log(Action.APP_CONNECT, consent, detail=" ".join(sorted(granted))[:250],
                       app_name=client.name)
    return consent


def _record_connection(consent):
    """A catalogue app authorised on a space shows as connected in the catalogue, with the
    space's scopes its SMART scopes amount to."""
    client = consent.client
    if not consent.space_id or not client.app_id:
        return
    codes = " ".join(sorted(smart_scopes.space_scopes(consent.granted_set)))
    live = AppConnection.select().where(
        (AppConnection.space == consent.space_id) & (AppConnection.app == client.app_id)
        & AppConnection.disconnected_at.is_null()).first()
    if live is None:
        AppConnection.create(space=consent.space_id, app=client.app_id,
                             connected_by=consent.user_id, scopes=codes)
    elif live.scopes != codes:
        AppConnection.update(scopes=codes).where(AppConnection.id == live.id).execute()


def revoke_app(access, app):
    """End every consent to a catalogue app on the access's space (the catalogue's
    "disconnect"); the disconnection is the request's log entry."""
    found = (access.query(SmartConsent, SmartConsent, SmartClient).join(SmartClient)
             .where((SmartClient.app == app) & SmartConsent.revoked_at.is_null()))
    return sum(revoke(consent) for consent in list(found))


def revoke(consent, access=None):
    """End a consent and every token issued under it; with `access`, logged."""
    now = utcnow()
    with transaction():
        ended = SmartConsent.update(revoked_at=now).where(
            (SmartConsent.id == consent.id) & SmartConsent.revoked_at.is_null()).execute()
        clients.revoke_tokens(SmartToken.consent == consent, now)
        if consent.space_id and consent.client.app_id:
            AppConnection.update(disconnected_at=now).where(
                (AppConnection.space == consent.space_id)
                & (AppConnection.app == consent.client.app_id)
                & AppConnection.disconnected_at.is_null()).execute()
        if ended and access is not None:
            access.log(Action.APP_DISCONNECT, consent, detail="revoke",
                       app_name=consent.client.name)
    return ended > 0


def of_space(space):
    """The consents in force on a space, with their client, newest first."""
    return (SmartConsent.select(SmartConsent, SmartClient).join(SmartClient)
            .where((SmartConsent.space == space) & SmartConsent.revoked_at.is_null())
            .order_by(SmartConsent.updated_at.desc(), SmartConsent.id.desc()))


def of_user(user):
    """A professional's consents to software (no space), newest first."""
    return proofs.software_consents(user)
