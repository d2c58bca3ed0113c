"""Build step: the package carries its translation catalogues, compiled.

The catalogues are kept at the top of the checkout (translations/, edited with
tools/i18n.py); building the package compiles each messages.po into
webapp/translations/<locale>/LC_MESSAGES/messages.mo inside the build, so that an
installed copy (pip install ., a wheel) serves every language without the checkout.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    """build_py, then the compiled catalogues beside the package's code."""

    def run(self):
        super().run()
        for po in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
            target = Path(self.build_lib) / "webapp" / po.relative_to(ROOT).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(po, "rb") as source:
                catalog = read_po(source)
            with open(target, "wb") as out:
                write_mo(out, catalog)


setup(cmdclass={"build_py": BuildWithCatalogues})
