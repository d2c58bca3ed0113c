"""The request's access to one person's space.

Built once per request from the signed-in user and the space named in the address
(`/espaces/<ref>/…`), it decides with the policy, writes one log entry for the request
(refined with what was read or changed, never a second row), and is the only way views
and templates reach the space's rows: `require(scope)`, `get(Model, id)`, `query(Model)`.
Actions write through `log(action, target)` inside their transaction.
"""

from flask import current_app, g
from flask_login import current_user
from peewee import JOIN
from werkzeug.exceptions import NotFound

from webapp import audit, policy
from webapp.compiled import Compiled
from webapp.models.audit import LogHead
from webapp.models.messages import unread_from_professionals
from webapp.models.spaces import Space
from webapp.scopes import ALL_SCOPES, Capacity, Scope

MAX_ID = 2 ** 63 - 1
BADGE_ROLES = ("citizen", "mediator")  # who sees the unread messages' badge


def _space_with_head(badge):
    """The space with this reference, its log's chain head (and the menu's badge)."""
    def build(ref):
        query = (Space.select(Space, LogHead)
                 .join(LogHead, JOIN.LEFT_OUTER, on=(LogHead.space == Space.id),
                       attr="chain_head").where(Space.ref == ref).limit(1))
        if badge:
            query = query.select_extend(
                unread_from_professionals(Space.id).alias("unread_from_professionals"))
        return query
    return Compiled(build, "\0probe:ref")


SPACE = {False: _space_with_head(False), True: _space_with_head(True)}


class Refused(NotFound):
    """404 for a space the person may not act on; the page may say why when the person
    knows the space (a mandate that ended)."""

    def __init__(self, access):
        super().__init__()
        self.access = access


