"""Languages: French first, English complete; chosen by the switcher or Accept-Language."""

import logging
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, request, session
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from webapp.db import DATABASE_ERRORS

babel = Babel()
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def select_locale():
    """The switcher's choice (session, then account), else the browser's, else French."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if not chosen:
        try:
            if getattr(current_user, "is_authenticated", False):
                chosen = current_user.language
        except DATABASE_ERRORS:  # the page saying the service is unavailable still speaks
            chosen = None
    if not chosen:
        chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def compile_catalogues(directory):
    """Build each .mo file that is missing or older than its .po (pure Python, fast)."""
    for po in Path(directory).glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as f:
            catalog = read_po(f)
        try:
            tmp = mo.with_suffix(".mo.tmp")
            with open(tmp, "wb") as f:
                write_mo(f, catalog)
            os.replace(tmp, mo)
        except OSError as error:  # read-only install: compile at build time instead
            logging.getLogger(__name__).warning("cannot compile %s: %s", po, error)


def translation_directory(app):
    """The checkout's catalogues (compiled when stale), else the installed package's
    (compiled at build time, see setup.py)."""
    checkout = Path(app.root_path).parent / "translations"
    if checkout.is_dir():
        compile_catalogues(checkout)
        return str(checkout)
    return str(Path(app.root_path) / "translations")


def init_app(app):
    """Wire flask-babel and the template helpers for locale-aware formatting."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directory(app))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        date=lambda value, fmt="long": format_date(value, fmt) if value else "",
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "",
        number=lambda value: format_decimal(value) if value is not None else "",
    )

    @app.context_processor
    def _language():
        return {"current_locale": str(get_locale()), "language_names": LANGUAGE_NAMES,
                "languages": app.config["LANGUAGES"]}
