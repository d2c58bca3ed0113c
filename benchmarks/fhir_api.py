"""Latency of the FHIR API over real HTTP: DocumentReference search and create with 10
and 10 000 documents in the patient's space, as a professional's software calls it.

    .venv/bin/python -m benchmarks.fhir_api [--runs 30]     # temporary SQLite database
    DATABASE_URL=postgresql://... .venv/bin/python -m benchmarks.fhir_api

The app is served by waitress (the production server) on a loopback port; the client
is the standard library's HTTP client with a bearer token from the authorisation
server's `issue_access_token`. Run it from the project's root. On PostgreSQL, point it at
a throwaway database: it drops and recreates every table. The machine's load average
is printed with the numbers: on a shared machine they move with it.
"""

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

from waitress import create_server

from benchmarks.documents import _fill
from tests.helpers import PDF, make_space, make_user
from webapp import create_app
from webapp.db import database
from webapp.migrations import all_models, create_schema
from webapp.models.smart import SmartClient
from webapp.models.spaces import CareRelation
from webapp.smart.resource import issue_access_token

SIZES = (10, 10000)
SCOPES = "user/Patient.rs user/DocumentReference.crs"


def _app(url, tmp):
    os.environ["WEBAPP_INSTANCE_PATH"] = tmp
    return create_app({"TESTING": False, "SECRET_KEY": "bench", "AUDIT_KEY": "bench",
                       "DATABASE_URL": url, "STORAGE_PATH": f"{tmp}/storage",
                       "ARGON2_PROFILE": "cheapest", "RATELIMIT_ENABLED": False,
                       "FHIR_RATE_LIMIT": "1000000 per minute", "MAIL_TRANSPORT": "memory"})


def _call(port, method, path, headers, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    assert response.status in (200, 201), (method, path, response.status, data[:300])
    return elapsed, data


def _document(ref, n):
    content = PDF.replace(b"%%EOF", f"% {n}\n%%EOF".encode())  # a file of its own each time
    return json.dumps({
        "resourceType": "DocumentReference", "status": "current",
        "subject": {"reference": f"Patient/{ref}"}, "description": f"Compte rendu {n}",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},
        "content": [{"attachment": {"contentType": "application/pdf", "title": "cr.pdf",
                                    "data": base64.b64encode(content).decode()}}],
        "context": {"period": {"start": "2026-03-02"}}}).encode()


def _summary(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def main():
    """Print, per size, median and 95th percentile of each request over --runs calls."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    tmp = tempfile.mkdtemp(prefix="bench-fhir-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = _app(url, tmp)
    with app.app_context():
        database.connect(reuse_if_open=True)
        if not url.startswith("sqlite"):
            database.drop_tables(all_models(), safe=True, cascade=True)
        create_schema()
        space = make_space(make_user(first_name="Camille", last_name="Bench"))
        doctor = make_user("professional", first_name="Paul", last_name="Bench")
        CareRelation.create(professional=doctor, space=space)
        software = SmartClient.create(client_id="bench-software", kind="software",
                                      software_name="Logiciel Bench")
        token = issue_access_token(software, doctor, None, SCOPES.split(), 3600)
        database.close()
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()  # ends with the process
    port = server.effective_port
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
    posting = {**headers, "Content-Type": "application/fhir+json"}
    search = f"/fhir/DocumentReference?patient={space.ref}&_count=20"
    by_category = f"/fhir/DocumentReference?patient={space.ref}&category=BIOLOGIE&_count=20"
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs), {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
          f"{'SQLite' if url.startswith('sqlite') else 'PostgreSQL'}, {runs} calls each")
    print(f"{'documents':>9}  {'request':<44} {'median ms':>9} {'p95 ms':>7}")
    filled, created = 0, 0
    for size in SIZES:
        with app.app_context():
            database.connect(reuse_if_open=True)
            _fill(space, size - created, filled)
            filled = size - created
            database.close()
        _call(port, "GET", search, headers)  # warm
        for label, path in (("search (20 a page)", search),
                            ("search by category", by_category)):
            median, p95 = _summary([_call(port, "GET", path, headers)[0] for _ in range(runs)])
            print(f"{size:>9}  {label:<44} {median:>9.1f} {p95:>7.1f}")
        times = []
        for _ in range(runs):
            created += 1
            times.append(_call(port, "POST", "/fhir/DocumentReference", posting,
                               _document(space.ref, created))[0])
        median, p95 = _summary(times)
        print(f"{size:>9}  {'create (a PDF inline, logged, notified)':<44} {median:>9.1f} "
              f"{p95:>7.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
