"""Start the viewer: check the arguments, the application, OpenGL, then open the window."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from discviz.app.glcheck import (
    OpenGLUnavailable,
    display_problem,
    install_surface_format,
    opengl_message,
    opengl_problem,
    show_opengl_dialog,
)
from discviz.app.safety import install_excepthook
from discviz.app.settings import ViewerSettings
from discviz.app.uitext import set_ui_language
from discviz.errors import InputError, Problem, did_you_mean
from discviz.scene.load import load_scene
from discviz.scene.model import Scene
from discviz.scene.patient import Patient

DEFAULT_SCENE = "discogenic-pain"


def step_index(scene: Scene, step_id: str | None) -> int:
    """The index of the step ``step_id`` (0 when None); InputError for an unknown id."""
    if step_id is None:
        return 0
    ids = [step.id for step in scene.steps]
    if step_id in ids:
        return ids.index(step_id)
    raise InputError([Problem("--step", f"no step '{step_id}' in the scene{did_you_mean(step_id, ids)}; "
                              f"steps: {', '.join(ids)}")])


def check_language(scene: Scene, language: str | None) -> str | None:
    """``--lang`` must be one of the scene's languages."""
    if language is None or language in scene.languages:
        return language
    raise InputError([Problem("--lang", f"the scene has no language '{language}'"
                              f"{did_you_mean(language, scene.languages)}; "
                              f"it has: {', '.join(scene.languages)}")])


def dark_palette() -> QPalette:
    """Dark surroundings, so the 3D view and the captions stand out (also on a projector)."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1a222c", QPalette.ColorRole.WindowText: "#e8ecf0",
        QPalette.ColorRole.Base: "#141b23", QPalette.ColorRole.AlternateBase: "#1f2933",
        QPalette.ColorRole.Text: "#e8ecf0", QPalette.ColorRole.Button: "#2d3b4a",
        QPalette.ColorRole.ButtonText: "#f4f4ef", QPalette.ColorRole.Highlight: "#c98a2b",
        QPalette.ColorRole.HighlightedText: "#10161d", QPalette.ColorRole.ToolTipBase: "#2d3b4a",
        QPalette.ColorRole.ToolTipText: "#f4f4ef", QPalette.ColorRole.PlaceholderText: "#8a96a3",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6c7a88"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6c7a88"))
    return palette


def application() -> QApplication:
    """The QApplication, made high-DPI aware and styled (an existing one is reused)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    install_surface_format()  # before any window: VTK needs desktop OpenGL 3.2 core
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("discviz")
    app.setApplicationName("discviz")
    app.setApplicationDisplayName("discviz")
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), 11.0))  # menus and dialogs readable from a step back
    app.setFont(font)
    app.setPalette(dark_palette())
    return app


def run_viewer(scene_ref: str | None = None, language: str | None = None, audience: str | None = None,
               step: str | None = None, fullscreen: bool = False,
               settings: ViewerSettings | None = None, patient: Patient | None = None) -> int:
    """Open the viewer and run until it closes; the exit code (1 when OpenGL cannot start)."""
    from discviz.app.window import ViewerWindow

    ref = scene_ref or DEFAULT_SCENE
    scene = load_scene(ref)  # bad input: InputError before any window (exit 2)
    language = check_language(scene, language)
    start = step_index(scene, step)
    no_display = display_problem()
    if no_display is not None:
        print(f"discviz: {opengl_message(no_display)}", file=sys.stderr)
        return 1
    app = application()
    settings = settings if settings is not None else ViewerSettings()
    if language is None and settings.language in scene.languages:
        language = settings.language
    if audience is None:
        audience = settings.audience
    set_ui_language(language or scene.languages[0])  # a dialog before the window speaks it too
    problem = opengl_problem()
    if problem is not None:
        show_opengl_dialog(problem)
        return 1
    try:
        window = ViewerWindow(scene, ref, language=language, audience=audience, start_index=start,
                              settings=settings, patient=patient)
    except OpenGLUnavailable as error:
        show_opengl_dialog(str(error))
        return 1
    settings.last_scene = ref
    settings.add_recent(ref)
    previous_hook = install_excepthook(window)
    previous_sigint = signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer(window)  # let Python see Ctrl+C while Qt waits for events
    wake.timeout.connect(lambda: None)
    wake.start(250)
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()
    try:
        return int(app.exec())
    finally:
        wake.stop()
        sys.excepthook = previous_hook
        signal.signal(signal.SIGINT, previous_sigint)
