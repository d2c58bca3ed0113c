"""Browser tests: the real app served by waitress in a subprocess over a seeded database,
driven in Debian's Chromium by Playwright, with axe-core from the npm registry.

Fixtures: live_server (base URL), app_context (the same database, for URLs with ids),
browser, page (JavaScript on), page_nojs (JavaScript off), and the helpers sign_in(page,
email) and axe(page).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.oidc_provider import oidc_provider  # noqa: F401 (a fixture of the served app)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo-Espace-2026"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _browser_database_url(tmp):
    """A database of its own: the unit tests empty theirs between tests."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.sqlite3'}"
    import psycopg2
    from psycopg2 import sql

    base, name = url.rsplit("/", 1)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    browser_name = f"{name.split('?')[0]}_browser_{worker}"
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(browser_name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(browser_name)))
    conn.close()
    return f"{base}/{browser_name}"


@pytest.fixture(scope="session")
def server_env(tmp_path_factory, oidc_provider):  # noqa: F811
    """Environment of the served app: its own instance folder and database, and the test
    OpenID provider for FranceConnect and Pro Santé Connect (tests/oidc_provider.py)."""
    tmp = tmp_path_factory.mktemp("live")
    env = dict(os.environ)
    env.update(oidc_provider.settings())
    env.update({
        "WEBAPP_INSTANCE_PATH": str(tmp / "instance"),
        "DATABASE_URL": _browser_database_url(tmp),
        "WEBAPP_SECURE_COOKIES": "0",
        "WEBAPP_RATELIMIT": "0",
        "WEBAPP_ARGON2_PROFILE": "cheapest",
        "WEBAPP_MAIL_TRANSPORT": "memory",
        "SECRET_KEY": "browser-tests",
    })
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    for command in (["init-db"], ["seed-demo"]):
        subprocess.run(flask + command, env=env, cwd=ROOT, check=True, capture_output=True)
    _served_database["url"] = env["DATABASE_URL"]
    return env


@pytest.fixture(scope="session")
def live_server(server_env):
    """Base URL of the app served by waitress (the production server) on 127.0.0.1."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "waitress", "--listen", f"127.0.0.1:{port}", "--threads", "4",
         "--call", "webapp:create_app"], env=server_env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a loaded machine can take well over 10 seconds
    while True:
        try:
            urllib.request.urlopen(base + "/aide", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            if time.monotonic() > deadline:
                process.terminate()
                raise RuntimeError("the served app did not answer in 60 seconds") from None
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


@pytest.fixture(scope="session")
def app_context(server_env):
    """An app context on the served database, to look up ids of the demo data."""
    from webapp import create_app
    from webapp.db import database, open_database

    old = {k: os.environ.get(k) for k in ("WEBAPP_INSTANCE_PATH",)}
    os.environ["WEBAPP_INSTANCE_PATH"] = server_env["WEBAPP_INSTANCE_PATH"]
    app = create_app({"DATABASE_URL": server_env["DATABASE_URL"], "SECRET_KEY": "x"})
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value

    class Context:
        def __enter__(self):
            database.initialize(open_database(server_env["DATABASE_URL"]))
            self.ctx = app.app_context()
            self.ctx.push()
            database.connect(reuse_if_open=True)
            return app

        def __exit__(self, *exc):
            database.close()
            self.ctx.pop()

    return Context()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _context(browser, live_server, **options):
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("bypass_csp", True)  # axe-core is injected as an inline script
    context = browser.new_context(base_url=live_server, locale="fr-FR", **options)
    context.set_default_timeout(10000)
    return context


@pytest.fixture
def page(browser, live_server):
    """A page with JavaScript on, in a fresh context (no cookies)."""
    context = _context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_nojs(browser, live_server):
    """A page with JavaScript off: everything must still work."""
    context = _context(browser, live_server, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages with options (viewport, java_script_enabled, locale)."""
    contexts = []

    def make(**options):
        context = _context(browser, live_server, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


_signed_in_cookies = {}
_served_database = {}


def fresh_totp(email):
    """A TOTP code of the current step for a demo mediator. Each code works once: rather
    than wait for the next 30-second step, the test forgets in the served database which
    step this demo account used last (test set-up, never done by the app)."""
    from webapp.db import open_database
    from webapp.security import current_totp_step, totp_at

    db = open_database(_served_database["url"])
    db.execute_sql(f'UPDATE "user" SET totp_last_step = 0 WHERE email = {db.param}', (email,))
    db.close()
    return totp_at(DEMO_TOTP[email], current_totp_step())


def sign_in(page, email, password=PASSWORD, reuse=True):
    """Sign in through the real form; mediators also type their TOTP code.

    With reuse (the default), a session opened earlier in the test run for the same
    person is reused when it is still live, so mediators don't wait for a new TOTP
    step at every test; a journey that signs out simply gets a new session next time.
    """
    if reuse and email in _signed_in_cookies:
        page.context.add_cookies(_signed_in_cookies[email])
        page.goto("/")
        if page.url.endswith("/connexion/verification") or "/connexion/verification?" in page.url:
            page.fill("#code", fresh_totp(email))
            with page.expect_navigation():
                page.click("main button[type=submit]")
        if "/connexion" not in page.url:
            return
        page.context.clear_cookies()
    page.goto("/connexion")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():  # the password form's button, not FranceConnect's
        page.click("form[action='/connexion'] button[type=submit]")
    if page.url.endswith("/connexion/code"):
        page.fill("#code", fresh_totp(email))
        with page.expect_navigation():
            page.click("main button[type=submit]")
    assert "/connexion" not in page.url, f"sign-in failed for {email}: {page.url}"
    if password == PASSWORD:
        _signed_in_cookies[email] = page.context.cookies()


DEMO_TOTP = {"amina.diallo@example.org": "JBSWY3DPEHPK3PXP",
             "sophie.robert@example.org": "JBSWY3DPEHPK3PXP"}


def axe(page):
    """Run axe-core on the page for WCAG 2.2 A and AA; return the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' +"
        " n.failureSummary)}))", WCAG_TAGS)


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the viewport (0 is right)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def set_language(page, code):
    """Use the language switcher of the page until <html lang> is the wanted one."""
    if page.evaluate("document.documentElement.lang") == code:
        return
    with page.expect_navigation():
        page.click(f".lang-switch button[value={code}]")
    assert page.evaluate("document.documentElement.lang") == code
