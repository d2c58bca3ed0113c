"""A test-only watch on the database: which requests read a space's rows through a query
that neither the access object nor the policy built (no test here).

Queries built by `Access.query/get` or by `webapp.policy` carry a mark that survives
`.where()`, `.order_by()`, `.count()`, `.exists()`… A SELECT of a space's rows is
accepted when it holds a marked query, when it runs inside the policy, the access
object, the audit writer or the notification receivers, or when it is the lazy load of
one related row (`attachment.message`). Anything else is a route reaching a space's rows
another way.
"""

import re
import sys

from flask import has_request_context, request
from peewee import Node

from webapp.db import database
from webapp.policy import is_marked

# Tables whose rows belong to a person's space and must be read through the access object.
SPACE_ROWS = {
    "document", "profile_entry", "section_status", "measurement", "measurement_target",
    "appointment", "prevention_status", "conversation", "message", "attachment",
    "access_log", "export_job", "app_connection", "calendar_feed", "access_report",
    "caregiver_invitation", "guardian_invitation", "mandate", "attestation",
}
TRUSTED = ("webapp/policy/", "webapp/access.py", "webapp/audit.py", "webapp/notify/",
           "webapp/storage.py", "webapp/migrations/")
TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


def _marked(node, depth=0):
    """True when the query, or a query nested in it (count, exists, IN), is marked."""
    if depth > 6:
        return False
    if isinstance(node, Node) and is_marked(node):
        return True
    values = vars(node).values() if isinstance(node, Node) else node
    for value in values:
        if isinstance(value, Node) and _marked(value, depth + 1):
            return True
        if isinstance(value, list | tuple) and any(
                isinstance(v, Node) and _marked(v, depth + 1) for v in value):
            return True
    return False


def _trusted_caller():
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename.replace("\\", "/")
        if any(part in name for part in TRUSTED) or frame.f_code.co_name == "get_rel_instance":
            return True
        frame = frame.f_back
    return False


class Watch:
    """Records (endpoint, tables) of each unmarked read of a space's rows in a request."""

    def __init__(self):
        self.violations = []
        self.obj = database.obj
        self.original = self.obj.execute

    def __enter__(self):
        watch = self

        def execute(query, **options):
            if has_request_context() and request.endpoint not in (None, "static"):
                sql = watch.obj.get_sql_context(**options).sql(query).query()[0]
                tables = set(TABLE.findall(sql)) & SPACE_ROWS
                if sql.lstrip().upper().startswith("SELECT") and tables \
                        and not _marked(query) and not _trusted_caller():
                    watch.violations.append((request.endpoint, request.path, sorted(tables)))
            return watch.original(query, **options)

        self.obj.execute = execute
        return self

    def __exit__(self, *exc):
        self.obj.execute = self.original
