"""SQL queries and access-log rows per request for the busiest pages (a benchmark).

    python benchmarks/queries.py [--sizes 10,1000] [--json out.json]

Each page is fetched by a signed-in demo user through the WSGI app (in-process), with
Camille's space grown to N documents, messages and log entries for each N of --sizes.
For each page: the SQL statements the request ran (counted at the database driver),
the access-log rows it appended, and the median server time. Counts are deterministic;
times depend on the machine.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "demo-Espace-2026"


class Counter:
    """Counts the statements executed on the database while active."""

    def __init__(self, database):
        self.database, self.count, self.statements = database, 0, []
        original = database.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            self.count += 1
            self.statements.append(sql)
            return original(sql, params, *args, **kwargs)

        database.execute_sql = counting


def make_app(tmp):
    """The app on a fresh database with the demo data."""
    os.environ["WEBAPP_INSTANCE_PATH"] = str(tmp / "instance")
    from webapp import create_app, seed

    app = create_app({
        "TESTING": False, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "STORAGE_PATH": str(tmp / "storage"), "ARGON2_PROFILE": "cheapest",
        "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "session", "MAIL_TRANSPORT": "memory"})
    with app.app_context():
        seed.run()  # creates the schema first
    return app


def grow(app, n):
    """Give Camille's space n documents, n messages in one conversation, n log entries."""
    from webapp import audit
    from webapp.audit import Action
    from webapp.db import database
    from webapp.models.audit import AccessLog
    from webapp.models.documents import Document
    from webapp.models.messages import Conversation, Message
    from webapp.models.spaces import Space
    from webapp.scopes import Capacity

    with app.app_context(), database.connection_context():
        space = Space.get(Space.first_name == "Camille")
        have = Document.select().where(Document.space == space).count()
        sample = Document.select().where(Document.space == space).first()
        conversation = (Conversation.select().where(Conversation.space == space)
                        .order_by(Conversation.id).first())
        author = conversation.professional
        with database.atomic():
            rows = [dict(space=space, title=f"Compte rendu {i}", category=sample.category,
                         document_date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000),
                         author_kind="professional", sha256=sample.sha256, size=sample.size,
                         mime=sample.mime, title_folded=f"compte rendu {i}",
                         first_opened_at=dt.datetime(2024, 1, 1))
                    for i in range(max(0, n - have))]
            for start in range(0, len(rows), 500):
                Document.insert_many(rows[start:start + 500]).execute()
            have_messages = Message.select().where(Message.conversation == conversation).count()
            messages = [dict(conversation=conversation, author=author,
                             author_capacity=Capacity.PROFESSIONAL, body=f"Message {i}",
                             read_at=dt.datetime(2024, 1, 1))
                        for i in range(max(0, min(n, 200) - have_messages))]
            for start in range(0, len(messages), 500):
                Message.insert_many(messages[start:start + 500]).execute()
        have_log = AccessLog.select().where(AccessLog.space == space).count()
        for _i in range(max(0, n - have_log)):
            audit.write(space, actor=space.owner, capacity=Capacity.OWNER,
                        action=Action.DOCUMENTS_READ)
        return space, conversation


def pages(app, space, conversation):
    """(name, url) of the busiest pages, for the code as it is (space in the URL or not)."""
    from webapp.db import database
    from webapp.models.documents import Document

    with app.app_context(), database.connection_context():
        doc = (Document.select().where(Document.space == space)
               .order_by(Document.id).first())
    prefix = f"/espaces/{space.ref}" if hasattr(space, "ref") else ""
    return [("home", prefix + "/" if prefix else "/"),
            ("documents", f"{prefix}/documents"),
            ("document", f"{prefix}/documents/{doc.id}"),
            ("messages", f"{prefix}/messages"),
            ("conversation", f"{prefix}/messages/{conversation.id}"),
            ("agenda", f"{prefix}/agenda"),
            ("history", f"{prefix}/historique")]


def measure(app, url, repeat):
    """(queries, log rows, median ms) of GET url as Camille."""
    from webapp.db import database
    from webapp.models.audit import AccessLog

    client = app.test_client()
    response = client.post("/connexion", data={"email": "camille.martin@example.org",
                                               "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    counter = Counter(database.obj)
    times, counts, logged = [], [], []
    for _ in range(repeat):
        with app.app_context(), database.connection_context():
            before = AccessLog.select().count()
        counter.count = 0
        start = time.perf_counter()
        with client.get(url) as response:
            assert response.status_code == 200, (url, response.status_code)
        times.append((time.perf_counter() - start) * 1000)
        counts.append(counter.count)
        with app.app_context(), database.connection_context():
            logged.append(AccessLog.select().count() - before)
    return counts[-1], logged[-1], statistics.median(times)


def main():
    """Measure and print a table (and optionally a JSON file)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        for n in [int(s) for s in args.sizes.split(",")]:
            space, conversation = grow(app, n)
            for name, url in pages(app, space, conversation):
                queries, logged, ms = measure(app, url, args.repeat)
                results.append(dict(size=n, page=name, queries=queries, log_rows=logged,
                                    median_ms=round(ms, 1)))
                print(f"{n:>7} {name:<13} {queries:>3} queries {logged:>2} log rows "
                      f"{ms:7.1f} ms")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
