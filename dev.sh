#!/bin/sh
# The two commands of the README.
#   ./dev.sh run   install, create the database with demo data, serve on http://127.0.0.1:5000
#   ./dev.sh test  install with test tools, run the linter and every test (browser tests too)
set -eu
cd "$(dirname "$0")"

venv() {
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e "$1"
}

case "${1:-}" in
run)
    venv .
    export WEBAPP_SECURE_COOKIES="${WEBAPP_SECURE_COOKIES:-0}"  # plain http on 127.0.0.1
    .venv/bin/flask --app webapp init-db
    .venv/bin/flask --app webapp seed-demo
    echo "Open http://127.0.0.1:5000 (demo accounts: see README.md)"
    exec .venv/bin/python -m waitress --listen=127.0.0.1:5000 --call webapp:create_app
    ;;
test)
    venv ".[test]"
    if [ ! -f node_modules/axe-core/axe.min.js ]; then
        npm ci --no-audit --no-fund --silent
    fi
    .venv/bin/ruff check webapp tests tools benchmarks
    exec .venv/bin/pytest tests
    ;;
*)
    echo "usage: ./dev.sh run | ./dev.sh test" >&2
    exit 2
    ;;
esac
