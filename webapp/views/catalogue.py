"""The catalogue of referenced apps: browse and search, read an app's page, connect it to
the space after an explicit consent, disconnect it at any time."""

import math

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from webapp.catalogue import actions
from webapp.catalogue.forms import ConsentForm, FilterForm
from webapp.guards import SPACE, on_space
from webapp.models.catalogue import AppConnection, CatalogueApp, scope_labels
from webapp.rendering import render, safe_next
from webapp.scopes import HOLDER_AND_HELPERS, Scope
from webapp.smart import clients as smart_clients
from webapp.smart import scopes as smart_scopes

bp = Blueprint("catalogue", __name__)
PER_PAGE = 20


def _app(slug, listed_only=True):
    """The app with this slug; unlisted apps stay reachable only while connected."""
    app = CatalogueApp.get_or_none(CatalogueApp.slug == slug[:100])
    if app is None or (not app.active and (listed_only
                                           or actions.current(g.access, app) is None)):
        abort(404)
    return app


@bp.route(SPACE + "/catalogue")
@on_space(Scope.SPACE_VIEW, HOLDER_AND_HELPERS)
def index():
    """Referenced apps, filtered by category and searched by name or word; the connected ones."""
    form = FilterForm(request.args)
    form.validate()
    values = form.filters()
    query = CatalogueApp.listed()
    if values.get("q"):
        query = CatalogueApp.search(query, values["q"])
    if values.get("categorie"):
        query = query.where(CatalogueApp.category == values["categorie"])
    total = query.count()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    can_manage = g.access.allows(Scope.PRIVACY)
    connections = list(
        g.access.query(AppConnection, AppConnection, CatalogueApp).switch(AppConnection)
        .join(CatalogueApp).where(AppConnection.disconnected_at.is_null())
        .order_by(AppConnection.connected_at.desc(), AppConnection.id.desc())) \
        if can_manage else []
    return render("catalogue/index.html", partial="catalogue/_list.html",
                  title=_("Catalogue de services"), form=form, values=values,
                  apps=list(query.paginate(page, PER_PAGE)), total=total, page_number=page,
                  pages=pages, connections=connections, can_manage=can_manage,
                  connected_ids={c.app_id for c in connections},
                  url_for_page=lambda n: url_for("catalogue.index", page=n, **values))


@bp.route(SPACE + "/catalogue/<slug>")
@on_space(Scope.SPACE_VIEW, HOLDER_AND_HELPERS)
def detail(slug):
    """An app's page: publisher, purpose, the data it asks for, and whether it is connected."""
    app = _app(slug, listed_only=False)
    can_manage = g.access.allows(Scope.PRIVACY)
    connection = actions.current(g.access, app) if can_manage else None
    client = smart_clients.for_app(app)  # what it asks through the API, in plain words
    asked = [smart_scopes.describe(s) for s in client.scope_list] if client else \
        scope_labels(app.scope_set)
    return render("catalogue/detail.html", title=app.name, app=app, connection=connection,
                  can_manage=can_manage, scopes=asked,
                  granted=scope_labels(connection.scope_set) if connection else [],
                  changed=bool(connection) and connection.scope_set != app.scope_set)


@bp.route(SPACE + "/catalogue/<slug>/connecter", methods=["GET", "POST"])
@on_space(Scope.PRIVACY, HOLDER_AND_HELPERS)
def connect_app(slug):
    """The consent page listing what will be shared; confirming connects the app."""
    app = _app(slug)
    if actions.current(g.access, app) is not None:
        return redirect(url_for("catalogue.detail", slug=app.slug), 303)
    form = ConsentForm()
    if form.validate_on_submit():
        actions.connect(g.access, app)
        flash(_("%(app)s est connectée à votre espace. Vous pouvez la déconnecter à tout "
                "moment.", app=app.name), "success")
        return redirect(url_for("catalogue.detail", slug=app.slug), 303)
    return render("catalogue/connect.html", title=_("Connecter %(app)s", app=app.name),
                  form=form, app=app, scopes=scope_labels(app.scope_set))


@bp.route(SPACE + "/catalogue/<slug>/deconnecter", methods=["POST"])
@on_space(Scope.PRIVACY, HOLDER_AND_HELPERS)
def disconnect_app(slug):
    """End an app's access to the space; it keeps nothing new from now on."""
    app = _app(slug, listed_only=False)
    if actions.disconnect(g.access, app):
        flash(_("%(app)s est déconnectée : elle n'a plus accès à votre espace.", app=app.name),
              "success")
    back = safe_next(request.form.get("next"), "catalogue.index")
    return redirect(back if request.form.get("next") else
                    url_for("catalogue.detail", slug=app.slug), 303)
