"""Blueprints: every module here that defines `bp` is registered, in name order."""

import importlib
import pkgutil


def init_app(app):
    """Register each area's blueprint."""
    from webapp import views

    for info in sorted(pkgutil.iter_modules(views.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"webapp.views.{info.name}")
        if hasattr(module, "bp"):
            app.register_blueprint(module.bp)
            if hasattr(module, "init_app"):
                module.init_app(app)
