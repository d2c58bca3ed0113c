"""Page weight and server-time budgets, measured (not a timed test).

    python benchmarks/pages.py [--sizes 0,1000,5000] [--repeat 15] [--json out.json]

For each demo user, every page without URL parameters that answers 200 is fetched:
- bytes on the wire (gzip, as browsers ask) for the full page and, where the page has
  one, its htmx fragment;
- the first visit's total: page + stylesheet + scripts;
- the median server time per request (in-process WSGI, no network) as Camille's space
  grows: N documents and N access-log entries, for each N of --sizes.
Budgets are checked at the end; the exit status is 1 when one is exceeded.
"""

import argparse
import datetime as dt
import gzip
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_PAGE_GZIP = 20 * 1024       # one HTML page, compressed
BUDGET_FRAGMENT_GZIP = 10 * 1024   # one htmx fragment, compressed
BUDGET_FIRST_VISIT = 100 * 1024    # page + CSS + JS, compressed
BUDGET_MEDIAN_MS = 150             # median server time at the largest data size
USERS = ["camille.martin@example.org", "dr.bernard@example.org", "admin@example.org"]


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
        seed.run()
    return app


def sign_in(app, email):
    """A test client signed in through the sign-in form."""
    client = app.test_client()
    response = client.post("/connexion", data={"email": email, "password": "demo-Espace-2026"})
    assert response.status_code == 303, response.status_code
    return client


def pages_for(app, client):
    """Parameterless GET pages that answer 200 for this client."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint == "static":
            continue
        with client.get(rule.rule) as response:
            if response.status_code == 200 and response.mimetype == "text/html":
                urls.append(rule.rule)
    return sorted(urls)


def wire_size(client, url, fragment=False):
    """Compressed bytes of a response, as a browser asking for gzip receives them."""
    headers = {"Accept-Encoding": "gzip"}
    if fragment:
        headers["HX-Request"] = "true"
    with client.get(url, headers=headers) as response:
        body = response.get_data()
        raw = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" \
            else body
        if response.headers.get("Content-Encoding") != "gzip":
            body = gzip.compress(body)
    return len(body), len(raw)


def static_total(client, url):
    """Compressed bytes of the stylesheet and scripts of a page."""
    import re

    html = client.get(url).get_data(as_text=True)
    total = 0
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)[^"]*)"', html):
        with client.get(asset, headers={"Accept-Encoding": "gzip"}) as response:
            body = response.get_data()
            if response.headers.get("Content-Encoding") != "gzip":
                body = gzip.compress(body)
            total += len(body)
    return total


def grow(app, n):
    """Give Camille's space n documents and n access-log entries (cumulative)."""
    from webapp.db import database
    from webapp.models.accounts import User
    from webapp.models.audit import AccessLog
    from webapp.models.spaces import Space

    with app.app_context(), database.connection_context():
        camille = User.by_email("camille.martin@example.org")
        space = Space.get(Space.owner == camille)
        have = AccessLog.select().where(AccessLog.space == space).count()
        for i in range(max(0, n - have)):
            AccessLog.append(space=space, actor=camille, actor_name=camille.display_name,
                             capacity="owner", office_name="", action="documents.read",
                             target=f"bench:{i}", allowed=True, emergency=False, mandate_ref="")
        try:
            from webapp import storage
            from webapp.models.documents import Document, add_document
        except ImportError:
            return
        have = Document.select().where(Document.space == space).count()
        if have >= n:
            return
        digest, size, mime = storage.store(io.BytesIO(b"%PDF-1.4\n% bench\n"))
        with database.atomic():
            for i in range(n - have):
                add_document(space, title=f"Compte rendu {i}", category="CPT_REND",
                             document_date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000),
                             sha256=digest, size=size, mime=mime, filename="cr.pdf",
                             author_kind="citizen", author_name=camille.display_name)


def median_ms(client, url, repeat):
    """Median server time of a GET, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with client.get(url) as response:
            response.get_data()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,5000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json")
    parser.add_argument("--only", default="", help="measure times only for pages containing this")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    over, report = [], {"weights": [], "times": []}
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        print(f"{'user':28} {'page':34} {'gzip B':>7} {'html B':>7} {'fragment gzip B':>15}")
        for email in USERS:
            client = sign_in(app, email)
            for url in pages_for(app, client):
                gz, raw = wire_size(client, url)
                fgz, fraw = wire_size(client, url, fragment=True)
                fragment = fgz if fraw < raw else None
                report["weights"].append(dict(user=email, page=url, gzip=gz, html=raw,
                                              fragment_gzip=fragment))
                print(f"{email:28} {url:34} {gz:7} {raw:7} {fragment or '-':>15}")
                if gz > BUDGET_PAGE_GZIP:
                    over.append(f"{url} as {email}: {gz} B > {BUDGET_PAGE_GZIP} B")
                if fragment and fragment > BUDGET_FRAGMENT_GZIP:
                    over.append(f"fragment {url}: {fragment} B > {BUDGET_FRAGMENT_GZIP} B")
        client = sign_in(app, USERS[0])
        first = wire_size(client, "/")[0] + static_total(client, "/")
        report["first_visit_gzip"] = first
        print(f"\nfirst visit of the home page (HTML + CSS + JS, gzip): {first} B")
        if first > BUDGET_FIRST_VISIT:
            over.append(f"first visit {first} B > {BUDGET_FIRST_VISIT} B")
        urls = [u for u in pages_for(app, client) if args.only in u]
        print(f"\nmedian server time (ms) over {args.repeat} requests, Camille's space growing")
        print(f"{'page':34} " + " ".join(f"{'N=' + str(n):>9}" for n in sizes))
        table = {url: [] for url in urls}
        for n in sizes:
            grow(app, n)
            client = sign_in(app, USERS[0])
            for url in urls:
                table[url].append(median_ms(client, url, args.repeat))
        for url, values in table.items():
            print(f"{url:34} " + " ".join(f"{v:9.1f}" for v in values))
            report["times"].append(dict(page=url, sizes=sizes, median_ms=values))
            if values[-1] > BUDGET_MEDIAN_MS:
                over.append(f"{url}: {values[-1]:.0f} ms at N={sizes[-1]} > {BUDGET_MEDIAN_MS}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    print("\nbudgets: " + ("all met" if not over else "EXCEEDED"))
    for line in over:
        print("  " + line)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
