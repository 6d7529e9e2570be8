"""Live reload: a broken edit shows its problems and keeps the last good scene; a fix clears it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.app.helpers import settle

pytestmark = pytest.mark.gui
VALID = Path(__file__).parents[1] / "scene" / "valid"


def replace_file(path: Path, text: str) -> None:
    """Save the way many editors do: write a new file, rename it over the old one."""
    fresh = path.with_suffix(".tmp")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def test_broken_then_mended_scene(qtbot, make_viewer, tmp_path) -> None:
    folder = tmp_path / "scene"
    shutil.copytree(VALID, folder)
    scene_file = folder / "scene.toml"
    good = scene_file.read_text(encoding="utf-8")
    viewer = make_viewer(scene_file)
    viewer.go_to(1)
    settle(qtbot, viewer)
    assert viewer.windowTitle().startswith("Test scene")

    scene_file.write_text(good.replace('state = "ruptured"', 'state = "rupturd"'), encoding="utf-8")
    qtbot.waitUntil(viewer.banner.isVisible, timeout=5000)
    assert "rupturd" in viewer.banner.text and "did you mean 'ruptured'" in viewer.banner.text
    assert f"{scene_file}:" in viewer.banner.text  # FILE:LINE: message
    assert viewer.scene.steps[1].state == "ruptured"  # the last good scene stays
    assert viewer.playback.index == 1 and viewer.view.frame.disc_state == "ruptured"

    replace_file(scene_file, good.replace('title = { en = "Test scene"', 'title = { en = "Mended scene"'))
    qtbot.waitUntil(lambda: not viewer.banner.isVisible(), timeout=5000)
    assert viewer.windowTitle().startswith("Mended scene")
    assert viewer.playback.index == 1  # still on the same step

    replace_file(scene_file, "format = 1\n[[steps]\n")  # an editor replacing the file again
    qtbot.waitUntil(viewer.banner.isVisible, timeout=5000)
    assert "not valid TOML" in viewer.banner.text
    replace_file(scene_file, good)
    qtbot.waitUntil(lambda: not viewer.banner.isVisible(), timeout=5000)
    assert viewer.windowTitle().startswith("Test scene")


def test_opening_a_broken_scene_keeps_the_current_one(qtbot, viewer, tmp_path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("format = 2\n", encoding="utf-8")
    assert viewer.open_scene(str(broken)) is False
    assert viewer.banner.isVisible() and f"{broken}" in viewer.banner.text
    assert viewer.scene.title.get("en") == "Why does my back hurt?"
    viewer.banner.clear()
    assert viewer.open_scene("discogenic-pain-lecture")
    assert viewer.scene.audience == "clinician"
    assert viewer.settings.recent[0] == "discogenic-pain-lecture"
    assert viewer.open_scene("discogenic-pain")
