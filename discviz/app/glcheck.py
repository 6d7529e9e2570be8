"""Can this computer draw the 3D view? If not, say so in plain words instead of crashing."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext, QSurfaceFormat
from PySide6.QtWidgets import QMessageBox, QWidget

from discviz.app.uitext import tr, tr_noop

NEEDED_VERSION = (3, 2)
#: Qt platforms that cannot host an OpenGL widget at all.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "linuxfb"})

FALLBACK_ADVICE = tr_noop(
    "You can still make the pictures and the video of an explanation without a 3D window:\n\n"
    "    discviz render discogenic-pain -o pictures\n"
    "    discviz render discogenic-pain -o pictures --video explanation.mp4\n\n"
    "To use the viewer, update the graphics driver, or on a remote connection start discviz "
    "on the computer itself. Setting the environment variable QT_OPENGL=software (Windows) or "
    "LIBGL_ALWAYS_SOFTWARE=1 (Linux) makes a slower software renderer do the drawing."
)


class OpenGLUnavailable(RuntimeError):
    """The 3D view could not start; the message says why in plain words."""


def surface_format() -> QSurfaceFormat:
    """The format VTK needs: desktop OpenGL 3.2 core, as pyvistaqt's widget asks for."""
    fmt = QSurfaceFormat()
    fmt.setRenderableType(QSurfaceFormat.RenderableType.OpenGL)
    fmt.setProfile(QSurfaceFormat.OpenGLContextProfile.CoreProfile)
    fmt.setVersion(*NEEDED_VERSION)
    fmt.setSwapBehavior(QSurfaceFormat.SwapBehavior.DoubleBuffer)
    for setter in (fmt.setRedBufferSize, fmt.setGreenBufferSize, fmt.setBlueBufferSize,
                   fmt.setAlphaBufferSize, fmt.setDepthBufferSize):
        setter(8)
    fmt.setStencilBufferSize(0)
    fmt.setSamples(0)
    return fmt


def install_surface_format() -> None:
    """Make the format the process default; must run before the first window exists."""
    QSurfaceFormat.setDefaultFormat(surface_format())


def display_problem() -> str | None:
    """Why no window can open at all (checked before Qt starts, which would abort), or None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in HEADLESS_PLATFORMS:
        return f"QT_QPA_PLATFORM={platform} has no screen to draw a 3D view on."
    if (sys.platform.startswith("linux") and not platform and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")):
        return ("There is no screen to open a window on (no DISPLAY or WAYLAND_DISPLAY: "
                "a server, a plain terminal or a remote shell without a desktop).")
    return None


def opengl_problem() -> str | None:
    """Why the 3D view cannot start here, or None when an OpenGL 3.2 context works."""
    platform = QGuiApplication.platformName()
    if platform in HEADLESS_PLATFORMS:
        return tr("The window system '{platform}' has no screen to draw a 3D view on "
                  "(this happens on a server or in a terminal without a desktop).").format(platform=platform)
    context = QOpenGLContext()
    context.setFormat(surface_format())
    if not context.create():
        return tr("The graphics driver did not give discviz an OpenGL drawing context.")
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not surface.isValid() or not context.makeCurrent(surface):
            return tr("The graphics driver could not start OpenGL drawing.")
        got = context.format()
        version = (got.majorVersion(), got.minorVersion())
        context.doneCurrent()
    finally:
        surface.destroy()
    if version < NEEDED_VERSION:
        need = ".".join(map(str, NEEDED_VERSION))
        needs = tr("The graphics driver offers OpenGL {got}; the 3D view needs OpenGL {need} or newer.")
        return needs.format(got=f"{version[0]}.{version[1]}", need=need)
    return None


def opengl_message(problem: str) -> str:
    """The whole text of the dialog."""
    return f"{tr('The 3D view cannot start on this computer.')}\n\n{problem}\n\n{tr(FALLBACK_ADVICE)}"


def show_opengl_dialog(problem: str, parent: QWidget | None = None) -> None:
    """A plain-words dialog instead of a crash (and the same words on stderr)."""
    print(f"discviz: {opengl_message(problem)}", file=sys.stderr)
    if QGuiApplication.platformName() in HEADLESS_PLATFORMS:
        return  # nobody could click the dialog away
    box = QMessageBox(QMessageBox.Icon.Warning, tr("discviz: no 3D view"), opengl_message(problem),
                      QMessageBox.StandardButton.Close, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
