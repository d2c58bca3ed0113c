"""A test-only watch on the database: which requests read a space's rows through a query
that neither the access object nor the policy built (no test here).

Queries built by `Access.query/get` or by `webapp.policy` carry a mark, set when they are
built, that survives `.where()`, `.order_by()`, `.first()`… (peewee clones keep it).
Only the outermost query's own mark counts: a new query built around a marked one (a
`Document.select()` whose `IN` holds the policy's patients) is unmarked, as is a marked
query widened by `.orwhere()`. The wrappers accepted are peewee's own `.count()` and
`.exists()`, plain SELECTs over the marked query alone. A SELECT of a space's rows is
accepted when it is marked, when it runs inside the policy, the access object, the audit
writer or the notification receivers, or when it is the lazy load of one related row
(`attachment.message`). Raw SQL never is. Anything else is a route reaching a space's
rows another way.
"""

import os
import re
import sys

from flask import has_request_context, request
from peewee import OP, CompoundSelectQuery, Expression, Function, ModelSelect, Select

from webapp.db import BaseModel, database
from webapp.models.audit import LogHead
from webapp.models.spaces import Space
from webapp.policy import is_marked
from webapp.policy.rows import MARK

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
TRUSTED = ("webapp/policy/", "webapp/access.py", "webapp/audit/", "webapp/notify/",
           "webapp/storage/", "webapp/migrations/")
TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# Not watched, though they hang from Space: the log's chain head holds a hash and a
# counter, nothing about the person, and is read by the access object only.
NOT_PERSONAL = {LogHead}


def _models(base=BaseModel):
    for model in base.__subclasses__():
        yield model
        yield from _models(model)


def space_tables():
    """Space and every table whose rows hang from a space, through any chain of foreign
    keys (Message via Conversation, Attestation via Mandate, SmartToken via SmartCode)."""
    owned, models = {Space}, set(_models())
    while True:
        more = {m for m in models - owned
                if any(f.rel_model in owned and f.rel_model is not m for f in m._meta.refs)}
        if not more:
            return {m._meta.table_name for m in owned - NOT_PERSONAL}
        owned |= more


def _narrowed(where, built):
    """True when `where` is the condition the query was built with, AND-ed with more."""
    if where is built:
        return True
    return isinstance(where, Expression) and where.op == OP.AND and (
        _narrowed(where.lhs, built) or _narrowed(where.rhs, built))


def accepted(query):
    """True when this query (its own mark, not one of a subquery) was built by the access
    object or the policy and only narrowed since, or counts such a query's rows."""
    if isinstance(query, CompoundSelectQuery):  # UNION: both sides must be accepted
        return accepted(query.lhs) and accepted(query.rhs)
    if is_marked(query):
        mark = getattr(query, MARK)
        built = mark[1] if isinstance(mark, tuple) else getattr(query, "_where", None)
        return built is None or _narrowed(getattr(query, "_where", None), built)
    wrapped = _wrapped(query)
    return wrapped is not None and accepted(wrapped)


def _wrapped(query):
    """The query inside peewee's own wrappers: `.count()`, SELECT COUNT(1) FROM (<query>),
    and `.exists()`, SELECT EXISTS(<query>); they see that query's rows only."""
    if type(query) is not Select or query._where is not None:
        return None
    sources, columns = query._from_list, query._returning or []
    if len(sources) == 1 and isinstance(sources[0], ModelSelect | Select):
        return sources[0]
    if not sources and len(columns) == 1 and isinstance(columns[0], Function) \
            and columns[0].name.upper() == "EXISTS" and len(columns[0].arguments) == 1:
        return columns[0].arguments[0]
    return None


def _caller():
    """file:line of the project's code that ran the query (its innermost frame)."""
    frame = sys._getframe(3)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(ROOT) and "/site-packages/" not in name and name != __file__:
            return f"{name[len(ROOT):]}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


def _trusted_caller():
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename.replace("\\", "/")
        if any(part in name for part in TRUSTED) or frame.f_code.co_name == "get_rel_instance":
            return True
        frame = frame.f_back
    return False


class Watch:
    """Records (endpoint, path, tables, file:line) of each unaccepted read of a space's rows."""

    def __init__(self, tables=None):
        self.violations = []
        self.tables = tables or space_tables()
        self.obj = database.obj
        self.original, self.original_sql = self.obj.execute, self.obj.execute_sql
        self.inside = False

    def _check(self, sql, query):
        if not has_request_context() or request.endpoint in (None, "static"):
            return
        tables = set(TABLE.findall(sql)) & self.tables
        if sql.lstrip().upper().startswith(("SELECT", "WITH")) and tables \
                and (query is None or not accepted(query)) and not _trusted_caller():
            self.violations.append((request.endpoint, request.path, tuple(sorted(tables)),
                                    _caller()))

    def __enter__(self):
        watch = self

        def execute(query, **options):
            watch._check(watch.obj.get_sql_context(**options).sql(query).query()[0], query)
            watch.inside = True
            try:
                return watch.original(query, **options)
            finally:
                watch.inside = False

        def execute_sql(sql, params=None, *args, **kwargs):
            if not watch.inside:  # raw SQL, not a peewee query: never accepted
                watch._check(sql, None)
            return watch.original_sql(sql, params, *args, **kwargs)

        self.obj.execute, self.obj.execute_sql = execute, execute_sql
        return self

    def __exit__(self, *exc):
        self.obj.execute, self.obj.execute_sql = self.original, self.original_sql

    def report(self, violations=None):
        """The violations (these, or all), one line each, without repeats."""
        return "\n".join(f"{e} {p}: {', '.join(t)} at {w}"
                         for e, p, t, w in sorted(set(
                             self.violations if violations is None else violations)))
