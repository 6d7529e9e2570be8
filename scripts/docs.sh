#!/usr/bin/env bash
# Regenerate the parts of docs/ that come from the code (command options, scene keys and
# limits, named views, structures, groups, parameters, presets). Run it after changing any
# of those; tests/test_docs.py fails while a page differs from what the code makes.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$DISCVIZ_ROOT"
ensure_venv ""
exec "$VENV/bin/python" -m discviz.cli.docs "$@"
