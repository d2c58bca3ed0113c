"""Shared helpers for the assisted-access tests (no tests here)."""

import json
import re
from urllib.parse import urlsplit

from flask import current_app

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


def sent_to(user):
    """The e-mails the app sent to the user (memory transport), the last one last."""
    return [m for m in current_app.extensions.get("mail_sent", []) if m["To"] == user.email]


def last_code(user, event="mandate_consent_code"):
    """The code of the last notification of this kind to the user: read in the e-mail
    that left at once, else (not sent yet) in the outbox."""
    row = (Outbox.select().where((Outbox.recipient == user) & (Outbox.template == event))
           .order_by(Outbox.id.desc()).first())
    if row is None:
        return None
    if row.sent_at is None:
        return json.loads(row.params)["code"]
    found = re.search(r"Code ?: (\d{6})", sent_to(user)[-1].get_content())
    return found.group(1) if found else None


def draft_of(response):
    """The address of the draft a wizard step redirected to: /mandats/nouveau/<draft>."""
    path = urlsplit(response.headers["Location"]).path
    assert path.startswith("/mandats/nouveau/") and path.count("/") == 4, path
    return path.rsplit("/", 1)[0]


def start_draft(client, space):
    """Step 1 of the wizard as the signed-in mediator; the new draft's address."""
    r = client.submit("/mandats/nouveau/personne", {
        "nir": space.nir, "birth_date": space.birth_date.isoformat()})
    assert r.status_code == 303, r.text[:1500]
    return draft_of(r)


def walk_to_consent(client, space, scopes=("documents.read",), duration="month"):
    """Go through steps 1 to 4 of the wizard as the signed-in mediator; return the
    draft's address, which every later step's address starts with."""
    draft = start_draft(client, space)
    r = client.submit(f"{draft}/rubriques", {"scopes": list(scopes)})
    assert r.status_code == 303, r.text[:1500]
    r = client.submit(f"{draft}/duree", {"duration": duration})
    assert r.status_code == 303, r.text[:1500]
    r = client.submit(f"{draft}/conditions", {"read": "y"})
    assert r.status_code == 303, r.text[:1500]
    return draft


def consent_by_code(client, draft, citizen, event="mandate_consent_code"):
    """Step 5: send a code to the person and type the code they received."""
    assert client.submit(f"{draft}/accord", {"action": "send"}).status_code == 303
    r = client.submit(f"{draft}/accord", {"action": "code", "c-code": last_code(citizen, event)})
    assert r.status_code == 303, r.text[:1500]


def confirm(client, draft, mediator):
    """Step 6 with a TOTP code never used (as if 30 seconds had passed since the last)."""
    User.update(totp_last_step=0).where(User.id == mediator.id).execute()
    return client.submit(f"{draft}/confirmation", {"code": totp_now(mediator.totp_secret, 1)})


def create_mandate(client, mediator, space, citizen, scopes=("documents.read",),
                   duration="month"):
    """The whole wizard, consent by code; returns the new mandate."""
    draft = walk_to_consent(client, space, scopes, duration)
    consent_by_code(client, draft, citizen)
    r = confirm(client, draft, mediator)
    assert r.status_code == 303, r.text[:1500]
    return Mandate.select().where(Mandate.holder == mediator).order_by(Mandate.id.desc()).first()


def banner(doc):
    """The assisted-access banner of a parsed page, or None."""
    return next((n for n in doc.iter()
                 if "context-banner--assisted" in n.get("class", "").split()), None)
