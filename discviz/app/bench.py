"""Start-up speed of the viewer: time to its first rendered frame, side by side with a bare
PySide6 + pyvistaqt window showing one mesh (the floor any Qt/VTK viewer pays).

Each measurement is a fresh process (imports included), timed from launch to the moment
its first frame reaches the screen; viewer and bare runs alternate. Without a display on
Linux the whole measurement runs under ``xvfb-run``. ``python -m discviz.app.bench``
prints the same JSON as ``discviz bench --what app``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READY = "DISCVIZ-FIRST-FRAME"
TIMEOUT = 120.0
XVFB_SCREEN = "-screen 0 1920x1080x24"


def _child_viewer() -> None:
    """Open the viewer as `discviz` does and quit after its first frame."""
    from PySide6.QtCore import QSettings

    from discviz.app.glcheck import opengl_problem
    from discviz.app.launch import DEFAULT_SCENE, application
    from discviz.app.settings import ViewerSettings
    from discviz.app.window import ViewerWindow
    from discviz.scene.load import load_scene

    scene = load_scene(DEFAULT_SCENE)
    app = application()
    if opengl_problem() is not None:
        raise SystemExit("no OpenGL")
    with tempfile.TemporaryDirectory() as folder:
        settings = ViewerSettings(QSettings(os.path.join(folder, "s.ini"), QSettings.Format.IniFormat))
        window = ViewerWindow(scene, DEFAULT_SCENE, settings=settings)
        window.resize(1280, 800)
        window.first_frame.connect(lambda: _ready(app))
        window.show()
        app.exec()
        window.close()


def _child_bare() -> None:
    """A plain QMainWindow with a QtInteractor showing a sphere; quit after its first frame."""
    import pyvista as pv
    from PySide6.QtWidgets import QApplication, QMainWindow
    from pyvistaqt import QtInteractor

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    plotter = QtInteractor(window, auto_update=False)
    window.setCentralWidget(plotter)
    plotter.add_mesh(pv.Sphere())
    done = {"first": False}

    def swapped() -> None:
        if not done["first"]:
            done["first"] = True
            _ready(app)

    plotter.frameSwapped.connect(swapped)
    window.show()
    app.exec()
    plotter.close()


def _ready(app: object) -> None:
    print(READY, flush=True)
    app.quit()  # type: ignore[attr-defined]


def _time_child(kind: str) -> float:
    """Seconds from launching a child process to its first frame."""
    command = [sys.executable, "-m", "discviz.app.bench", "--child", kind]
    start = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == READY:
                elapsed = time.perf_counter() - start
                break
            if time.perf_counter() - start > TIMEOUT:
                child.kill()
                raise RuntimeError(f"the {kind} window did not show a frame within {TIMEOUT:.0f} s")
        else:
            raise RuntimeError(f"the {kind} window ended before its first frame (exit {child.wait()})")
        child.wait(timeout=TIMEOUT)
    return elapsed


def _summary(values: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(values), 3), "min_s": round(min(values), 3),
            "max_s": round(max(values), 3)}


def _measure(repeat: int) -> dict:
    viewer: list[float] = []
    bare: list[float] = []
    for round_number in range(repeat):  # alternate the order: neither side always goes first
        order = ("viewer", "bare") if round_number % 2 == 0 else ("bare", "viewer")
        for kind in order:
            (viewer if kind == "viewer" else bare).append(_time_child(kind))
    ours, floor = statistics.median(viewer), statistics.median(bare)
    return {
        "what": "seconds from process launch to the first rendered frame (imports included)",
        "repeat": repeat,
        "viewer_discogenic_pain": _summary(viewer),
        "bare_pyside6_pyvistaqt_one_mesh": _summary(bare),
        "viewer_extra_s": round(ours - floor, 3),
        "viewer_vs_bare_ratio": round(ours / floor, 2) if floor > 0 else None,
        "display": os.environ.get("DISPLAY", ""),
    }


def _needs_xvfb() -> bool:
    return (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY"))


def _compile_discviz() -> None:
    """Bytecode for discviz, as an installation has it: pip compiles every module, and the
    libraries the bare window imports are compiled in site-packages. A source checkout run
    with PYTHONDONTWRITEBYTECODE (set on some machines) would compile discviz at every start.
    """
    compileall.compile_dir(str(Path(__file__).resolve().parents[1]), quiet=2)


def run_bench(repeat: int) -> dict:
    """Start-up of the viewer against a bare Qt/VTK window, ``repeat`` runs of each."""
    _compile_discviz()
    if not _needs_xvfb():
        return _measure(repeat)
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        return {"skipped": "no display and no xvfb-run: the start-up of a window cannot be measured"}
    command = [xvfb, "-a", "-s", XVFB_SCREEN, sys.executable, "-m", "discviz.app.bench",
               "--repeat", str(repeat)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT * 2 * repeat + 60)
    if result.returncode != 0:
        raise RuntimeError(f"the app bench failed under xvfb-run: {result.stderr.strip()[-500:]}")
    report = json.loads(result.stdout)
    report["display"] = "xvfb-run (software OpenGL)"
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m discviz.app.bench [--repeat N]`` (``--child`` is for the measured processes)."""
    parser = argparse.ArgumentParser(prog="python -m discviz.app.bench")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=("viewer", "bare"))
    args = parser.parse_args(argv)
    if args.child == "viewer":
        _child_viewer()
    elif args.child == "bare":
        _child_bare()
    else:
        print(json.dumps(run_bench(max(args.repeat, 1)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
