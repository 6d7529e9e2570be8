"""Exports from the menu: a picture of the view, the 3D model as glTF, the video."""

from __future__ import annotations

import errno
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from discviz.app import export, files
from discviz.app.export import parse_progress
from tests.app.helpers import settle

pytestmark = pytest.mark.gui
TINY = Path(__file__).with_name("tiny.toml")

FAKE_RENDER = """
import sys, time
output, seconds = sys.argv[1], float(sys.argv[2])
for done in range(1, 5):
    print(f"\\rvideo [{'#' * done}] {done}/4", end="", file=sys.stderr, flush=True)
    time.sleep(seconds)
open(output, "wb").write(b"video")
"""

FAILING_RENDER = "import sys; print('ffmpeg: no codec', file=sys.stderr); sys.exit(1)"


def test_picture_of_the_view(qtbot, viewer, tmp_path) -> None:
    viewer.go_to(2)
    settle(qtbot, viewer)
    path = viewer.save_picture(tmp_path / "view")
    assert path == tmp_path / "view.png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert (image.width(), image.height()) == (viewer.view.plotter.width(), viewer.view.plotter.height())
    assert viewer.view.frame.title == "A crack starts inside"  # the frame on screen is unchanged


def test_model_as_gltf(qtbot, viewer, tmp_path) -> None:
    viewer.go_to(4)
    settle(qtbot, viewer)
    path = viewer.export_model(tmp_path / "model.glb")
    data = path.read_bytes()
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert (magic, version, length) == (b"glTF", 2, len(data))
    names = {name for name, alpha in viewer.view.frame.opacity.items() if alpha > 0.01}
    assert all(name.encode() in data for name in names)


def start_fake_video(viewer, tmp_path, seconds: str):
    """Export a video with a stand-in for `discviz render` that takes ``seconds``."""
    script = tmp_path / "fake_render.py"
    script.write_text(FAKE_RENDER, encoding="utf-8")
    output = tmp_path / "talk.mp4"
    viewer.export_video(output, "640x360", program=sys.executable,
                        arguments=[str(script), str(output), seconds])
    return output


def test_video_progress_and_finish(qtbot, viewer, tmp_path) -> None:
    output = start_fake_video(viewer, tmp_path, "0.15")
    assert viewer.video_dialog is not None and viewer.video_dialog.isVisible()
    viewer.next_step()  # the window stays usable while the video is made
    assert viewer.playback.index == 1
    qtbot.waitUntil(lambda: viewer.video_dialog is None, timeout=10000)
    assert output.read_bytes() == b"video"
    assert viewer.banner.kind == "info" and str(output) in viewer.banner.text


def test_video_cancel(qtbot, viewer, tmp_path) -> None:
    output = start_fake_video(viewer, tmp_path, "5")
    qtbot.waitUntil(lambda: viewer.video is not None and viewer.video.running, timeout=5000)
    viewer.video_dialog.findChild(QPushButton).click()  # Cancel
    qtbot.waitUntil(lambda: viewer.video_dialog is None, timeout=5000)
    assert not output.exists()
    assert viewer.banner.kind != "problem"


def test_video_failure_shows_in_the_banner(qtbot, viewer, tmp_path) -> None:
    output = tmp_path / "talk.mp4"
    viewer.export_video(output, "640x360", program=sys.executable,
                        arguments=["-c", FAILING_RENDER])
    qtbot.waitUntil(lambda: viewer.video_dialog is None, timeout=10000)
    assert viewer.banner.kind == "problem" and "ffmpeg: no codec" in viewer.banner.text
    box = viewer.export_error  # and a dialog says so, in the window's language
    assert box is not None and box.windowTitle() == "The video could not be made"
    assert "ffmpeg: no codec" in box.text()
    box.close()
    viewer.banner.clear()


def _render_cli_available() -> bool:
    command = [sys.executable, "-m", "discviz", "render", "--help"]
    result = subprocess.run(command, capture_output=True, text=True)
    return result.returncode == 0 and "--video" in result.stdout


@pytest.mark.skipif(not _render_cli_available(), reason="`discviz render` is not available")
def test_video_with_the_render_command(qtbot, make_viewer, tmp_path) -> None:
    viewer = make_viewer(TINY)
    output = tmp_path / "tiny.mp4"
    progress: list[float] = []
    viewer.export_video(output, "64x64", fps=8)
    viewer.video.progress.connect(lambda fraction, _line: progress.append(fraction))
    qtbot.waitUntil(lambda: viewer.video_dialog is None, timeout=60000)
    assert viewer.banner.kind == "info", viewer.banner.text
    assert output.stat().st_size > 100
    assert progress and max(p for p in progress if p is not None) > 0.9


