"""A real OpenID provider for the national sign-in tests: tests/oidc/provider.mjs (npm
oidc-provider) served by Node.js on a free port, once per test session.

`oidc_provider` gives its addresses, the app's settings for it, and a way to sign in at
its pages as a person would (following its forms with `requests`), to get real tokens for
another client, and to make its next token response carry another ID token (what a man
in the middle would try)."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
PASSWORD = "test-Connexion-2026"  # every test person's password at the provider
FC_SCOPES = "openid given_name family_name birthdate gender birthplace birthcountry"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OidcProvider:
    """The running provider: FranceConnect-like at /fc, Pro Santé Connect-like at /psc."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.fc_issuer = self.base + "/fc"
        self.psc_issuer = self.base + "/psc"

    def settings(self):
        """The app's settings (config keys, also the environment variables' names)."""
        return {
            "FRANCECONNECT_ISSUER": self.fc_issuer,
            "FRANCECONNECT_CLIENT_ID": "msante-fc",
            "FRANCECONNECT_CLIENT_SECRET": "msante-fc-secret",
            "PRO_SANTE_CONNECT_ISSUER": self.psc_issuer,
            "PRO_SANTE_CONNECT_CLIENT_ID": "msante-psc",
            "PRO_SANTE_CONNECT_CLIENT_SECRET": "msante-psc-secret",
        }

    def sign_in_at(self, url, login, password=PASSWORD, cancel=False):
        """Open the provider's authorization address, sign in and consent (or cancel) on
        its pages; return the address it sends the browser back to."""
        browser = requests.Session()
        response = browser.get(url, allow_redirects=False, timeout=10)
        for _ in range(12):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if not location.startswith(self.base):
                    return location
                response = browser.get(location, allow_redirects=False, timeout=10)
                continue
            assert response.status_code == 200, response.text[:500]
            if cancel:
                abort = re.search(r'<a href="([^"]+/abort)"', response.text).group(1)
                response = browser.get(urljoin(response.url, abort), allow_redirects=False,
                                       timeout=10)
                continue
            action = re.search(r'<form method="post" action="([^"]+)"', response.text)
            assert action, response.text[:500]
            target = urljoin(response.url, action.group(1))
            data = {"login": login, "password": password} if target.endswith("/login") else {}
            response = browser.post(target, data=data, allow_redirects=False, timeout=10)
        raise AssertionError("the provider never sent the browser back")

    def sign_out_at(self, url):
        """Confirm the sign-out on the provider's end-session page; return where it sends
        the browser back (or None when it shows its own page instead)."""
        browser = requests.Session()
        page = browser.get(url, timeout=10)
        assert page.status_code == 200, page.text[:500]
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text).group(1)
        done = browser.post(urljoin(page.url, action), data={"xsrf": xsrf, "logout": "yes"},
                            allow_redirects=False, timeout=10)
        return done.headers.get("Location") if done.is_redirect else None

    def tokens(self, login, nonce, client_id="msante-fc",
               redirect_uri="http://localhost/connexion/franceconnect/retour"):
        """Real tokens of a whole sign-in of this person at the FranceConnect-like issuer,
        for this client (as another service, or another sign-in, would get them)."""
        client = OAuth2Session(client_id, f"{client_id}-secret", scope=FC_SCOPES,
                               redirect_uri=redirect_uri, code_challenge_method="S256")
        verifier = generate_token(64)
        url, _state = client.create_authorization_url(self.fc_issuer + "/auth",
                                                      code_verifier=verifier, nonce=nonce)
        back = self.sign_in_at(url, login)
        code = parse_qs(urlsplit(back).query)["code"][0]
        return client.fetch_token(self.fc_issuer + "/token", code=code, code_verifier=verifier)

    def substitute_next_id_token(self, id_token, issuer=None):
        """The provider's next token response will carry this ID token instead of its own."""
        response = requests.post((issuer or self.fc_issuer) + "/__test/next-id-token",
                                 json={"id_token": id_token}, timeout=10)
        response.raise_for_status()


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider, started once per test session (per worker), killed at the end."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("Node.js and `npm ci` (oidc-provider) are needed for these tests")
    port = _free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([node, str(SCRIPT), str(port)], cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT, env={**os.environ,
                                                              "NODE_NO_WARNINGS": "1"})
    provider = OidcProvider(port)
    try:
        for _ in range(150):
            try:
                if requests.get(provider.fc_issuer + "/.well-known/openid-configuration",
                                timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None:
                log.seek(0)
                pytest.fail("the OpenID provider did not start: " + log.read().decode())
            time.sleep(0.1)
        else:
            pytest.fail("the OpenID provider did not answer in 15 seconds")
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
