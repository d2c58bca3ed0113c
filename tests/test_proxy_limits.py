"""Rate limits behind the reverse proxy the README recommends: the client's address comes
from the trusted hops' X-Forwarded-For, so that 30 failed sign-ins from one address block
that address (and the account tried), never other people from other addresses."""

import pytest

from tests.helpers import PASSWORD, PageClient, make_user
from webapp import create_app
from webapp.migrations import create_schema


@pytest.fixture
def proxied(tmp_path, monkeypatch):
    monkeypatch.setenv("WEBAPP_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "AUDIT_KEY": "k",
                      "SESSION_COOKIE_SECURE": False, "SESSION_COOKIE_NAME": "session",
                      "WTF_CSRF_SSL_STRICT": False, "ARGON2_PROFILE": "cheapest",
                      "RATELIMIT_ENABLED": False, "PROXY_HOPS": 1,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
                      "STORAGE_PATH": str(tmp_path / "s"), "MAIL_TRANSPORT": "memory"})
    app.test_client_class = PageClient
    with app.app_context():
        create_schema()
        yield app


def _sign_in(app, email, password, address):
    client = app.test_client()
    return client.submit("/connexion", {"email": email, "password": password},
                         headers={"X-Forwarded-For": address})


@pytest.mark.fresh_app
def test_thirty_failures_from_one_address_block_nobody_else(proxied):
    victims = [make_user() for _ in range(2)]
    for i in range(30):
        _sign_in(proxied, f"someone{i}@example.org", "wrong", "203.0.113.7")
    blocked = _sign_in(proxied, victims[0].email, PASSWORD, "203.0.113.7")
    assert blocked.status_code == 429  # the attacker's address is blocked...
    other = _sign_in(proxied, victims[1].email, PASSWORD, "198.51.100.20")
    assert other.status_code == 303  # ...another person from another address is not


@pytest.mark.fresh_app
def test_failures_on_one_account_block_that_account_from_every_address(proxied):
    victim = make_user()
    for i in range(5):
        _sign_in(proxied, victim.email, "wrong", f"192.0.2.{i + 1}")
    assert _sign_in(proxied, victim.email, PASSWORD, "192.0.2.99").status_code == 429
