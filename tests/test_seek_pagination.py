"""Keyset pages of the document list and of the access history (webapp.seek): following
"Page suivante" gives every row once even when rows are added between two loads, filters
are kept, going back works, and a hostile cursor is harmless (first page, never a 500)."""

import base64
import datetime as dt

import pytest

from tests.helpers import camille_signed_in, make_document, make_space, make_user, space_path
from tests.test_query_counts import Statements
from webapp import audit, seek
from webapp.audit import Action
from webapp.scopes import Capacity


@pytest.fixture
def camille(client, db):
    return camille_signed_in(client)


def _titles(doc):
    return [p.find("a").text for p in doc.find_all("p", class_="doc-list__title")]


def _link(doc, rel):
    nav = doc.find("nav", class_="pagination")
    link = nav and nav.find("a", rel=rel)
    return link and link.get("href")


def test_paging_through_documents_with_two_inserts_in_between_gives_each_exactly_once(
        client, camille):
    day = dt.date(2025, 1, 1)
    for i in range(27):  # some share a date: the id breaks the tie
        make_document(camille, title=f"Doc {i:02d}", day=day + dt.timedelta(i // 3))
    _r, doc = client.page(space_path(camille, "/documents"))
    seen = _titles(doc)
    assert len(seen) == 20 and seen[0] == "Doc 26"
    # two documents arrive between the two loads: one newest, one among the second page's
    make_document(camille, title="Nouveau en tête", day=day + dt.timedelta(100))
    make_document(camille, title="Nouveau plus ancien", day=day)
    pages = 1
    while (href := _link(doc, "next")) is not None:
        assert "page=" not in href and "apres=" in href
        _r, doc = client.page(href)
        seen += _titles(doc)
        pages += 1
    old = [t for t in seen if t.startswith("Doc ")]
    assert sorted(old) == sorted(f"Doc {i:02d}" for i in range(27)) and len(old) == 27
    assert seen.count("Nouveau plus ancien") == 1 and "Nouveau en tête" not in seen
    assert pages == 2
    # back: the page seen first, as it was; before it, the first page with the newest one
    _r, doc = client.page(_link(doc, "prev"))
    assert _titles(doc) == seen[:20]
    _r, doc = client.page(_link(doc, "prev"))
    assert _titles(doc)[0] == "Nouveau en tête" and len(_titles(doc)) == 20
    assert _link(doc, "prev") is None and _link(doc, "next") is not None


def test_filters_are_kept_across_document_pages(client, camille):
    for i in range(23):
        make_document(camille, title=f"Bilan {i:02d}", category="BIOLOGIE",
                      day=dt.date(2026, 1, 1) + dt.timedelta(i))
        make_document(camille, title=f"Ordonnance {i:02d}", category="ORD_SOIN",
                      day=dt.date(2026, 1, 1) + dt.timedelta(i))
    _r, doc = client.page(space_path(camille, "/documents?categorie=BIOLOGIE&q=bilan"))
    href = _link(doc, "next")
    assert "categorie=BIOLOGIE" in href and "q=bilan" in href
    _r, doc = client.page(href)
    assert _titles(doc) == ["Bilan 02", "Bilan 01", "Bilan 00"]
    assert "23 documents correspondent" in doc.find("h2", id="document-count").text
    back = _link(doc, "prev")
    assert "categorie=BIOLOGIE" in back and "avant=" in back


def _cursor(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "n'importe quoi", "%00%ff", "A" * 500, _cursor("2025-01-01~99999999999999999999999"),
    _cursor("9999-12-31~1"), _cursor("0001-01-01~1"), _cursor("2025-13-45~3"),
    _cursor("2025-01-01"), _cursor("2025-01-01~-4"), _cursor("2025-01-01~1~2"),
    _cursor("٢٠٢٥-٠١-٠١~١"), "====", ""])
def test_a_hostile_document_cursor_gives_a_page_never_an_error(client, camille, cursor):
    for i in range(22):
        make_document(camille, title=f"Doc {i:02d}", day=dt.date(2025, 1, 1))
    for side in ("apres", "avant"):
        response, doc = client.page(space_path(camille, f"/documents?{side}={cursor}"))
        assert response.status_code == 200
        titles = _titles(doc)  # the first page, or a real one (a key before them all)
        assert 2 <= len(titles) <= 20 and all(t.startswith("Doc ") for t in titles)
        assert titles == sorted(titles, reverse=True)


def test_another_spaces_document_ids_in_a_cursor_only_position_the_reading(client, camille):
    other = make_space(make_user())
    theirs = make_document(other, title="Secret d'un autre", day=dt.date(2025, 6, 1))
    for i in range(25):
        make_document(camille, title=f"Doc {i:02d}", day=dt.date(2025, 1, 1) + dt.timedelta(i))
    cursor = seek.encode(theirs.document_date, theirs.id)
    for side in ("apres", "avant"):
        _r, doc = client.page(space_path(camille, f"/documents?{side}={cursor}"))
        assert "Secret d'un autre" not in doc.text
        assert all(t.startswith("Doc ") for t in _titles(doc))


def test_a_far_document_page_is_one_seek_without_count_of_pages_or_offset(client, camille):
    for i in range(45):
        make_document(camille, title=f"Doc {i:02d}", day=dt.date(2025, 1, 1) + dt.timedelta(i))
    last = seek.encode(dt.date(2025, 1, 5), 0 + 10**9)  # a made-up key: rows before it
    with Statements() as statements:
        _r, doc = client.page(space_path(camille, f"/documents?apres={last}"))
    documents = [s for s in statements.sql if 'FROM "document"' in s and "SELECT" in s]
    assert not any("OFFSET" in s for s in documents), documents
    assert _titles(doc) == ["Doc 04", "Doc 03", "Doc 02", "Doc 01", "Doc 00"]


def test_a_professional_pages_through_what_the_policy_shows_and_a_hidden_key_reveals_nothing(
        client, camille):
    from webapp.models.spaces import CareRelation

    hidden = []
    for i in range(26):
        doc = make_document(camille, title=f"Doc {i:02d}", hidden=i % 5 == 0,
                            day=dt.date(2025, 1, 1) + dt.timedelta(i))
        if doc.hidden:
            hidden.append(doc)
    pro = make_user(role="professional", first_name="Paul", last_name="Bernard")
    CareRelation.create(professional=pro, space=camille)
    client._cookies.clear()
    client.sign_in(pro.email)
    _r, doc = client.page(space_path(camille, "/documents"))
    seen = _titles(doc)
    while (href := _link(doc, "next")) is not None:
        _r, doc = client.page(href)
        seen += _titles(doc)
    assert sorted(seen) == sorted(f"Doc {i:02d}" for i in range(26) if i % 5)
    # a hidden document's key as cursor: a position only, the document stays unseen
    cursor = seek.encode(hidden[-1].document_date, hidden[-1].id)
    _r, doc = client.page(space_path(camille, f"/documents?apres={cursor}"))
    assert hidden[-1].title not in _titles(doc) and _titles(doc)[0] == "Doc 24"


def test_filtered_history_pages_by_sequence_once_each_while_the_log_grows(client, db):
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional", first_name="Paul", last_name="Bernard")
    for i in range(30):
        audit.write(space, action=Action.DOCUMENTS_READ, capacity=Capacity.PROFESSIONAL,
                    actor=pro, actor_name="Dr Paul BERNARD", detail=f"lu {i}")
    client.sign_in(owner.email)
    url = space_path(space, "/historique?qui=professionnels")
    with Statements() as statements:
        _r, doc = client.page(url)
    logged = [s for s in statements.sql if '"access_log"' in s and s.startswith("SELECT")]
    assert logged and not any("COUNT" in s or "OFFSET" in s for s in logged), logged
    first = doc.find_all("li", class_="history-entry")
    assert len(first) == 20  # not counted: "Accès", not "30 accès"
    assert doc.by_id("history-count").text.strip().startswith("Accès –")
    for i in range(2):  # more accesses between the two loads
        audit.write(space, action=Action.DOCUMENTS_READ, capacity=Capacity.PROFESSIONAL,
                    actor=pro, actor_name="Dr Paul BERNARD", detail=f"nouveau {i}")
    href = _link(doc, "next")
    assert "qui=professionnels" in href and "periode=tout" in href
    _r, doc = client.page(href)
    assert len(doc.find_all("li", class_="history-entry")) == 10 and _link(doc, "next") is None
    _r, doc = client.page(_link(doc, "prev"))  # back: the page seen first, as it was
    assert [e.text for e in doc.find_all("li", class_="history-entry")] == [
        e.text for e in first]
    _r, doc = client.page(_link(doc, "prev"))  # then the first page, with the two new
    assert _link(doc, "prev") is None and _link(doc, "next") is not None
    assert len(doc.find_all("li", class_="history-entry")) == 20


@pytest.mark.parametrize("cursor", ["x", _cursor("99999999999999999999999"), _cursor("-1"),
                                    _cursor("1~2"), _cursor("0")])
def test_a_hostile_history_cursor_gives_the_first_page(client, db, cursor):
    owner = make_user()
    space = make_space(owner)
    for i in range(25):
        audit.write(space, action=Action.DOCUMENTS_READ, capacity=Capacity.OWNER, actor=owner,
                    detail=f"e{i}")
    client.sign_in(owner.email)
    for side in ("apres", "avant"):
        response, doc = client.page(space_path(space, f"/historique?qui=moi&{side}={cursor}"))
        assert response.status_code == 200
        assert len(doc.find_all("li", class_="history-entry")) == 20


def test_decode_refuses_what_encode_does_not_make():
    key = (dt.date(2025, 3, 1), 42)
    assert seek.decode(seek.encode(*key), dt.date, int) == key
    assert seek.decode(seek.encode(7), int) == (7,)
    assert seek.decode(seek.encode(2**63), int) is None
    assert seek.decode(seek.encode(*key), int) is None
    assert seek.decode(None, int) is None


def test_a_far_page_reads_the_index_as_a_range_from_the_key(app, camille):
    """The seek's first-field bound lets the database start at the key (SQLite's plan says
    so), instead of reading the space's rows from the newest and filtering them."""
    from webapp.db import database, is_sqlite
    from webapp.models.documents import Document

    if not is_sqlite():
        pytest.skip("the plan's wording is SQLite's")
    query = Document.select().where(Document.space == camille).where(seek._beyond(
        (Document.document_date, Document.id), (dt.date(2025, 1, 1), 5), later=False))
    sql, params = query.order_by(Document.document_date.desc(), Document.id.desc()).sql()
    plan = " ".join(str(row) for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql,
                                                             params).fetchall())
    assert "document_date<?" in plan, plan
