"""Test helpers: a client that checks each page's structure and posts with a CSRF token,
and small factories. Every page test fetches pages through PageClient.page()."""

import base64
import datetime as dt
import hashlib
import os
import re
from collections import Counter
from html.parser import HTMLParser

from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from webapp.models.accounts import User
from webapp.models.spaces import Space
from webapp.security import current_totp_step, hash_password, totp_at

PASSWORD = "demo-Espace-2026"
_counter = Counter()


def totp_now(secret, offset=0):
    """The code an authenticator app shows now (offset in 30-second steps)."""
    return totp_at(secret, current_totp_step() + offset)


class Node:
    """An element of the parsed page: tag, attributes, children, text."""

    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, attrs, parent, [], []

    @property
    def text(self):
        """All text inside, whitespace collapsed."""
        out = []

        def walk(node):
            for part in node.parts:
                if isinstance(part, Node):
                    walk(part)
                else:
                    out.append(part)

        walk(self)
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def get(self, name, default=None):
        """An attribute's value."""
        return self.attrs.get(name, default)

    def iter(self):
        """This node and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Descendants with this tag (or any) whose attributes equal the given ones."""
        attrs = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.iter() if n is not self and (tag is None or n.tag == tag)
                and all(n.attrs.get(k) == v if v is not True else k in n.attrs
                        for k, v in attrs.items())]

    def find(self, tag=None, **attrs):
        """The first match of find_all, or None."""
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, ident):
        """The element with this id, or None."""
        return self.find(id=ident)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.current.parts.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def parse(html):
    """Parse HTML into a Node tree."""
    parser = _Parser()
    parser.feed(html)
    return parser.root


LABELLABLE = {"input", "select", "textarea"}


def check_structure(doc, fragment=False):
    """Assert the page's structure: returns a list of problems (empty when fine)."""
    problems = []
    ids = Counter(n.get("id") for n in doc.iter() if n.get("id"))
    problems += [f"duplicate id {i!r}" for i, c in ids.items() if c > 1]
    if not fragment:
        html = doc.find("html")
        if html is None or html.get("lang") not in ("fr", "en"):
            problems.append("html element without lang fr/en")
        mains = doc.find_all("main")
        if len(mains) != 1:
            problems.append(f"{len(mains)} main landmarks")
        h1s = doc.find_all("h1")
        if len(h1s) != 1:
            problems.append(f"{len(h1s)} h1 elements")
        title = doc.find("title")
        if title is None or not title.text:
            problems.append("no title")
    labels_for = {n.get("for") for n in doc.find_all("label")}
    for control in (n for n in doc.iter() if n.tag in LABELLABLE):
        kind = control.get("type", "text")
        if kind in ("hidden", "submit", "button", "reset", "image"):
            continue
        named = (control.get("id") in labels_for or control.get("aria-label")
                 or control.get("aria-labelledby") or control.get("title"))
        inside_label = any(p.tag == "label" for p in _ancestors(control))
        if not named and not inside_label:
            problems.append(f"unlabelled {control.tag} name={control.get('name')!r}")
    for form in doc.find_all("form"):
        if not form.get("action"):
            problems.append(f"form without action: {form.attrs}")
        if form.get("method", "get").lower() == "post" and not form.find(
                "input", name="csrf_token"):
            problems.append(f"POST form without CSRF token: {form.get('action')}")
    return problems


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


class PageClient(FlaskClient):
    """Flask's test client with page checks, CSRF-aware posts and sign-in."""

    def open(self, *args, **kwargs):
        """Each request starts with an empty `g`, as in production.

        Tests keep an app context open (for factories); Flask then reuses it for
        requests, and `g` (the loaded user, the grant) would leak from one request
        to the next.
        """
        from flask import g, has_app_context

        if has_app_context():
            vars(g).clear()
        response = super().open(*args, **kwargs)
        stream = response.request.environ.get("wsgi.input")
        if hasattr(stream, "close"):  # a large body the app refused (413) is not left open
            stream.close()
        return response

    def page(self, url, status=200, fragment=False, headers=None, **kwargs):
        """GET a page, assert status and structure, and return (response, parsed doc)."""
        headers = dict(headers or {})
        if fragment:
            headers.setdefault("HX-Request", "true")
        response = self.get(url, headers=headers, **kwargs)
        assert response.status_code == status, (
            f"GET {url}: {response.status_code} != {status}\n{response.text[:2000]}")
        doc = parse(response.text)
        if response.mimetype == "text/html" and status < 300:
            problems = check_structure(doc, fragment=fragment)
            assert not problems, f"GET {url}: " + "; ".join(problems)
        return response, doc

    def csrf_token(self):
        """A valid CSRF token for this client's session (as the page's forms carry)."""
        app = self.application
        with self.session_transaction() as session:
            if "csrf_token" not in session:
                session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
            raw = session["csrf_token"]
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def submit(self, url, data=None, headers=None, **kwargs):
        """POST a form with a CSRF token, like the browser does."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, headers=headers, **kwargs)

    def sign_in(self, email, password=PASSWORD, totp_secret=None):
        """Sign in through the real form (and the code step for mediators)."""
        response = self.submit("/connexion", {"email": email, "password": password})
        assert response.status_code == 303, response.text[:2000]
        if response.headers["Location"].endswith("/connexion/code"):
            user = User.by_email(email)
            code = totp_now(totp_secret or user.totp_secret)
            response = self.submit("/connexion/code", {"code": code})
            assert response.status_code == 303, response.text[:2000]
        return response


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
