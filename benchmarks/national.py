"""Data at national scale on PostgreSQL, then the hot pages measured on it.

    DATABASE_URL=postgresql://…/throwaway python -m benchmarks.national --scale 0.01
    DATABASE_URL=… python -m benchmarks.national --measure-only --report report.md

--scale 1 is 1 million spaces (each with its owner), 20 million documents and 50 million
access-log entries, plus two measured spaces: a small one (10 documents, 50 entries)
and a large one (10 000 documents, 100 000 entries), each with a conversation. Users,
spaces and documents are made by PostgreSQL itself (INSERT … SELECT FROM
generate_series); the log is written by Python through COPY, because each entry's MAC
(HMAC-SHA256 with AUDIT_KEY, as webapp.audit writes it) chains to the previous one, so
that `flask verify-log` accepts the result. It DROPS every table of that database first.

Then, in the same run, for both measured spaces: each page's statements and median time
(documents page 1 and a far page, history page 1 and a far page, home, a conversation),
and EXPLAIN (ANALYZE, BUFFERS) of each SELECT of the large space's pages, with the
plan's scans (an index scan of the space's rows, never a sequential scan of a big table).
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national_data import PASSWORD, generate  # noqa: E402 (after the path)

RUNS = 5


def _app(tmp):
    from webapp import create_app

    os.environ["WEBAPP_INSTANCE_PATH"] = str(tmp / "instance")
    return create_app({"SECRET_KEY": "national", "AUDIT_KEY": "national-audit-key",
                       "DATABASE_URL": os.environ["DATABASE_URL"], "WTF_CSRF_ENABLED": False,
                       "STORAGE_PATH": str(tmp / "storage"), "ARGON2_PROFILE": "cheapest",
                       "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                       "SESSION_COOKIE_NAME": "session", "MAIL_TRANSPORT": "memory"})


def _far_cursors(app, ref):
    """The cursors of the last page of the document list and of the history (keyset pages,
    webapp.seek): after the 21st-oldest document (the newest of 20 or fewer), after log
    entry 21. Found here with an OFFSET, once; the pages themselves read no OFFSET."""
    from webapp import seek
    from webapp.models.documents import Document
    from webapp.models.spaces import Space

    with app.app_context():
        rows = Document.select().join(Space).where(Space.ref == ref)
        before = (rows.order_by(Document.document_date, Document.id).offset(20).first()
                  or rows.order_by(Document.document_date.desc(), Document.id.desc()).first())
        return seek.encode(before.document_date, before.id), seek.encode(21)


def _pages(ref, conversation, far_documents, far_history):
    base = f"/espaces/{ref}"
    return [("home", base + "/"), ("documents p1", base + "/documents"),
            ("documents far", f"{base}/documents?apres={far_documents}"),
            ("history p1", base + "/historique"),
            ("history far", f"{base}/historique?apres={far_history}"),
            ("conversation", f"{base}/messages/{conversation}")]


def measure(app, refs, explain):
    """Print, per page and space, the statements and the median time; EXPLAIN the large
    space's SELECTs."""
    from webapp.db import database

    obj = database.obj
    original = obj.execute_sql
    seen = []

    def counting(sql, params=None, *args, **kwargs):
        seen.append((sql, params))
        return original(sql, params, *args, **kwargs)

    lines = ["| page | space | statements | median ms |", "|---|---|---|---|"]
    plans = []
    for name, (ref, email, conversation) in refs.items():
        client = app.test_client()
        response = client.post("/connexion", data={"email": email, "password": PASSWORD})
        assert response.status_code == 303, response.status_code
        far_docs, far_log = _far_cursors(app, ref)
        for page, url in _pages(ref, conversation, far_docs, far_log):
            times = []
            for _ in range(RUNS):
                seen.clear()
                obj.execute_sql = counting
                start = time.perf_counter()
                with client.get(url) as answer:
                    status = answer.status_code
                times.append((time.perf_counter() - start) * 1000)
                del obj.execute_sql
                assert status == 200, (url, status)
            statements = list(seen)
            lines.append(f"| {page} | {name} | {len(statements)} | "
                         f"{statistics.median(times):.1f} |")
            print(lines[-1], flush=True)
            if explain and name == "large":
                plans += _explain(app, page, statements)
    return lines, plans


SCAN = re.compile(r'((?:Parallel )?(?:Seq|Index Only|Index|Bitmap Heap|Bitmap Index) Scan'
                  r'(?: Backward)?(?: using \w+)? on "?\w+"?)')


def _explain(app, page, statements):
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT a page ran: its scans and time."""
    from webapp.db import database

    out = []
    with app.app_context(), database.connection_context():
        for sql, params in statements:
            if not sql.lstrip().lstrip("(").upper().startswith("SELECT"):
                continue
            rows = database.execute_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
            plan = "\n".join(r[0] for r in rows)
            scans = sorted(set(SCAN.findall(plan)))
            took = re.search(r"Execution Time: ([\d.]+) ms", plan)
            table = re.search(r'FROM "(\w+)"', sql)
            out.append(f"| {page} | {table.group(1) if table else '?'} | "
                       f"{'; '.join(scans)} | {took.group(1) if took else '?'} |")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--measure-only", action="store_true",
                        help="measure the data a previous run left (refs from refs.json)")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--report")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a throwaway PostgreSQL database")
    tmp = Path(tempfile.mkdtemp(prefix="national-"))
    app = _app(tmp)
    saved = Path(tempfile.gettempdir()) / "national-refs.json"  # for --measure-only
    if args.measure_only:
        refs = {k: tuple(v) for k, v in json.loads(saved.read_text()).items()}
    else:
        refs = generate(app, args.scale)
        saved.write_text(json.dumps(refs))
    lines, plans = measure(app, refs, not args.no_explain)
    report = "\n".join(lines)
    if plans:
        report += "\n\n| page | table | scans | execution ms |\n|---|---|---|---|\n"
        report += "\n".join(plans)
        print("\n".join(plans))
    if args.report:
        Path(args.report).write_text(report + "\n")


if __name__ == "__main__":
    main()
