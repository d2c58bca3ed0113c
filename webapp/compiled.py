"""Statements whose SQL text is generated once per process, not once per request.

Peewee turns a query's node tree into SQL on every execution. For the statements that
run on every request (the session with its user, the space with its chain head, the
log's compare-and-set and insert), that generation took as much CPU as everything else
those statements do (profiled under the load benchmark: about a fifth of a page's time).

`Compiled(build, *probes)` calls `build(*probes)` once per kind of database, keeps the
query, its SQL and where each probe landed among the parameters. A call `c.run(*args)`
then binds the arguments in those places and lets peewee execute the query as usual
(rows become models with their joins, an insert gives its id, an update its count): only
the SQL generation is skipped.

So `build` must take as arguments every value that can change between calls (a clock, a
setting), and the probes must be values that appear nowhere else in the query. In
testing, every call also builds the query from its arguments and checks that the SQL and
the parameters are the same as the bound ones: a value built into the query instead of
passed fails the test suite at once.
"""

from flask import current_app, has_app_context

from webapp.db import database


class _Stop(Exception):
    """Raised by _Recorder once it has the statement's SQL."""


class _Recorder:
    """Stands for the database while peewee prepares a query: takes its SQL, runs nothing."""

    def __init__(self):
        self.sql = self.params = None

    def execute(self, query, **options):
        self.sql, self.params = database.obj.get_sql_context(**options).sql(query).query()
        raise _Stop()

    def __getattr__(self, name):
        return getattr(database.obj, name)


class _Bound:
    """Stands for the database while peewee executes a query: runs the given SQL."""

    def __init__(self, sql, params):
        self.sql, self.params = sql, params

    def execute(self, query, **options):
        return database.obj.execute_sql(self.sql, self.params)

    def __getattr__(self, name):
        return getattr(database.obj, name)


def _prepare(query):
    """(sql, params) of a query as peewee would execute it (an insert's RETURNING too)."""
    recorder = _Recorder()
    try:
        query.clone()._execute(recorder)
    except _Stop:
        pass
    return recorder.sql, list(recorder.params)


def _verifying():
    return has_app_context() and current_app.testing


class Compiled:
    """A query built by `build(*args)`, with its SQL kept per kind of database."""

    def __init__(self, build, *probes):
        self.build, self.probes, self._plans = build, probes, {}

    def _plan(self):
        kind = type(database.obj)
        plan = self._plans.get(kind)
        if plan is None:
            query = self.build(*self.probes)
            sql, params = _prepare(query)
            slots = tuple(next((j for j, probe in enumerate(self.probes)
                                if type(value) is type(probe) and value == probe), None)
                          for value in params)
            missing = set(range(len(self.probes))) - set(slots)
            if missing:
                raise ValueError(f"probes {sorted(missing)} are not parameters of {sql}")
            plan = self._plans[kind] = (query, sql, tuple(params), slots)
        return plan

    def run(self, *args):
        """Execute with these arguments; peewee's result (rows, id, count)."""
        query, sql, params, slots = self._plan()
        bound = [p if s is None else args[s] for p, s in zip(params, slots, strict=True)]
        if _verifying():
            expected = _prepare(self.build(*args))
            if expected != (sql, bound):
                raise AssertionError(f"compiled statement differs: {expected} != {(sql, bound)}")
        query = query.clone()
        query._cursor_wrapper = None
        return query._execute(_Bound(sql, bound))

    def first(self, *args):
        """The first row, or None (`build` gives the LIMIT)."""
        for row in self.run(*args):
            return row
        return None
