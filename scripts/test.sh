#!/usr/bin/env bash
# The whole test suite, on a fresh machine: virtual environment, system libraries, Xvfb for
# the window tests, then ruff, the layer contracts and pytest. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$DISCVIZ_ROOT"

apt_ensure "${RUNTIME_DEBS[@]}" "${GUI_TEST_DEBS[@]}" ||
  say "continuing without them: the tests that need them will fail and say why"
ensure_venv "[test]"

say "ruff"
"$VENV/bin/ruff" check --quiet .
say "layer contracts (import-linter)"
"$VENV/bin/lint-imports" --no-cache >/dev/null || "$VENV/bin/lint-imports" --no-cache

export PYTHONHASHSEED=0
# two workers; the tests that open windows all on one of them (tests/conftest.py: the workers
# share one X display, and keyboard focus)
run_pytest=("$VENV/bin/python" -m pytest -q -n "${DISCVIZ_TEST_WORKERS:-2}" --dist loadgroup "$@")
if [[ -z "${DISPLAY:-}" && "$(uname)" == "Linux" ]] && command -v xvfb-run >/dev/null 2>&1; then
  say "pytest (window tests under Xvfb)"
  exec xvfb-run -a -s "-screen 0 1920x1080x24" "${run_pytest[@]}"
fi
say "pytest"
exec "${run_pytest[@]}"
