"""The health check load balancers call: the database answers and storage is writable."""

from flask import Blueprint, jsonify

from webapp import storage
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
    return storage.writable()  # the folder, or the object store (a write then a delete)


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
