"""The data of benchmarks.national, made on PostgreSQL: users, spaces, documents and
conversations by INSERT … SELECT FROM generate_series; the access log written through
COPY, each entry's MAC (HMAC-SHA256 with the log key, as webapp.audit writes it)
chained to the previous one and computed by one worker process per core."""

import datetime as dt
import hashlib
import hmac
import io
import multiprocessing
import os
import time

from webapp.audit import keys as logkeys

PASSWORD = "national-Espace-2026"
PER_SPACE = dict(documents=20, log=50)
SMALL = dict(documents=10, log=50)
LARGE = dict(documents=10_000, log=100_000)


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
    MAC, seal), signed as webapp.audit.keys signs with the key (ident, secret). Runs in a
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
