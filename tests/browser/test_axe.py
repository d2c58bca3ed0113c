"""Every page of every area, as the demo users see it, in French at 320 px and in English
at desktop width: zero WCAG 2.2 A/AA violations by axe-core, no sideways scroll.

Areas list their pages in tests/browser/pages_<area>.py:
PAGES = [(email or None, url or function () -> url, optional setup(page, base_url))].
"""

import importlib
import pkgutil

import pytest

from tests import browser as browser_package
from tests.browser.conftest import axe, horizontal_overflow, set_language, sign_in
from tests.conftest import ON_POSTGRES

# The sweep checks markup, contrast and layout, which do not depend on the database: it
# runs in the SQLite pass of CI only (the journeys run on both), keeping CI under 15 min.
pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the sweep runs in the SQLite pass")


def _all_pages():
    entries = []
    for info in sorted(pkgutil.iter_modules(browser_package.__path__), key=lambda i: i.name):
        if info.name.startswith("pages_"):
            module = importlib.import_module(f"tests.browser.{info.name}")
            for entry in module.PAGES:
                user, url = entry[0], entry[1]
                setup = entry[2] if len(entry) > 2 else None
                label = url if isinstance(url, str) else url.__name__
                entries.append(pytest.param(user, url, setup,
                                            id=f"{info.name[6:]}:{user or 'anonymous'}:{label}"))
    return entries


@pytest.mark.parametrize("user,url,setup", _all_pages())
def test_page_is_accessible_in_both_languages(new_page, live_server, app_context,
                                              user, url, setup):
    if callable(url):
        with app_context:
            url = url()
    page = new_page(viewport={"width": 320, "height": 800})
    if user:
        sign_in(page, user)
    if setup:
        setup(page, live_server)
    for language, width in (("fr", 320), ("en", 1280)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        set_language(page, language)
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe(page)
        assert not violations, f"{url} [{language}]: {violations}"
        if width == 320:
            overflow = horizontal_overflow(page)
            assert overflow == 0, f"{url} scrolls sideways by {overflow}px at 320px"
        assert page.locator("h1").count() == 1
