"""The personal health space: application factory."""

import os

from flask import Flask
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from webapp import access, cli, config, db, i18n, navigation, rendering, security, wiring
from webapp.ratelimit import limiter
from webapp.sessions.auth import init_guard, login_manager

csrf = CSRFProtect()


class Id64Converter(IntegerConverter):
    """An id in an address: what a database column can hold, else the page is not found."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2 ** 63 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(test_config=None):
    """Create and configure the app; test_config overrides the environment."""
    app = Flask(__name__, instance_path=os.environ.get(
        "WEBAPP_INSTANCE_PATH", os.path.join(os.getcwd(), "instance")))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 31536000  # static URLs carry a version
    app.url_map.converters["int"] = Id64Converter  # ids beyond 64 bits: not found
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:  # behind that many trusted reverse proxies: their X-Forwarded-* say the client
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    Htmx(app)
    csrf.init_app(app)
    Compress(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_guard(app)
    i18n.init_app(app)
    security.init_app(app)
    access.init_app(app)
    rendering.init_app(app)
    navigation.init_app(app)
    cli.init_app(app)

    for blueprint in wiring.blueprints():
        app.register_blueprint(blueprint)
    app.extensions["menu"] = wiring.menu()
    app.extensions["home_panels"] = wiring.home_panels()
    app.extensions["settings_sections"] = wiring.settings_sections()
    for signal, receiver in wiring.receivers():
        signal.connect(receiver)
    return app
