"""Benchmark of the document list: time and SQL queries with 10, 1 000 and 10 000 documents
in one space. The number of queries must not grow with the number of documents.

    .venv/bin/python -m benchmarks.documents            # temporary SQLite database
    DATABASE_URL=postgresql://... .venv/bin/python -m benchmarks.documents

Run it from the project's root. On PostgreSQL, point it at a throwaway database: it drops
and recreates every table.
"""

import datetime as dt
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time

from tests.helpers import PageClient, make_space, make_user, space_path
from webapp import create_app, seek
from webapp.db import database
from webapp.migrations import all_models, create_schema
from webapp.models.documents import Document, fold
from webapp.record.categories import CATEGORIES

SIZES = (10, 1000, 10000)
RUNS = 5
PATHS = ("/documents", "far", "/documents?categorie=BIOLOGIE&q=bilan")
# "far": the last page (page 500 at 10 000 documents), after its preceding row's key


class QueryCounter(logging.Handler):
    """Counts the SQL statements peewee logs."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _title(i):
    return f"Bilan {i}" if i % 7 == 0 else f"Document {i}"


def _fill(space, total, start):
    codes = list(CATEGORIES)
    rows = [dict(space=space.id, title=_title(i), title_folded=fold(_title(i)),
                 category=codes[i % len(codes)],
                 document_date=dt.date(2026, 1, 1) - dt.timedelta(days=i % 3000),
                 author_kind="professional", author_name="Dr Paul BERNARD",
                 sha256="0" * 64, size=1000, mime="application/pdf", source="seed")
            for i in range(start, total)]
    for i in range(0, len(rows), 500):
        Document.insert_many(rows[i:i + 500]).execute()


def _far(space):
    """The last page's address: a keyset page after the key of the 21st-oldest row (its
    cursor is computed here with an OFFSET, once; the page itself reads no OFFSET), or
    after the newest row in a space of 20 documents or fewer."""
    rows = Document.select().where(Document.space == space)
    before = (rows.order_by(Document.document_date, Document.id).offset(20).first()
              or rows.order_by(Document.document_date.desc(), Document.id.desc()).first())
    return "/documents?apres=" + seek.encode(before.document_date, before.id)


def _app(url, tmp):
    os.environ["WEBAPP_INSTANCE_PATH"] = tmp
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url,
                      "STORAGE_PATH": f"{tmp}/storage", "ARGON2_PROFILE": "cheapest",
                      "RATELIMIT_ENABLED": False, "SECURE_COOKIES": False,
                      "SESSION_COOKIE_SECURE": False, "SESSION_COOKIE_NAME": "session",
                      "WTF_CSRF_SSL_STRICT": False, "MAIL_TRANSPORT": "memory"})
    app.test_client_class = PageClient
    return app


def _measure(client, target, counter):
    """(median milliseconds, most queries) of RUNS requests of one address."""
    logger = logging.getLogger("peewee")
    times, queries = [], []
    for _ in range(RUNS):
        logger.addHandler(counter)
        logger.setLevel(logging.DEBUG)
        counter.count = 0
        start = time.perf_counter()
        response = client.get(target)
        times.append((time.perf_counter() - start) * 1000)
        logger.removeHandler(counter)
        queries.append(counter.count)
        assert response.status_code == 200, (target, response.status_code)
    return statistics.median(times), max(queries)


def main():
    """Print one line per size and address: median time and queries per request."""
    tmp = tempfile.mkdtemp(prefix="bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = _app(url, tmp)
    counter = QueryCounter()
    results = {}
    with app.app_context():
        database.connect(reuse_if_open=True)
        if not url.startswith("sqlite"):
            database.drop_tables(all_models(), safe=True, cascade=True)
        create_schema()
        user = make_user(first_name="Camille", last_name="Bench")
        space = make_space(user)
        client = app.test_client()
        client.sign_in(user.email)
        client.get(space_path(space, "/documents"))  # the log's chain head starts here
        print(f"{'documents':>9}  {'url':<42} {'median ms':>9} {'queries':>7}")
        filled = 0
        for size in SIZES:
            _fill(space, size, filled)
            filled = size
            for path in PATHS:
                target = _far(space) if path == "far" else path
                median, queries = _measure(client, space_path(space, target), counter)
                results[(size, path)] = queries
                print(f"{size:>9}  {path:<42} {median:>9.1f} {queries:>7}")
        database.close()
    shutil.rmtree(tmp, ignore_errors=True)
    grows = any(results[(SIZES[-1], p)] != results[(SIZES[0], p)] for p in PATHS)
    print("query count grows with the number of documents!" if grows
          else "query count constant across sizes")
    return 1 if grows else 0


if __name__ == "__main__":
    sys.exit(main())
