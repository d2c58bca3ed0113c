"""Every message of the code and templates is in both catalogues, translated."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_is_translated_in_both_catalogues():
    tool = _tool()
    extracted = {m.id for m in tool.extract() if m.id}
    for locale in ("fr", "en"):
        catalog = tool.load(locale)
        missing = [m for m in extracted if catalog.get(m) is None]
        assert not missing, f"{locale}: not in catalogue (run tools/i18n.py update): {missing[:10]}"
        empty = [m for m in extracted if not all(
            catalog.get(m).string if isinstance(catalog.get(m).string, tuple)
            else [catalog.get(m).string])]
        assert not empty, f"{locale}: untranslated: {empty[:10]}"


def test_english_catalogue_is_not_french():
    tool = _tool()
    catalog = tool.load("en")
    same = [m.id for m in catalog if m.id and m.string == m.id and len(m.id) > 12
            and " " in m.id]
    assert len(same) <= 5, f"English left in French: {same[:10]}"


def test_dates_are_formatted_for_the_locale(app):
    import datetime as dt

    from flask_babel import force_locale

    with app.test_request_context():
        render = app.jinja_env.filters["date"]
        with force_locale("fr"):
            assert render(dt.date(2026, 3, 8)) == "8 mars 2026"
        with force_locale("en"):
            assert render(dt.date(2026, 3, 8)) == "March 8, 2026"
