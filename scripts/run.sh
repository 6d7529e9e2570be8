#!/usr/bin/env bash
# The main job, on a fresh machine: install discviz into .venv, then open the viewer on the
# built-in explanation. With no display (a server, CI) it renders every step to PNG instead
# and says where. Extra arguments go to `discviz present`.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$DISCVIZ_ROOT"

apt_ensure "${RUNTIME_DEBS[@]}" || say "continuing; rendering may fail without them"
ensure_venv ""

if [[ "$(uname)" == "Linux" && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  out="$DISCVIZ_ROOT/out/discogenic-pain"
  say "no display here: rendering the built-in explanation to $out"
  mkdir -p "$DISCVIZ_ROOT/out"  # discviz makes only the last folder of a path itself
  "$VENV/bin/discviz" render discogenic-pain -o "$out" --overwrite  # out/ is its own folder
  say "done: open the PNG files in $out"
else
  exec "$VENV/bin/discviz" present "$@"
fi
