"""The built package is complete: a wheel installed outside the checkout serves pages in
English (its compiled catalogues are inside), with its templates and static files."""

import os
import shutil
import subprocess
import sys
import zipfile
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


def _clean_copy(target):
    """The project's files as git sees them (tracked, or new and not ignored): what a
    clone holds, without the build/ or egg-info folders a local build leaves (a stale
    module there would ship)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
        capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_the_built_wheel_serves_english_pages_from_outside_the_checkout(tmp_path):
    source = _clean_copy(tmp_path / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("webapp-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.startswith("webapp/") and n.endswith(".py")}
    tracked = {p.relative_to(source).as_posix() for p in (source / "webapp").rglob("*.py")}
    assert shipped == tracked  # every module, and nothing else
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