class Access:
    """One person's access to one space for one request."""

    def __init__(self, user, space, grant, name=None):
        self.user, self.space, self.grant, self.name = user, space, grant, name
        self.app_name = ""  # the app or software acting through the API, for the log
        self.entry = None
        self.written = False
        self.scope = None  # the scope the page required (its banner names that mandate)

    @classmethod
    def open(cls, user, ref):
        """The access of `user` to the space with this reference (a missing space too)."""
        space = None
        if ref and len(ref) <= 16:
            space = SPACE[getattr(user, "role", None) in BADGE_ROLES].first(ref)
        grant = policy.grant_for(user, space) if space is not None else None
        return cls(user, space, grant)

    @classmethod
    def system(cls, space, name):
        """Work done by the service itself (a command, a scheduled task) on a space."""
        grant = policy.Grant(None, space, Capacity.SYSTEM, ALL_SCOPES)
        return cls(None, space, grant, name=name)

    @property
    def capacity(self):
        """The capacity of the grant, or None."""
        return self.grant.capacity if self.grant else None

    @property
    def actor(self):
        """The person acting (None for the service itself)."""
        return self.grant.actor if self.grant else self.user

    def allows(self, scope):
        """True when the grant covers the scope (decides only, logs nothing)."""
        return bool(self.grant) and self.grant.allows(scope)

    def require(self, scope, capacities=None):
        """The grant when it covers the scope (in one of these capacities, if given);
        else 404, logged as refused."""
        if self.space is None:  # the same answer as a space one may not act on
            raise Refused(self)
        self.scope = self.scope or scope
        allowed = self.allows(scope) and (not capacities or self.capacity in capacities)
        if self.entry is None or not allowed or self.entry["allowed"]:
            target = self.entry or {}
            self.entry = dict(action=scope, allowed=allowed,
                              target_kind=target.get("target_kind", ""),
                              target_id=target.get("target_id"),
                              detail=target.get("detail", ""))
        if not allowed:
            raise Refused(self)
        return self.grant

    def mandate_used(self):
        """The mandate this page acts under: the one covering its scope (for the banner)."""
        return self.grant.mandate_for(self.scope or Scope.SPACE_VIEW) if self.grant else None

    def note(self, target=None, detail="", action=None):
        """Say more precisely what this request's entry is about."""
        if self.entry is None:
            self.entry = dict(action=action or Scope.SPACE_VIEW, allowed=True,
                              target_kind="", target_id=None, detail="")
        if action is not None:
            self.entry["action"] = action
        if target is not None:
            self.entry["target_kind"], self.entry["target_id"] = audit.target_of(target)
        if detail:
            self.entry["detail"] = str(detail)

    def log(self, action, target=None, detail="", **columns):
        """Record a change now (inside the action's transaction): the request's entry;
        `columns` say what the grant cannot (the mandate and office a holder ends)."""
        if self.written:
            self.entry, self.written = None, False
        self.note(target=target, detail=detail, action=action)
        self.entry.update(columns)
        self.flush()

    def query(self, model, *fields):
        """The rows of `model` in this space that the person may see."""
        if self.grant is None:
            raise Refused(self)
        return policy.visible(model, self.grant, *fields)

    def get(self, model, ident, *fields):
        """The row with this id in this space, visible to the person; else 404."""
        if not isinstance(ident, int) or not 0 < ident <= MAX_ID:
            raise NotFound()
        row = self.query(model, *fields).where(model._meta.primary_key == ident).first()
        if row is None:
            raise NotFound()
        return row

    def flush(self):
        """Write the request's entry, once."""
        if self.entry is None or self.written or self.space is None:
            return None
        self.written = True
        return audit.write(self.space, **{**self._who(self.entry["action"]), **self.entry})

    def _who(self, action):
        """Actor, capacity, office and mandate of the entry."""
        grant = self.grant
        if grant is not None:
            mandate = grant.mandate_for(action) or (grant.mandates[0] if grant.mandates
                                                     else None)
            office = grant.office_for(action)
            return dict(actor=grant.actor, actor_name=self.name if self.name else None,
                        capacity=grant.capacity, emergency=grant.emergency,
                        app_name=self.app_name,
                        office_name=office.name if office else "",
                        mandate_ref=mandate.reference if mandate else "")
        user, mandate = self.user, self.ended_mandate()
        office = mandate.office if mandate is not None and mandate.office_id else getattr(
            user, "office", None)
        return dict(actor=user, capacity=Capacity(mandate.kind if mandate else user.role),
                    app_name=self.app_name,
                    office_name=office.name if office else "",
                    mandate_ref=mandate.reference if mandate else "")

    def ended_mandate(self):
        """The mandate this person held on the space when they hold none any more."""
        if self.grant is not None or self.user is None or self.space is None:
            return None
        if "_ended" not in vars(self):
            self._ended = policy.last_mandate(self.user, self.space)
        return self._ended


def current():
    """The access object of this request, or None outside a space's pages."""
    return g.get("access")


def menu_access():
    """The access menus and links read: the page's space, else the citizen's own space;
    decided once per request, never logged."""
    if "menu_access" not in g:
        access = g.get("access")
        if access is None or access.grant is None:
            user = current_user._get_current_object() if current_user.is_authenticated \
                else None
            own = policy.own_space(user)
            access = Access(user, own, policy.grant_for(user, own)) if own else None
        g.menu_access = access
    return g.menu_access


def init_app(app):
    """Take the space reference out of the address, put it back into the links, and write
    the request's entry before the response leaves."""

    @app.url_value_preprocessor
    def _pull_ref(endpoint, values):
        if values and "ref" in values:
            g.space_ref = values.pop("ref")

    @app.url_defaults
    def _push_ref(endpoint, values):
        if "ref" in values or not current_app.url_map.is_endpoint_expecting(endpoint, "ref"):
            return
        access = g.get("access") or menu_access()
        if access is not None and access.space is not None:
            values["ref"] = access.space.ref

    @app.after_request
    def _flush(response):
        access = g.get("access")
        if access is not None and response.status_code != 503:  # 503: no database
            access.flush()
        return response
