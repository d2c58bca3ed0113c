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
import datetime as dt
import hashlib
import hmac
import io
import json
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp import logkeys  # noqa: E402 (after the path: run as a script too)

PASSWORD = "national-Espace-2026"
PER_SPACE = dict(documents=20, log=50)
SMALL = dict(documents=10, log=50)
LARGE = dict(documents=10_000, log=100_000)
RUNS = 5


def _app(tmp):
    from webapp import create_app

    os.environ["WEBAPP_INSTANCE_PATH"] = str(tmp / "instance")
    return create_app({"SECRET_KEY": "national", "AUDIT_KEY": "national-audit-key",
                       "DATABASE_URL": os.environ["DATABASE_URL"], "WTF_CSRF_ENABLED": False,
                       "STORAGE_PATH": str(tmp / "storage"), "ARGON2_PROFILE": "cheapest",
                       "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                       "SESSION_COOKIE_NAME": "session", "MAIL_TRANSPORT": "memory"})


def _columns(model, given):
    """(column names, SQL expressions, params) for INSERT … SELECT: given SQL for some,
    the model's Python default as a constant for the others."""
    names, exprs, params = [], [], []
    for field in model._meta.sorted_fields:
        if field.name == "id":
            continue
        names.append(f'"{field.column_name}"')
        if field.name in given:
            exprs.append(given[field.name])
        elif field.default is not None:
            value = field.default() if callable(field.default) else field.default
            exprs.append("%s")
            params.append(field.db_value(value))
        elif field.null:
            exprs.append("NULL")
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
    return ", ".join(names), ", ".join(exprs), params


def _fill(db, model, count, given, series="g"):
    """INSERT count rows of model from generate_series(1, count) AS g."""
    names, exprs, params = _columns(model, given)
    db.execute_sql(f'INSERT INTO "{model._meta.table_name}" ({names}) SELECT {exprs} '
                   f"FROM generate_series(1, {int(count)}) AS {series}", params)


def _payload(seq, created_at, space_id, owner_id, previous):
    """AccessLog.payload() of a generated entry, written out (a model per entry would
    be most of the generator's time at 50 million entries); checked against the model."""
    return (f'[{seq}, "{created_at}", {space_id}, {owner_id}, "Camille National", '
            f'"owner", "", "documents.read", "", true, false, "", "", "{previous}", 2, '
            f'"document", {seq}, ""]')


def _entry(seq, created_at, space_id, owner_id, previous):
    from webapp.models.audit import AccessLog

    return AccessLog(space=space_id, actor=owner_id, actor_name="Camille National",
                     capacity="owner", office_name="", action="documents.read", target="",
                     target_kind="document", target_id=seq, detail="", allowed=True,
                     emergency=False, mandate_ref="", app_name="", created_at=created_at,
                     sequence=seq, prev_hash=previous, format=2)


def _log_chunk(job):
    """The COPY text of the chained logs of some spaces, and their heads (sequence, last
    MAC, seal), signed as webapp.logkeys signs with the key (ident, secret). Runs in a
    worker process: one per core."""
    spaces, count, start_time, (ident, secret) = job

    def sign(message):
        digest = hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()
        return f"{ident}{logkeys.SEPARATOR}{digest}" if ident else digest

    stamps = [(start_time + dt.timedelta(seconds=seq)) for seq in range(1, count + 1)]
    iso = [t.isoformat(timespec="microseconds") for t in stamps]
    lines, heads = [], []
    for space_id, owner_id in spaces:
        previous = ""
        for seq in range(1, count + 1):
            payload = _payload(seq, iso[seq - 1], space_id, owner_id, previous)
            if seq == 1 and space_id == spaces[0][0]:
                assert payload == _entry(seq, stamps[0], space_id, owner_id, "").payload()
            mac = sign(payload)
            lines.append(f"{iso[seq - 1]}\t{space_id}\t{owner_id}\tCamille National\towner\t"
                         f"\tdocuments.read\t\tdocument\t{seq}\t\tt\tf\t\t\t{seq}\t2\t"
                         f"{previous}\t{mac}")
            previous = mac
        heads.append(f"{space_id}\t{count}\t{previous}\t"
                     f"{sign(f'head:{space_id}:{count}:{previous}')}")
    return "\n".join(lines) + "\n", heads


LOG_COLUMNS = ("created_at, space_id, actor_id, actor_name, capacity, office_name, action, "
               "target, target_kind, target_id, detail, allowed, emergency, mandate_ref, "
               "app_name, sequence, format, prev_hash, entry_hash")


def _copy_log(db, spaces, per_space, start_time, per_job=2000):
    """COPY the chained log of each (space id, owner id), per_space entries each: the
    MACs are computed by one worker process per core while PostgreSQL takes the
    previous chunks."""
    key = logkeys.keyring()[0]
    cursor = db.connection().cursor()
    jobs = [(spaces[i:i + per_job], per_space, start_time, key)
            for i in range(0, len(spaces), per_job)]
    heads, rows = [], 0
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        for text, chunk_heads in pool.imap(_log_chunk, jobs):
            cursor.copy_expert(f"COPY access_log ({LOG_COLUMNS}) FROM STDIN",
                               io.StringIO(text))
            heads += chunk_heads
            rows += len(chunk_heads) * per_space
    cursor.copy_expert("COPY log_head (space_id, sequence, last_hash, seal) FROM STDIN",
                       io.StringIO("\n".join(heads) + "\n"))
    return rows


def generate(app, scale):
    """Drop every table, recreate them, fill them; return the two measured spaces' refs."""
    from webapp.db import database, utcnow
    from webapp.migrations import all_models, create_schema
    from webapp.models.accounts import User
    from webapp.models.documents import Document
    from webapp.models.messages import Conversation, Message
    from webapp.models.spaces import Space
    from webapp.security import hash_password

    spaces = max(1, int(1_000_000 * scale))
    started, timings = time.perf_counter(), {}
    with app.app_context(), database.connection_context():
        database.drop_tables(all_models(), safe=True, cascade=True)
        create_schema()
        password = hash_password(PASSWORD).replace("'", "''")
        with database.atomic():
            _fill(database, User, spaces + 2, {
                "email": "'n' || g || '@example.org'", "password_hash": f"'{password}'",
                "role": "'citizen'", "first_name": "'Camille'",
                "last_name": "'National' || g", "email_verified_at": "now()"})
            first_user = User.select(User.id).order_by(User.id).first().id
            _fill(database, Space, spaces + 2, {
                "ref": "substr(md5(g::text), 1, 12)", "first_name": "'Camille'",
                "last_name": "'National' || g", "birth_date": "date '1950-01-01' + mod(g, 25000)",
                "nir": "'2' || lpad(g::text, 14, '0')", "state": "'active'",
                "owner": f"{first_user - 1} + g"})
            timings["users and spaces"] = time.perf_counter() - started
            first_space = Space.select(Space.id).order_by(Space.id).first().id
            small_id, large_id = first_space + spaces, first_space + spaces + 1
            doc = {"title": "'Compte rendu ' || g", "title_folded": "'compte rendu ' || g",
                   "category": "(ARRAY['CPT_REND','BIOLOGIE','IMAGERIE','ORDO'])[1 + mod(g, 4)]",
                   "document_date": "date '2026-01-01' - mod(g, 3000)",
                   "author_kind": "'professional'", "author_name": "'Dr Paul NATIONAL'",
                   "sha256": "repeat('0', 64)", "size": "1000", "mime": "'application/pdf'",
                   "source": "'seed'",  # most documents were opened once; 1 in 20 is new
                   "first_opened_at": "CASE WHEN mod(g, 20) = 0 THEN NULL ELSE now() END"}
            _fill(database, Document, spaces * PER_SPACE["documents"],
                  dict(doc, space=f"{first_space} + mod(g, {spaces})"))
            _fill(database, Document, SMALL["documents"], dict(doc, space=str(small_id)))
            _fill(database, Document, LARGE["documents"], dict(doc, space=str(large_id)))
            timings["documents"] = time.perf_counter() - started
            doctor = User.create(email="dr.national@example.org", password_hash=User.get_by_id(
                first_user).password_hash, role="professional", first_name="Paul",
                last_name="National", rpps="10000000001", profession="medecin")
            _fill(database, Conversation, spaces, {  # one conversation a space, 2 messages
                "space": f"{first_space} - 1 + g", "professional": str(doctor.id),
                "subject": "'Vos résultats'"})
            first_conversation = Conversation.select(Conversation.id).order_by(
                Conversation.id).first().id
            _fill(database, Message, 2 * spaces, {
                "conversation": f"{first_conversation} + mod(g, {spaces})",
                "author": str(doctor.id), "author_capacity": "'professional'",
                "body": "'Bonjour'", "read_at": "CASE WHEN mod(g, 3) = 0 THEN NULL ELSE now() END"})
            timings["conversations"] = time.perf_counter() - started
        start_time = utcnow() - dt.timedelta(days=400)
        owners = {s.id: s.owner_id for s in Space.select(Space.id, Space.owner)}
        rows = 0
        with database.atomic():
            rows += _copy_log(database, [(i, owners[i]) for i in range(
                first_space, first_space + spaces)], PER_SPACE["log"], start_time)
            rows += _copy_log(database, [(small_id, owners[small_id])], SMALL["log"],
                              start_time)
            rows += _copy_log(database, [(large_id, owners[large_id])], LARGE["log"],
                              start_time)
        timings["access log"] = time.perf_counter() - started
        refs = {}
        for name, space_id in (("small", small_id), ("large", large_id)):
            space = Space.get_by_id(space_id)
            conversation = Conversation.create(space=space, professional=doctor,
                                               subject="Vos résultats", last_message_at=utcnow())
            Message.insert_many([dict(conversation=conversation, author=doctor,
                                      author_capacity="professional", body=f"Message {i}",
                                      read_at=utcnow()) for i in range(20)]).execute()
            refs[name] = (space.ref, space.owner.email, conversation.id)
        database.execute_sql("ANALYZE")
        timings["analyze"] = time.perf_counter() - started
    print(f"generated {spaces + 2} spaces, {spaces * PER_SPACE['documents'] + 10_010} "
          f"documents, {rows} log entries in {time.perf_counter() - started:.0f} s "
          f"({', '.join(f'{k} at {v:.0f} s' for k, v in timings.items())})")
    return refs


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
