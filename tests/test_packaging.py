"""The built package is complete: a wheel installed outside the checkout serves pages in
English (its compiled catalogues are inside), with its templates and static files."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys, webapp
from webapp import create_app
from webapp.db import database
from webapp.migrations import create_schema
assert webapp.__file__.startswith(sys.argv[1]), webapp.__file__
app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[2]})
with app.app_context(), database.connection_context():
    create_schema()
client = app.test_client()
page = client.get("/connexion", headers={"Accept-Language": "en"}).get_data(as_text=True)
script = client.get("/static/js/app.js")
print(page)
print("STATIC", script.status_code)
"""


def test_the_built_wheel_serves_english_pages_from_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("webapp-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site), str(wheel)], check=True, capture_output=True)
    assert (site / "webapp/translations/en/LC_MESSAGES/messages.mo").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site), WEBAPP_INSTANCE_PATH=str(tmp_path / "i"))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site), f"sqlite:///{tmp_path / 'w.sqlite3'}"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert '<html lang="en">' in result.stdout and "Sign in" in result.stdout
    assert "STATIC 200" in result.stdout
