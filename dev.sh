#!/bin/sh
# The two commands of the README, the whole set-up on a fresh Debian machine.
#   ./dev.sh run   install, create the database with demo data, serve on http://127.0.0.1:5000
#   ./dev.sh test  install with test tools, run the linter and every test (browser tests too)
# When run as root or with password-less sudo, each installs the Debian packages it needs.
set -eu
cd "$(dirname "$0")"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif sudo -n true 2>/dev/null; then sudo -n "$@"; else
        return 1; fi
}

system_packages() {
    # $@: Debian packages wanted; installs the missing ones when it can, else says which.
    missing=""
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing="$missing $package"
    done
    [ -z "$missing" ] && return 0
    if as_root true; then
        echo "Installing Debian packages:$missing"
        DEBIAN_FRONTEND=noninteractive as_root apt-get update -qq </dev/null
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
            $missing </dev/null >/dev/null
    else
        echo "Missing Debian packages:$missing (install them, or run as root)" >&2
    fi
}

venv() {
    python3 -m venv --help >/dev/null 2>&1 && python3 -c "import ensurepip" 2>/dev/null \
        || system_packages python3-venv
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
    # Chromium and its fonts for the browser tests; Node.js and npm fetch axe-core and
    # oidc-provider, the OpenID provider of the national sign-in tests (a Node.js already
    # there is kept).
    if command -v npm >/dev/null; then
        system_packages chromium fonts-dejavu-core
    else
        system_packages chromium fonts-dejavu-core nodejs npm
    fi
    venv ".[test]"
    if [ ! -f node_modules/axe-core/axe.min.js ] \
            || [ ! -f node_modules/oidc-provider/package.json ]; then
        npm ci --no-audit --no-fund --silent
    fi
    .venv/bin/ruff check webapp tests tools benchmarks
    exec .venv/bin/pytest -n "${TEST_WORKERS:-auto}" tests
    ;;
*)
    echo "usage: ./dev.sh run | ./dev.sh test" >&2
    exit 2
    ;;
esac
