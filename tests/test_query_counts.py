"""Every page runs at most 8 SQL statements, and as many with 10 rows as with hundreds.

Each GET route of the URL map is requested by a citizen (Camille, in her space), her
mediator, her doctor and an admin, with the demo data, then again after Camille's space
has grown (documents, conversations and messages, appointments, measurements, profile
entries, log entries). Statements are counted at the database driver, on the second
visit of each page: the first of the day may also record that the holder is told of an
access, once (webapp.notify.queue), and a session is touched once a minute at most.
"""

import datetime as dt

import pytest

from tests.helpers import make_user
from tests.test_access_routes import _sign_in, _url, _values
from webapp import audit, seek
from webapp.db import database, utcnow
from webapp.models.agenda import Appointment
from webapp.models.documents import Document
from webapp.models.measurements import Measurement
from webapp.models.messages import Conversation, Message
from webapp.models.profile import ProfileEntry
from webapp.scopes import Capacity

BUDGET = 8
GROWTH = 60  # copies of each kind of row added to Camille's space
PEOPLE = ["camille.martin@example.org", "amina.diallo@example.org", "dr.bernard@example.org",
          "admin@example.org"]


class Statements:
    """Counts the statements the database runs while active (BEGIN and COMMIT aside)."""

    def __init__(self):
        self.obj, self.sql = database.obj, []

    def __enter__(self):
        original = self.obj.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            self.sql.append(sql)
            return original(sql, params, *args, **kwargs)

        self.obj.execute_sql = counting
        return self

    def __exit__(self, *exc):
        del self.obj.execute_sql


def _counts(app, email, urls):
    """{url: statements} of each page answering 200, on its second visit."""
    client = app.test_client()
    _sign_in(client, email)
    counts = {}
    for url in urls:
        client.get(url).close()
        with Statements() as statements, client.get(url) as response:
            status = response.status_code
        if status == 200:
            counts[url] = (len(statements.sql), statements.sql)
    return counts


def _copies(model, where, times, **changes):
    """Insert `times` copies of the rows of `model` matching `where`."""
    rows = [{k: v for k, v in row.__data__.items() if k != "id"} | changes
            for row in model.select().where(where)]
    for _ in range(times):
        if rows:
            model.insert_many(rows).execute()


def _grow(space):
    """Add to Camille's space GROWTH copies of each kind of row, and as many log entries."""
    conversation = Conversation.select().where(Conversation.space == space).first()
    first = Message.select().where(Message.conversation == conversation).first()
    _copies(Document, Document.space == space, max(1, GROWTH // 5))
    _copies(Appointment, Appointment.space == space, max(1, GROWTH // 5))
    _copies(Measurement, Measurement.space == space, max(1, GROWTH // 5))
    _copies(ProfileEntry, ProfileEntry.space == space, max(1, GROWTH // 10))
    _copies(Message, Message.id == first.id, GROWTH, read_at=None)
    for _ in range(GROWTH // 6):  # more conversations, with other professionals
        professional = make_user("professional")
        other = Conversation.create(space=space, professional=professional, subject="Suivi")
        Message.create(conversation=other, author=professional,
                       author_capacity="professional", body="Bonjour")
    for i in range(GROWTH):
        audit.write(space, action=audit.Action.DOCUMENTS_READ, capacity=Capacity.OWNER,
                    actor=space.owner, detail=f"bench {i}")


def _pages(app):
    return [r for r in app.url_map.iter_rules()
            if r.endpoint not in ("static", "auth.logout") and "GET" in r.methods]


@pytest.mark.parametrize("email", PEOPLE)
def test_every_page_runs_few_statements_whatever_the_size_of_the_space(app, demo, email):
    values = _values(demo)
    urls = sorted({_url(rule, values) for rule in _pages(app)})
    small = _counts(app, email, urls)
    assert len(small) > (2 if email.startswith("admin") else 10)  # pages were seen
    _grow(demo.spaces["camille"])
    large = _counts(app, email, urls)
    over = {url: n for url, (n, _sql) in large.items() if n > BUDGET}
    grew = {url: (small[url][0], n) for url, (n, _sql) in large.items()
            if url in small and n > small[url][0]}
    assert not over, f"more than {BUDGET} statements: {over}\n" + "\n".join(
        "\n".join([url] + large[url][1]) for url in over)
    assert not grew, f"statements grow with the data (small, large): {grew}"


def test_history_pages_are_ranges_of_the_chain_without_count_or_offset(app, client, db):
    """The whole history is numbered 1…head, counted from the head; the page after entry 6
    is 5…1, read as a range of the (space, sequence) index (webapp.seek); neither COUNT
    nor OFFSET, whatever the size."""
    from tests.helpers import make_space, space_path
    from tests.helpers import make_user as user_of

    owner = user_of()
    space = make_space(owner)
    for i in range(45):
        audit.write(space, action=audit.Action.DOCUMENTS_READ, capacity=Capacity.OWNER, actor=owner,
                    detail=f"e{i}")
    client.sign_in(owner.email)
    with Statements() as statements:
        _r, doc = client.page(space_path(space, f"/historique?apres={seek.encode(6)}"))
    logged = [s for s in statements.sql if '"access_log"' in s and s.startswith("SELECT")]
    assert logged and not any("COUNT" in s or "OFFSET" in s for s in logged), logged
    times = doc.find_all("time")
    assert len(times) == 5  # entries 5…1 (the page's own entry is written after it)
    assert "45 accès" in doc.text


@pytest.mark.parametrize("index, version", [("document_new", 15), ("document_withheld", 17)])
def test_partial_indexes_are_on_new_and_migrated_databases(app, db, index, version):
    """The home card's count reads an index of the new documents only (migration 15); the
    "a document is waiting" notice and the hourly release, one of the withheld ones (17)."""
    from webapp.db import SchemaVersion
    from webapp.migrations import create_schema

    def names():
        return {i.name for i in database.get_indexes("document")}

    assert index in names()
    database.execute_sql(f"DROP INDEX {index}")
    SchemaVersion.delete().where(SchemaVersion.version == version).execute()
    create_schema()
    assert index in names()


@pytest.mark.parametrize("email", ["amina.diallo@example.org", "dr.bernard@example.org"])
def test_the_first_visit_of_the_day_that_tells_the_holder_stays_within_the_budget(
        app, demo, email):
    """The first page someone else opens in Camille's space today writes nothing more
    than the others: send-outbox reads the log and tells her."""
    from tests.helpers import space_path
    from webapp.models.notifications import AccessNotice, Outbox
    from webapp.notify import access_notices

    space = demo.spaces["camille"]
    client = app.test_client()
    _sign_in(client, email)
    AccessNotice.delete().execute()
    access_notices.notices_start_now()
    before = Outbox.select().where(Outbox.recipient == space.owner).count()
    url = space_path(space, "/documents")
    with Statements() as statements, client.get(url) as response:
        assert response.status_code == 200
    assert len(statements.sql) <= BUDGET, "\n".join(statements.sql)
    later = utcnow() + dt.timedelta(seconds=access_notices.SETTLE + 1)
    assert access_notices.queue_access_notices(later) == 1
    assert Outbox.select().where(Outbox.recipient == space.owner).count() > before  # told
