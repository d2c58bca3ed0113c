"""A short run of the load benchmark (benchmarks/load): the app served over HTTP by a real
WSGI server (waitress, 8 threads: one process, quicker to start and stop in CI than the
README's gunicorn), 10 distinct citizens through the locust mix for 30 seconds, not one
failed request. It runs on SQLite only: it checks that the mix works end to end under
concurrency, not how fast PostgreSQL is (benchmarks/servers.py measures that)."""

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES

ROOT = Path(__file__).resolve().parent.parent
LOCUST = Path(sys.executable).parent / "locust"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_served(url, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer")


@pytest.mark.load
@pytest.mark.skipif(ON_POSTGRES, reason="the smoke runs once, on SQLite")
@pytest.mark.skipif(not LOCUST.exists(), reason="locust is a test extra")
def test_ten_citizens_for_thirty_seconds_get_no_error(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'load.sqlite3'}",
               WEBAPP_INSTANCE_PATH=str(tmp_path / "instance"),
               WEBAPP_STORAGE_PATH=str(tmp_path / "storage"), WEBAPP_SECURE_COOKIES="0",
               WEBAPP_RATELIMIT="0", WEBAPP_ARGON2_PROFILE="cheapest",
               WEBAPP_MAIL_TRANSPORT="console", LOAD_USERS=str(tmp_path / "users.json"))
    subprocess.run([sys.executable, "-m", "benchmarks.load.population", "--citizens", "10",
                    "--documents", "5", "--out", env["LOAD_USERS"]],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}",
                               "--threads=8", "--call", "webapp:create_app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        _wait_until_served(url, server)
        run = subprocess.run(
            [str(LOCUST), "-f", "benchmarks/load/locustfile.py", "--headless", "-u", "10",
             "-r", "10", "-t", "30s", "--host", url, "--csv", str(tmp_path / "smoke"),
             "--only-summary", "--exit-code-on-error", "1"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=10)
    with open(tmp_path / "smoke_stats.csv", newline="") as f:
        total = next(row for row in csv.DictReader(f) if row["Name"] == "Aggregated")
    assert int(total["Request Count"]) > 100, total
    assert int(total["Failure Count"]) == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.returncode == 0, run.stderr[-3000:]
