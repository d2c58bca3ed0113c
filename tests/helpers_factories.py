"""Test helpers: small factories (accounts of every role, spaces, minors' spaces,
mandates, documents), the addresses of a space's pages, sign-in on a space, and the
access-log entries about a row."""

import base64
import datetime as dt
import os
from collections import Counter

from webapp.models.accounts import User
from webapp.models.spaces import Space
from webapp.pro import ins
from webapp.security import hash_password

PASSWORD = "demo-Espace-2026"
_counter = Counter()


def make_user(role="citizen", email=None, password=PASSWORD, **fields):
    """A user of any role; mediators get a TOTP secret and an office."""
    _counter[role] += 1
    n = _counter[role]
    fields.setdefault("first_name", f"Prénom{n}")
    fields.setdefault("last_name", f"{role.capitalize()}{n}")
    if role == "mediator":
        from webapp.models.accounts import Office

        fields.setdefault("totp_secret", base64.b32encode(os.urandom(20)).decode())
        fields.setdefault("office", Office.create(name=f"France Services Test {n}"))
    if role == "professional":
        fields.setdefault("rpps", f"1{n:010d}")
        fields.setdefault("profession", "medecin")  # a code: the matrix reads it
    fields.setdefault("email_verified_at", dt.datetime(2026, 1, 1))  # a proven address
    return User.create(email=email or f"{role}{n}-{os.urandom(3).hex()}@example.org",
                       password_hash=hash_password(password), role=role, **fields)


def camille_signed_in(client):
    """Camille Martin's new, active space, with the client signed in as her."""
    user = make_user(first_name="Camille", last_name="Martin")
    space = make_space(user)
    client.sign_in(user.email)
    return space


def make_space(owner=None, state=None, **fields):
    """A space; owned and active when an owner is given."""
    import datetime as dt

    from webapp.db import utcnow

    _counter["space"] += 1
    n = _counter["space"]
    fields.setdefault("first_name", owner.first_name if owner else f"Enfant{n}")
    fields.setdefault("last_name", owner.last_name if owner else "Test")
    fields.setdefault("birth_date", dt.date(1980, 1, 1))
    fields.setdefault("nir", f"1800175{n:06d}"[:13] + "00")
    fields.setdefault("notified_at", utcnow() - dt.timedelta(days=60))
    return Space.create(owner=owner, state=state or ("active" if owner else "created"),
                        **fields)


def followed_patient():
    """A holder's open space and a professional in care: dict(owner, space, pro)."""
    from webapp.models.spaces import CareRelation

    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    return dict(owner=owner, space=space, pro=pro)


def make_ines(identity_status="validated"):
    """Inès ROUX, born DURAND in Lyon (69123) on 9 July 1990, with a test INS of this
    status; her account and open space."""
    body = "2900769123456"
    owner = make_user(first_name="Inès", last_name="Roux")
    return make_space(owner, first_name="Inès", last_name="Roux",
                      birth_date=dt.date(1990, 7, 9), nir=body + ins.key_for(body), sex="F",
                      birth_name="Durand", birth_first_names="Inès Marie",
                      birth_first_name="Inès", birth_place="69123",
                      identity_status=identity_status, ins_oid=ins.TEST_NIR_OID)


def make_child(guardian, birth_date, **fields):
    """An active minor's space represented by the guardian (no account of its own)."""
    from webapp.models.spaces import Guardianship

    child = make_space(None, state="active", birth_date=birth_date, **fields)
    Guardianship.create(guardian=guardian, child=child)
    return child


def give_mandate(holder, space, scopes, kind="mediator", **fields):
    """An active mandate of the holder on the space, from a minute ago for two hours
    (unless told); scopes as an iterable of codes or one space-separated string."""
    import datetime as dt

    from webapp.db import utcnow
    from webapp.models.mandates import Mandate

    now = utcnow()
    fields.setdefault("starts_at", now - dt.timedelta(minutes=1))
    fields.setdefault("ends_at", now + dt.timedelta(hours=2))
    fields.setdefault("office", holder.office if kind == "mediator" else None)
    if not isinstance(scopes, str):
        scopes = " ".join(scopes)
    return Mandate.create(space=space, holder=holder, kind=kind, scopes=scopes, **fields)


def space_path(space, path="/"):
    """The address of a page of a space: /espaces/<ref> followed by the area's path."""
    return f"/espaces/{space.ref}{path}"


def sign_in_on(client, user, space):
    """Sign in; return the prefix of the space to work on (a patient's, a helped person's).

    The space is named in each address, never kept in the session.
    """
    client.sign_in(user.email)
    return space_path(space, "")


def act_for(client, user, space, scopes, kind="mediator"):
    """Give a mandate and sign in as its holder; return the space's address prefix."""
    give_mandate(user, space, scopes, kind=kind)
    return sign_in_on(client, user, space)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_document(space, title="Compte rendu", category="CPT_REND", day=None, content=PDF,
                  filename="doc.pdf", announce=False, **fields):
    """A stored document of a space. With announce, it is added by the real action (as the
    service itself): logged in the space's history and announced to the holders."""
    import datetime as dt
    import io

    from webapp import storage
    from webapp.access import Access
    from webapp.models.documents import Document
    from webapp.record.documents import create_document

    digest, size, mime = storage.store(io.BytesIO(content))
    details = dict(title=title, category=category, document_date=day or dt.date(2026, 3, 1))
    if announce:
        return create_document(Access.system(space, "Tests"), sha256=digest, size=size,
                               mime=mime, filename=filename, **details, **fields)
    fields.setdefault("hidden", bool(space.hide_new_documents))
    return Document.create(space=space, sha256=digest, size=size, mime=mime,
                           original_filename=filename, **details, **fields)


def logged(target=None, detail=None, **where):
    """The access-log entries about a row (its table and id), with this detail if given."""
    from webapp.models.audit import AccessLog

    query = AccessLog.select()
    if target is not None:
        query = query.where((AccessLog.target_kind == target._meta.table_name)
                            & (AccessLog.target_id == target._pk))
    if detail is not None:
        query = query.where(AccessLog.detail == detail)
    for name, value in where.items():
        query = query.where(getattr(AccessLog, name) == value)
    return query
