"""Translation catalogues: French msgids (French is written first), French catalogue as
identity, English catalogue translated by hand.

    python tools/i18n.py update          extract messages, merge into fr and en, fill fr
    python tools/i18n.py fill FILE.json  add English translations {"french": "english", ...}
                                         (plural: {"french singular": ["one", "other"]})
    python tools/i18n.py missing         list English messages still untranslated (exit 1)
    python tools/i18n.py compile         build the .mo files (the app also does it at start)

Several people may run it at once: a lock file serialises changes to the catalogues.
"""

import fcntl
import json
import sys
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]
LOCALES = ("fr", "en")


def po_path(locale):
    """Path of a locale's catalogue."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


@contextmanager
def locked():
    """Hold the catalogues' lock for the duration of a change."""
    TRANSLATIONS.mkdir(exist_ok=True)
    with open(TRANSLATIONS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def extract():
    """Every translatable message in the code and templates, as a catalogue."""
    template = Catalog(project="webapp", charset="utf-8")
    options = {"**.html": {"extensions": "jinja2.ext.do", "trimmed": "false"}}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), METHODS, options_map=options, keywords=KEYWORDS):
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    return template


def load(locale):
    """A locale's catalogue, or an empty one."""
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, charset="utf-8")
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def save(catalog, locale):
    """Write a catalogue, sorted so diffs stay small."""
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    write_po(buffer, catalog, sort_output=True, width=100, omit_header=False,
             include_previous=False)
    path.write_bytes(buffer.getvalue())


def update():
    """Merge freshly extracted messages into both catalogues; French is identity."""
    with locked():
        for locale in LOCALES:
            template = extract()  # a fresh copy each: update() shares message objects
            catalog = load(locale)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            for message in catalog:
                if not message.id:
                    continue
                if locale == "fr":
                    message.string = message.id
                message.flags.discard("fuzzy")
            save(catalog, locale)
    missing()


def fill(json_file):
    """Add English translations from a JSON file {french msgid: english}."""
    data = json.loads(Path(json_file).read_text(encoding="utf-8"))
    with locked():
        catalog = load("en")
        unknown = []
        for french, english in data.items():
            message = catalog.get(french)
            if message is None:
                unknown.append(french)
                continue
            message.string = tuple(english) if isinstance(message.id, tuple) else english
        save(catalog, "en")
    for french in unknown:
        print(f"not in catalogue (run update first?): {french!r}")
    missing()


def untranslated(locale="en"):
    """Messages of a catalogue with an empty translation."""
    out = []
    for message in load(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            out.append(message.id)
    return out


def missing():
    """Print the English messages still to translate; exit status 1 if any."""
    todo = untranslated("en")
    for msgid in todo:
        print(json.dumps(msgid if isinstance(msgid, str) else list(msgid), ensure_ascii=False))
    print(f"{len(todo)} English message(s) to translate", file=sys.stderr)
    return 1 if todo else 0


def compile_all():
    """Write each catalogue's .mo file."""
    for locale in LOCALES:
        catalog = load(locale)
        with open(po_path(locale).with_suffix(".mo"), "wb") as f:
            write_mo(f, catalog)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "fill":
        fill(sys.argv[2])
    elif command == "missing":
        sys.exit(missing())
    elif command == "compile":
        compile_all()
    else:
        sys.exit(__doc__)
