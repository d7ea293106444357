#!/usr/bin/env bash
# The two commands of the README: `bash installer/dev.sh demo` and `bash installer/dev.sh test`.
# Each creates ./.venv if needed (Python 3.12+ preferred, 3.11 works), installs the project
# into it and runs. Safe to run again: it only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
    for candidate in python3.13 python3.12 python3 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "Hall Console needs Python 3.11 or newer" >&2
    exit 1
}

venv() {
    if [ ! -x .venv/bin/python ]; then
        "$(pick_python)" -m venv .venv
        .venv/bin/python -m pip install --quiet --upgrade pip
    fi
}

case "${1:-}" in
demo)
    shift
    venv
    .venv/bin/python -m pip install --quiet -e .
    .venv/bin/python installer/translations.py build
    exec .venv/bin/hall-console --demo "$@"
    ;;
test)
    shift
    venv
    .venv/bin/python -m pip install --quiet -e '.[test]'
    .venv/bin/python installer/translations.py build
    .venv/bin/ruff check .
    .venv/bin/lint-imports
    .venv/bin/mypy
    exec .venv/bin/python -m pytest "$@"
    ;;
*)
    echo "usage: bash installer/dev.sh demo|test [args…]" >&2
    exit 2
    ;;
esac
