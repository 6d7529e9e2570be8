# Shared by scripts/run.sh and scripts/test.sh: make the project's virtual environment and
# install what the machine lacks. Sourced, not run. Debian/Ubuntu packages come from apt
# when we are root (or have sudo); elsewhere we say exactly what to install.

DISCVIZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$DISCVIZ_ROOT/.venv"

say() { printf '[discviz] %s\n' "$*" >&2; }

# apt_ensure PKG...: install the Debian packages that are missing.
apt_ensure() {
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: nothing to do here
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      say "missing system packages; please run:  sudo apt-get install -y ${missing[*]}"
      return 1
    fi
  fi
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Libraries VTK (EGL offscreen rendering) and Qt need at run time, and a font with
# Chinese glyphs for captions (Windows and macOS ship one; Debian does not).
RUNTIME_DEBS=(libgl1 libegl1 libgl1-mesa-dri libglib2.0-0 libfontconfig1 libdbus-1-3
  libxkbcommon0 libxrender1 libxext6 libx11-xcb1 fonts-wqy-microhei)
# Qt's xcb platform plugin and the virtual X server, for the window tests.
GUI_TEST_DEBS=(xvfb xauth libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-cursor0)

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  say "discviz needs Python 3.11 or newer; please install it (Debian: apt-get install python3)"
  return 1
}

# ensure_venv EXTRAS: create .venv if needed and install discviz (editable) with EXTRAS
# ("" or "[test]"). run.sh and test.sh share the environment: the stamp records the
# pyproject.toml it was installed from and the extras installed, and an install is redone
# only when pyproject.toml changed or an extra is missing (so test.sh's [test] serves run.sh).
# pip's own chatter (and setuptools' notes on editable installs) goes to .venv/install.log,
# shown only when the installation fails.
ensure_venv() {
  local extras="$1" python stamp project have want log
  python=$(find_python) || return 1
  if [[ ! -x "$VENV/bin/python" ]]; then
    if ! "$python" -m venv "$VENV" >/dev/null 2>&1; then
      rm -rf "$VENV"
      apt_ensure python3-venv || return 1
      "$python" -m venv "$VENV"
    fi
  fi
  stamp="$VENV/.discviz-installed"
  project="$(cksum <"$DISCVIZ_ROOT/pyproject.toml")"
  have=""
  if [[ -f $stamp && "$(head -n 1 "$stamp")" == "$project" ]]; then
    have="$(sed -n 2p "$stamp")"
    [[ -z "$extras" || "$have" == *"$extras"* ]] && return 0
  fi
  want="$extras"
  [[ "$have" == *"[test]"* || "$extras" == "[test]" ]] && want="[test]"
  log="$VENV/install.log"
  say "installing discviz and its dependencies into .venv (first time: a few minutes)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >"$log" 2>&1 || true
  if ! PYTHONWARNINGS=ignore "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
      -e "$DISCVIZ_ROOT$want" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    say "installation failed; the whole log is $log"
    return 1
  fi
  "$VENV/bin/python" -c "import discviz, pyvista, PySide6, PIL" || { say "installation failed"; return 1; }
  printf '%s\n%s\n' "$project" "$want" >"$stamp"
}
