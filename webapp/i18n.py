"""Languages: French first, English complete; chosen by the switcher or Accept-Language.
French elision is applied where a name is put into a sentence ("d'Amina")."""

import logging
import os
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, request, session
from flask_babel import (
    Babel,
    Domain,
    format_date,
    format_decimal,
    format_time,
    get_locale,
    get_translations,
)
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from webapp.db import DATABASE_ERRORS

babel = Babel()
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


# "de", "le", "la", "que" just before a placeholder, as whole words ("Quitter l'espace
# de %(name)s"); and what starts with a vowel sound: a vowel or a mute h ("d'Hugo"),
# never y ("de Yves").
_BEFORE_VALUE = re.compile(r"(?<![\w'’])([Dd]e|[Ll]e|[Ll]a|[Qq]ue) %\((\w+)\)s")
_VOWEL_SOUND = re.compile(r"[aeiouhàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


def elide(template, values):
    """French elision at the boundary of each value put into a translated sentence:
    "le mandat de %(name)s" with Amina reads "le mandat d'Amina"; other values (numbers,
    dates, names such as Yves) and other words are left as they are."""
    if not values or "%(" not in template:
        return template

    def _join(match):
        value = values.get(match.group(2))
        if isinstance(value, str) and _VOWEL_SOUND.match(value.lstrip()):
            return f"{match.group(1)[:-1]}'%({match.group(2)})s"
        return match.group(0)

    return _BEFORE_VALUE.sub(_join, template)


def _french():
    try:
        return str(get_locale() or "").startswith("fr")
    except RuntimeError:  # outside an app context: nothing is translated either
        return False


def elide_here(template, values):
    """elide() when the current language is French (the language is looked up only
    for a sentence with values: most have none)."""
    if not values or "%(" not in template:
        return template
    return elide(template, values) if _french() else template


class ElidingDomain(Domain):
    """flask-babel's domain, with French elision where values are put into sentences."""

    def gettext(self, string, **variables):
        s = self.get_translations().ugettext(string)
        return s if not variables else elide_here(s, variables) % variables

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        s = self.get_translations().ungettext(singular, plural, num)
        return elide_here(s, variables) % variables


@pass_context
def _template_gettext(__context, __string, **variables):
    """Jinja's newstyle gettext, with elision (formats after translation, escapes values)."""
    rv = elide_here(get_translations().ugettext(__string), variables)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


@pass_context
def _template_ngettext(__context, __singular, __plural, __num, **variables):
    """Jinja's newstyle ngettext, with elision."""
    variables.setdefault("num", __num)
    rv = elide_here(get_translations().ungettext(__singular, __plural, __num), variables)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


# One way to write a date everywhere ("12 mars 2026"), a moment ("12 mars 2026, 14:30"),
# and, where the day of the week helps (the agenda), "full" ("jeudi 12 mars 2026").
DATE_STYLES = {None: "long", "full": "full"}


def show_date(value, style=None):
    """A date (or the day of a moment, in Paris time) as the app writes it."""
    return format_date(value, DATE_STYLES[style]) if value else ""


def show_time(value):
    """The time of day of a moment (Paris time): 14:30."""
    return format_time(value, "short") if value else ""


def show_datetime(value, style=None):
    """A moment (Paris time) as the app writes it: its date, then its time."""
    if not value:
        return ""
    pattern = get_locale().datetime_formats["medium"]  # "{1}, {0}": date, then time
    return pattern.format(show_time(value), show_date(value, style))


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
    babel.domain_instance = ElidingDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.jinja_env.globals.update(gettext=_template_gettext, ngettext=_template_ngettext)
    app.jinja_env.filters.update(
        date=show_date, datetime=show_datetime, time=show_time,
        number=lambda value: format_decimal(value) if value is not None else "",
    )

    @app.context_processor
    def _language():
        return {"current_locale": str(get_locale()), "language_names": LANGUAGE_NAMES,
                "languages": app.config["LANGUAGES"]}
