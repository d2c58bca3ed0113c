"""Shared helpers for the assisted-access tests (no tests here)."""

import json

from tests.helpers import give_mandate, make_space, make_user, totp_now
from webapp.models.accounts import User
from webapp.models.mandates import Mandate
from webapp.models.notifications import Outbox


def mandate_for(holder, space, scopes, kind="mediator", **fields):
    """give_mandate with the duration the wizard would record ("visit" for a mediator)."""
    fields.setdefault("duration", "visit" if kind == "mediator" else "open")
    return give_mandate(holder, space, scopes, kind, **fields)


def citizen_with_space(**fields):
    """A citizen and their active space."""
    user = make_user("citizen", **fields)
    return user, make_space(user)


def last_code(user, event="mandate_consent_code"):
    """The code in the last notification of this kind sent to the user."""
    row = (Outbox.select().where((Outbox.recipient == user) & (Outbox.template == event))
           .order_by(Outbox.id.desc()).first())
    return json.loads(row.params)["code"] if row else None


def walk_to_consent(client, space, scopes=("documents.read",), duration="month"):
    """Go through steps 1 to 4 of the wizard as the signed-in mediator."""
    client.get("/mandats/nouveau")
    r = client.submit("/mandats/nouveau/personne", {
        "nir": space.nir, "birth_date": space.birth_date.isoformat()})
    assert r.status_code == 303, r.text[:1500]
    r = client.submit("/mandats/nouveau/rubriques", {"scopes": list(scopes)})
    assert r.status_code == 303, r.text[:1500]
    r = client.submit("/mandats/nouveau/duree", {"duration": duration})
    assert r.status_code == 303, r.text[:1500]
    r = client.submit("/mandats/nouveau/conditions", {"read": "y"})
    assert r.status_code == 303, r.text[:1500]


def create_mandate(client, mediator, space, citizen, scopes=("documents.read",),
                   duration="month"):
    """The whole wizard, consent by code; returns the new mandate."""
    walk_to_consent(client, space, scopes, duration)
    assert client.submit("/mandats/nouveau/accord", {"action": "send"}).status_code == 303
    r = client.submit("/mandats/nouveau/accord", {"action": "code",
                                                  "c-code": last_code(citizen)})
    assert r.status_code == 303, r.text[:1500]
    # each TOTP code works once: forget the last one used, as if 30 seconds had passed
    User.update(totp_last_step=0).where(User.id == mediator.id).execute()
    r = client.submit("/mandats/nouveau/confirmation", {"code": totp_now(mediator.totp_secret,
                                                                         1)})
    assert r.status_code == 303, r.text[:1500]
    return Mandate.select().where(Mandate.holder == mediator).order_by(Mandate.id.desc()).first()


def banner(doc):
    """The assisted-access banner of a parsed page, or None."""
    return next((n for n in doc.iter()
                 if "context-banner--assisted" in n.get("class", "").split()), None)
