"""The shape of the code: imports go one way without cycles, no import hides in a
function, models know nothing of views or policy, modules stay short, and building the
app twice gives the same app (nothing is registered into a global list at import)."""

import ast
from pathlib import Path

from tests.helpers import make_space, make_user, space_path
from webapp import create_app

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "webapp"
MAX_LINES = 300


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name):
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(path):
    """(webapp module imported, line, at top level?) of a source file."""
    tree = ast.parse(path.read_text())
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}")
                     else node.module for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] == "webapp":
                yield name, node.lineno, id(node) in top


def _graph():
    return {_module_name(p): {n for n, _line, _top in _imports(p)}
            for p in PACKAGE.rglob("*.py")}


def test_no_webapp_import_inside_a_function():
    hidden = [f"{p.relative_to(ROOT)}:{line} {name}" for p in PACKAGE.rglob("*.py")
              for name, line, top in _imports(p) if not top]
    assert not hidden, "imports hidden in a function (to dodge a cycle?):\n" + "\n".join(hidden)


def test_no_import_cycle():
    graph = _graph()
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if dep == node or dep not in graph:
                continue
            if state.get(dep) == "open":
                cycles.append(" -> ".join(stack[stack.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep, stack)
        stack.pop()
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_models_know_nothing_of_views_policy_or_notifications():
    forbidden = ("webapp.views", "webapp.policy", "webapp.notify", "webapp.access",
                 "webapp.audit", "webapp.signals")
    found = [f"{p.name}: {name}" for p in (PACKAGE / "models").glob("*.py")
             for name, _line, _top in _imports(p) if name.startswith(forbidden)]
    assert not found, found


def test_modules_are_short():
    """The application, its tests and its benchmarks: no module over MAX_LINES lines."""
    paths = [p for folder in ("webapp", "tests", "benchmarks")
             for p in (ROOT / folder).rglob("*.py")]
    long = [f"{p.relative_to(ROOT)}: {n} lines" for p in paths
            if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert not long, long


def test_building_the_app_three_times_gives_one_card_of_each_kind(tmp_path, monkeypatch):
    monkeypatch.setenv("WEBAPP_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {"TESTING": True, "SECRET_KEY": "x", "SESSION_COOKIE_SECURE": False,
              "SESSION_COOKIE_NAME": "session", "WTF_CSRF_SSL_STRICT": False,
              "ARGON2_PROFILE": "cheapest", "RATELIMIT_ENABLED": False,
              "DATABASE_URL": f"sqlite:///{tmp_path / 'three.sqlite3'}",
              "STORAGE_PATH": str(tmp_path / "storage"), "MAIL_TRANSPORT": "memory"}
    apps = [create_app(config) for _ in range(3)]
    tables = [(a.extensions["menu"], a.extensions["home_panels"],
               a.extensions["settings_sections"], sorted(a.blueprints)) for a in apps]
    assert tables[0] == tables[1] == tables[2]
    from tests.helpers import PageClient
    from webapp.migrations import create_schema

    app = apps[2]
    app.test_client_class = PageClient
    with app.app_context():
        create_schema()
        user = make_user()
        space = make_space(user)
        client = app.test_client()
        client.sign_in(user.email)
        _, doc = client.page(space_path(space))
    titles = [h.text for h in doc.find_all("h2", class_="card__title")]
    assert titles and len(titles) == len(set(titles)), titles
    assert "Documents" in titles
    menu = [a.text for a in doc.find("nav", aria_label="Menu principal").find_all("a")]
    assert len(menu) == len(set(menu)), menu


def _base_name(node):
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def test_views_define_no_form():
    """Forms live in their area's package (webapp/<area>/forms.py), never in a view."""
    found = [f"{p.relative_to(ROOT)}:{node.lineno} {node.name}"
             for p in (PACKAGE / "views").rglob("*.py")
             for node in ast.walk(ast.parse(p.read_text()))
             if isinstance(node, ast.ClassDef)
             and any(_base_name(base).endswith("Form") for base in node.bases)]
    assert not found, "forms defined in views:\n" + "\n".join(found)
