"""The health check load balancers call: the database answers and storage is writable."""

import os
import tempfile

from flask import Blueprint, current_app, jsonify

from webapp.db import DATABASE_ERRORS, database
from webapp.guards import public

bp = Blueprint("health", __name__)


def _database_ok():
    try:
        database.execute_sql("SELECT 1").fetchone()
    except DATABASE_ERRORS:
        return False
    return True


def _storage_ok():
    root = current_app.config["STORAGE_PATH"]
    try:
        os.makedirs(root, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".health-"):
            pass
    except OSError:
        return False
    return True


@bp.route("/healthz")
@public
def healthz():
    """200 when the service can work, else 503; says which part failed, nothing more."""
    checks = {"database": _database_ok(), "storage": _storage_ok()}
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "unavailable"
    response = jsonify(body)
    response.status_code = 200 if all(checks.values()) else 503
    return response
