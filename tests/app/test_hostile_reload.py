"""The viewer survives every hostile input on live reload: an edit that points at a broken
picture, a picture or scene swapped for a named pipe or a device, a scene in the wrong
encoding or with values out of bounds. Each shows the problem in the banner, naming the
file, while the last good scene stays on screen; mending the file clears it. An export that
cannot be written is a dialog, and the window carries on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from discviz.app.settings import ViewerSettings
from discviz.app.window import ViewerWindow
from tests.app.conftest import check_no_error, open_window
from tests.app.helpers import pixels, settle, wait_until
from tests.hostile import files

pytestmark = pytest.mark.gui

GOOD = """format = 1
title = "Hostile reload"
[defaults]
transition = 0.2
[[steps]]
id = "one"
state = "healthy"
caption = "A disc."
[[steps]]
id = "two"
state = "ruptured"
caption = "A crack, with a picture."
image = "figure.png"
"""
SPECIAL = "not a file: give the path of a file"


def replace(path: Path, data: bytes) -> None:
    """Save the way editors do: a new file renamed over the old one."""
    fresh = path.with_name(".incoming")
    fresh.write_bytes(data)
    os.replace(fresh, path)


def replace_with_fifo(path: Path) -> None:
    fresh = files.fifo(path.with_name(".incoming"))
    os.replace(fresh, path)


def edit(text: str) -> Callable[[Path], None]:
    return lambda folder: replace(folder / "scene.toml", text.encode("utf-8"))


def picture(data: bytes) -> Callable[[Path], None]:
    return lambda folder: replace(folder / "figure.png", data)


def jpeg(data: bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "figure.jpg").write_bytes(data)
        replace(folder / "scene.toml", GOOD.replace("figure.png", "figure.jpg").encode("utf-8"))
    return make


def scene_fifo(folder: Path) -> None:
    replace_with_fifo(folder / "scene.toml")


def picture_fifo(folder: Path) -> None:
    replace_with_fifo(folder / "figure.png")


def scene_device(folder: Path) -> None:
    link = folder / ".incoming"
    link.symlink_to("/dev/zero")
    os.replace(link, folder / "scene.toml")


def scene_folder(folder: Path) -> None:
    (folder / "scene.toml").unlink()
    (folder / "scene.toml").mkdir()


IMAGE_LINE = 13
CASES: dict[str, tuple[Callable[[Path], None], Callable[[Path], str]]] = {
    "corrupt PNG": (picture(files.corrupt_png()),
                    lambda f: f"{f / 'scene.toml'}:{IMAGE_LINE}: image 'figure.png' "
                              "is damaged (its data does not match its checksums)"),
    "PNG cut short": (picture(files.truncated(files.picture("PNG"))),
                      lambda f: "image 'figure.png' is damaged (the file is cut short)"),
    "corrupt JPEG": (jpeg(files.corrupt_jpeg()),
                     lambda f: "image 'figure.jpg' is damaged (its compressed data is corrupt)"),
    "bomb": (picture(files.bomb_png()), lambda f: "image 'figure.png' is too large: 900 million pixels"),
    "picture is a named pipe": (picture_fifo, lambda f: f"image 'figure.png' is a named pipe, {SPECIAL}"),
    "scene is a named pipe": (scene_fifo, lambda f: f"{f / 'scene.toml'}: is a named pipe, {SPECIAL}"),
    "scene is /dev/zero": (scene_device, lambda f: f"{f / 'scene.toml'}: is a device, {SPECIAL}"),
    "scene is a folder": (scene_folder, lambda f: f"{f / 'scene.toml'}: is a folder, {SPECIAL}"),
    "UTF-16": (lambda f: replace(f / "scene.toml", GOOD.encode("utf-16")),
               lambda f: f"{f / 'scene.toml'}: saved as UTF-16, not UTF-8"),
    "NUL in a caption": (edit(GOOD.replace("A disc.", "A\\u0000disc.")),
                         lambda f: f"{f / 'scene.toml'}:8: caption contains a control character (U+0000)"),
    "caption of 880 KB": (edit(GOOD.replace("A disc.", "x" * 880_000)),
                          lambda f: "caption is 880000 characters long; a caption may have at most 600"),
    "transition 1e12": (edit(GOOD.replace("transition = 0.2", "transition = 1e12")),
                        lambda f: f"{f / 'scene.toml'}:4: transition must be between 0 and 20 seconds, "
                                  "got 1e+12"),
    "step id of 300 characters": (edit(GOOD.replace('"two"', '"' + "t" * 300 + '"')),
                                  lambda f: "is 300 characters long; at most 64 (it becomes a file name)"),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-reload")


def mend(folder: Path) -> None:
    """The good scene and picture back (whatever a case left in their place)."""
    for name in ("scene.toml", "figure.png"):
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
    replace(folder / "figure.png", files.picture("PNG", (160, 120)))
    replace(folder / "scene.toml", GOOD.encode("utf-8"))


@pytest.fixture(scope="module")
def window(qapp, folder: Path) -> Iterator[ViewerWindow]:
    mend(folder)
    settings = ViewerSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    viewer = open_window(folder / "scene.toml", settings)
    viewer.go_to(1)
    wait_until(lambda: not viewer.playback.animating)
    yield viewer
    viewer.close()
    viewer.deleteLater()


def view_is_drawn(viewer: ViewerWindow) -> bool:
    """The 3D view shows the disc, not a blank: many distinct colours."""
    image = pixels(viewer.view.grab_image())
    return len(np.unique(image.reshape(-1, 3)[::7], axis=0)) > 50


@pytest.mark.parametrize("case", list(CASES))
def test_the_viewer_survives_it_on_live_reload(qtbot, window: ViewerWindow, folder: Path, case: str) -> None:
    make, message = CASES[case]
    good = window.scene
    assert window.playback.index == 1 and window.view.frame.disc_state == "ruptured"
    make(folder)
    qtbot.waitUntil(window.banner.isVisible, timeout=10000)
    assert message(folder) in window.banner.text
    assert window.scene is good and window.playback.index == 1  # the last good scene stays
    assert window.view.frame.disc_state == "ruptured" and window.view.frame.image == folder / "figure.png"
    assert view_is_drawn(window)
    window.redraw()  # drawing the last good scene again still works
    settle(qtbot, window)
    assert window.view.renderer.overlay.inset.GetVisibility()  # its picture too, as last decoded
    mend(folder)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=10000)
    assert window.playback.index == 1
    check_no_error(window)


def test_an_export_that_cannot_be_written_is_a_dialog(qtbot, window: ViewerWindow, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    target = tmp_path / "missing" / "deeper" / "model.glb"
    assert window.export_model(target) is None
    dialog = window.export_error
    assert dialog is not None and dialog.isVisible()
    assert dialog.text() == f"The folder {target.parent} does not exist. Choose another folder."
    dialog.close()
    target = tmp_path / "a-file" / "view.png"
    assert window.save_picture(target) is None
    assert window.export_error is not None and window.export_error.isVisible()
    assert window.export_error.text() == f"{target.parent} is a file, not a folder. Choose a folder."
    window.export_error.close()
    assert list(tmp_path.iterdir()) == [tmp_path / "a-file"]
    check_no_error(window)  # a dialog, not the banner; the window carries on
    window.go_to(0)
    settle(qtbot, window)
    assert view_is_drawn(window)
