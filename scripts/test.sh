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
pytest_command=("$VENV/bin/python" -m pytest -q)
display=() rest_display=()  # each pytest process gets its own Xvfb when there is no display
if [[ -z "${DISPLAY:-}" && "$(uname)" == "Linux" ]] && command -v xvfb-run >/dev/null 2>&1; then
  display=(xvfb-run -a -s "-screen 0 1920x1080x24")
  rest_display=(xvfb-run -a -n 150 -s "-screen 0 1920x1080x24")  # display numbers apart: no race
fi
if [[ $# -gt 0 || "${DISCVIZ_TEST_PROCESSES:-2}" == 1 ]]; then
  say "pytest"
  exec "${display[@]}" "${pytest_command[@]}" "$@"
fi
# The whole suite as two pytest processes side by side (it is CPU-bound and mostly
# single-threaded): the tests that open windows in one, the rest in the other. Each has its
# own X display, since a window takes the keyboard focus of its display.
window_tests=(tests/app tests/hostile/test_inputs.py)
rest_log="$(mktemp)"
say "pytest: the window tests, with the rest beside them (their report follows)"
"${rest_display[@]}" "${pytest_command[@]}" "${window_tests[@]/#/--ignore=}" \
  >"$rest_log" 2>&1 &
rest_pid=$!
windows_status=0
"${display[@]}" "${pytest_command[@]}" "${window_tests[@]}" || windows_status=$?
rest_status=0
wait "$rest_pid" || rest_status=$?
say "pytest: the rest"
cat "$rest_log"
rm -f "$rest_log"
exit $((windows_status != 0 ? windows_status : rest_status))
