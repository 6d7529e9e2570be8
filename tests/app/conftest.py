"""Viewer windows for the tests: small, instant transitions, settings in a temporary file.

Creating a window costs about a second (OpenGL, the renderer's actors), so most tests of
a module share one window, put back to its first step before each test (``viewer``);
tests that need a window of their own ask for ``make_viewer``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from discviz.app.launch import application
from discviz.app.settings import ViewerSettings
from discviz.app.window import ViewerWindow
from discviz.scene.load import load_scene
from tests.app.helpers import wait_until

WINDOW_SIZE = (880, 600)
BUNDLED = "discogenic-pain"
FAST = {"quality": "low"}  # coarser meshes: the tests check behaviour, not looks


@pytest.fixture(scope="session")
def qapp():  # pytest-qt's fixture, made by the viewer's own set-up (format, style)
    return application()


def _settings(folder: Path) -> ViewerSettings:
    return ViewerSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def settings(tmp_path: Path) -> ViewerSettings:
    return _settings(tmp_path)


def open_window(scene: str | Path, settings: ViewerSettings, speed: float = 0.0,
                size: tuple[int, int] = WINDOW_SIZE, fast: bool = True, **options) -> ViewerWindow:
    """A shown window whose first frame is on screen."""
    window = ViewerWindow(load_scene(scene), str(scene), settings=settings, speed=speed, **options)
    if fast:
        window.overrides.params.update(FAST)
        window.redraw()
    window.resize(*size)
    window.show()
    window.activateWindow()
    wait_until(lambda: window.view.has_size() and window._frames_painted > 0)
    return window


def check_no_error(window: ViewerWindow) -> None:
    """No test may leave an unexpected error in the banner."""
    assert window.banner.kind != "problem", window.banner.text


@pytest.fixture
def make_viewer(qtbot, settings: ViewerSettings) -> Iterator[Callable[..., ViewerWindow]]:
    windows: list[ViewerWindow] = []

    def make(scene: str | Path = BUNDLED, **options) -> ViewerWindow:
        window = open_window(scene, settings, **options)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        check_no_error(window)


@pytest.fixture(scope="module")
def shared_viewer(qapp, tmp_path_factory) -> Iterator[ViewerWindow]:
    window = open_window(BUNDLED, _settings(tmp_path_factory.mktemp("settings")))
    yield window
    window.close()
    window.deleteLater()


def reset(window: ViewerWindow) -> None:
    """Back to how the window starts: first step, English, patient, nothing overridden."""
    if window.black:
        window.toggle_black()
    if window.isFullScreen():
        window.toggle_fullscreen()
    if not window.labels_visible:
        window.toggle_labels()
    window.instructor.hide()
    window.step_list.show()
    window.banner.clear()
    if window.export_error is not None:
        window.export_error.close()
    window.overrides.cutaway = None
    window.overrides.params.clear()
    window.overrides.params.update(FAST)
    window.preset_name = ""
    window.instructor.show_preset("")
    window.playback.speed = 0.0
    window.set_language("en")
    window.set_audience("patient")
    window.go_to(0)
    window.activateWindow()
    wait_until(lambda: not window.playback.animating and window.view.has_size())


@pytest.fixture
def viewer(shared_viewer: ViewerWindow) -> Iterator[ViewerWindow]:
    reset(shared_viewer)
    yield shared_viewer
    check_no_error(shared_viewer)
