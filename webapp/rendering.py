"""Rendering helpers: full page or htmx fragment, asset URLs, error pages, safe redirects."""

import hashlib
from pathlib import Path

from flask import current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from jinja2 import StrictUndefined

from webapp.access import Refused, current, menu_access
from webapp.assist import mandates
from webapp.audit import Action
from webapp.db import DATABASE_ERRORS
from webapp.pro import ins
from webapp.scopes import Capacity
from webapp.sessions import returns
from webapp.storage import StorageUnavailable


def is_fragment_request():
    """An htmx request that wants a fragment (not a history restore)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render(page, partial=None, status=200, **context):
    """Render the page, or only its partial for an htmx request; both vary on HX-Request."""
    template = partial if partial and is_fragment_request() else page
    response = current_app.make_response((render_template(template, **context), status))
    response.vary.add("HX-Request")
    return response


def safe_next(target, default="home.index"):
    """A local path to go back to after sign-in, never another site, and a page a GET
    shows (not an address only a form posts to, which would say "Page introuvable")."""
    path = returns.local_path(target)
    if path and returns.shows_a_page(path):
        return path
    return url_for(default)


def asset_url(filename):
    """URL of a static file with a content hash, so it can be cached for a year."""
    cache = current_app.extensions.setdefault("asset_versions", {})
    if filename not in cache or current_app.debug:
        path = Path(current_app.static_folder) / filename
        cache[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return url_for("static", filename=filename, v=cache[filename])


def _error(template, status, title):
    return render_template(template, title=title), status


def init_app(app):
    """Template globals, strict templates in tests, and translated error pages."""
    if app.testing or app.debug:
        app.jinja_env.undefined = StrictUndefined
    app.jinja_env.globals.update(
        asset_url=asset_url, space_access=current, menu_access=menu_access, Capacity=Capacity,
        Action=Action, ins=ins,
        scope_labels=mandates.scope_labels, open_end=mandates.OPEN_END,
        duration_label=lambda d: mandates.SHORT_DURATION_LABELS.get(d, d))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.errorhandler(404)
    def _not_found(e):
        grant = e.access.grant if isinstance(e, Refused) else None
        if grant is not None and grant.is_assisted:  # they act for the person: say why
            return render_template("errors/not_covered.html", grant=grant,
                                   title=_("Cette page n'est pas couverte par votre mandat")), 404
        mandate = e.access.ended_mandate() if isinstance(e, Refused) else None
        if mandate is not None:  # they held a mandate: they know the space, say what ended
            return render_template("errors/mandate_ended.html", mandate=mandate,
                                   title=_("Vous ne pouvez plus agir pour %(name)s",
                                           name=mandate.space.display_name)), 404
        if isinstance(e, Refused) and request.method == "POST":
            # A form sent to a space they may not (or no longer) act on: say that nothing
            # was recorded, in words that tell nothing of the space or of why.
            return _error("errors/not_recorded.html", 404, _("Cette action n'a pas été "
                                                              "enregistrée"))
        return _error("errors/404.html", 404, _("Page introuvable"))

    @app.errorhandler(405)
    def _not_allowed(e):
        return _error("errors/404.html", 404, _("Page introuvable"))

    @app.errorhandler(413)
    def _too_large(e):
        # The body was not read, so the form cannot be shown again with what was typed;
        # the page links back to it (its GET shows the form) and says what to change.
        back = request.path if request.method == "POST" else None
        return render_template("errors/413.html", title=_("Fichier trop volumineux"),
                               back=back), 413

    @app.errorhandler(429)
    def _too_many(e):
        return _error("errors/429.html", 429, _("Trop de tentatives"))

    @app.errorhandler(CSRFError)
    def _csrf(e):
        return _error("errors/csrf.html", 400, _("Formulaire expiré"))

    def _unavailable(e):
        current_app.logger.warning("database or storage unavailable: %s", e)
        g._login_user = AnonymousUserMixin()  # the page must not load the account again
        response = current_app.make_response((render_template(
            "errors/503.html", title=_("Service momentanément indisponible")), 503))
        response.headers["Retry-After"] = "30"
        return response

    for error in (*DATABASE_ERRORS, StorageUnavailable):
        app.register_error_handler(error, _unavailable)

    @app.errorhandler(500)
    def _server_error(e):
        return _error("errors/500.html", 500, _("Erreur du service"))