def test_progress_lines() -> None:
    assert parse_progress("steps [###   ] 3/9  1.0 s left") == pytest.approx(0.05)
    assert parse_progress("\rvideo [#] 30/60 2 s left") == pytest.approx(0.575)
    assert parse_progress("frame 1/4") == pytest.approx(0.25)
    assert parse_progress("40%") == pytest.approx(0.4)
    assert parse_progress("wrote 9 pictures") is None


# -- failures: a dialog that says why, never a crash, never a half-written file -----------------


def failure_text(qtbot, viewer, title: str) -> str:
    box = viewer.export_error
    assert box is not None and box.isVisible() and box.windowTitle() == title
    text = box.text()
    box.close()
    qtbot.waitUntil(lambda: viewer.export_error is None)
    return text


def test_picture_into_a_missing_folder(qtbot, viewer, tmp_path) -> None:
    missing = tmp_path / "no-such-folder"
    assert viewer.save_picture(missing / "view.png") is None
    text = failure_text(qtbot, viewer, "The picture could not be saved")
    assert text == f"The folder {missing} does not exist. Choose another folder."
    assert not missing.exists() and viewer.banner.kind == ""


def test_model_into_a_folder_that_is_a_file(qtbot, viewer, tmp_path) -> None:
    viewer.go_to(2)
    settle(qtbot, viewer)
    parent = tmp_path / "notes.txt"
    parent.write_text("mine", encoding="utf-8")
    assert viewer.export_model(parent / "model.glb") is None
    assert failure_text(qtbot, viewer, "The 3D model could not be saved") == (
        f"{parent} is a file, not a folder. Choose a folder.")
    assert parent.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(("error", "words"), [
    (errno.EACCES, "You may not write to the folder"),
    (errno.EROFS, "(read-only)"),
    (errno.ENOSPC, "is full"),
])
def test_a_folder_that_takes_no_files(qtbot, viewer, tmp_path, monkeypatch, error, words) -> None:
    def refuse(*_args, **_kwargs):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(files.tempfile, "NamedTemporaryFile", refuse)  # the check before any work
    output = tmp_path / "talk.mp4"
    viewer.export_video(output, "640x360", program=sys.executable, arguments=["-c", "pass"])
    assert words in failure_text(qtbot, viewer, "The video could not be made")
    assert viewer.video is None or not viewer.video.running
    assert not output.exists()


def test_a_write_that_fails_half_way_leaves_nothing(qtbot, viewer, tmp_path, monkeypatch) -> None:
    viewer.go_to(4)
    settle(qtbot, viewer)

    def disk_fills(_frame, path: Path) -> Path:
        path.write_bytes(b"glTF half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "export_model", disk_fills)
    target = tmp_path / "model.glb"
    assert viewer.export_model(target) is None
    assert "is full" in failure_text(qtbot, viewer, "The 3D model could not be saved")
    assert list(tmp_path.iterdir()) == []  # neither the model nor its partial file


def test_an_existing_file_is_replaced_only_when_complete(qtbot, viewer, tmp_path, monkeypatch) -> None:
    target = tmp_path / "view.png"
    target.write_bytes(b"the old picture")

    def broken(*_args, **_kwargs):
        raise RuntimeError("the graphics driver gave no picture")

    monkeypatch.setattr(viewer.view, "grab_image", broken)
    assert viewer.save_picture(target) is None
    text = failure_text(qtbot, viewer, "The picture could not be saved")
    assert "the graphics driver gave no picture" in text
    assert target.read_bytes() == b"the old picture" and list(tmp_path.iterdir()) == [target]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="the administrator may write into a read-only folder")
def test_picture_into_a_read_only_folder(qtbot, viewer, tmp_path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert viewer.save_picture(folder / "view.png") is None
        text = failure_text(qtbot, viewer, "The picture could not be saved")
        assert "You may not write to the folder" in text
    finally:
        folder.chmod(0o700)


def test_failures_are_said_in_chinese(qtbot, viewer, tmp_path) -> None:
    viewer.set_language("zh")
    assert viewer.save_picture(tmp_path / "missing" / "view.png") is None
    text = failure_text(qtbot, viewer, "无法保存图片")
    assert text == f"文件夹 {tmp_path / 'missing'} 不存在。请选择其他文件夹。"
