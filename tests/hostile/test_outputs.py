"""Output safety: what `render` and `mesh` write never costs anyone a file, an interrupt leaves
nothing half-written, and every operating-system error is exit code 2 with the path and a
sentence (no VTK error screens).
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from discviz import interrupt
from discviz.cli import main
from discviz.geometry.structures import STATE_STRUCTURES
from discviz.player.frame import Player
from discviz.render import export, output
from discviz.render.export import step_stem
from discviz.scene.load import load_scene
from tests.hostile.conftest import TIME_LIMIT, _limit_memory, problems, run_discviz

ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "render" / "mini.toml"
OTHER = """format = 1
[defaults]
transition = 0.2
hold = 0.2
[[steps]]
id = "first"
state = "healthy"
[[steps]]
id = "second"
state = "ruptured"
"""
SMALL = ("--size", "96x64")


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def partials(folder: Path) -> list[str]:
    return [name for name in listing(folder) if name.startswith(".discviz-partial-")]


def test_rendering_twice_into_one_folder_leaves_the_second_scene_and_the_users_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "07-mine.png").write_bytes(b"my own picture")  # named like a step picture, not discviz's
    assert run_discviz("render", str(MINI), "-o", str(out), *SMALL).returncode == 0
    assert listing(out) == [".discviz-render.json", "01-healthy.json", "01-healthy.png", "02-torn.json",
                            "02-torn.png", "03-nerves.json", "03-nerves.png", "07-mine.png", "notes.txt"]
    other = tmp_path / "other.toml"
    other.write_text(OTHER, encoding="utf-8")
    result = run_discviz("render", str(other), "-o", str(out), *SMALL)
    assert result.returncode == 0, result.stderr
    assert listing(out) == [".discviz-render.json", "01-first.json", "01-first.png", "02-second.json",
                            "02-second.png", "07-mine.png", "notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "07-mine.png").read_bytes() == b"my own picture"
    manifest = json.loads((out / ".discviz-render.json").read_text(encoding="utf-8"))
    assert manifest["files"] == ["01-first.json", "01-first.png", "02-second.json", "02-second.png"]


def test_a_users_file_of_the_same_name_is_kept_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "02-torn.png").write_bytes(b"the patient's x-ray")
    result = run_discviz("render", str(MINI), "-o", str(out), *SMALL)
    assert result.returncode == 2
    assert problems(result) == [f"{out}: has files discviz did not make with the names it would write "
                                "(02-torn.png); give --overwrite to replace them, or choose another folder"]
    assert listing(out) == ["02-torn.png"]  # nothing drawn, nothing written
    assert (out / "02-torn.png").read_bytes() == b"the patient's x-ray"
    assert run_discviz("render", str(MINI), "-o", str(out), *SMALL, "--overwrite").returncode == 0
    assert (out / "02-torn.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_manifest_cannot_make_render_delete_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victims = [tmp_path / "outside.png", out / "notes.txt", out / "01-a"]
    for victim in victims:
        victim.write_text("keep", encoding="utf-8")
    names = ["../outside.png", "notes.txt", "01-a", "/etc/hostname", "01-x/../../outside.png"]
    (out / output.MANIFEST).write_text(json.dumps({"files": names}), encoding="utf-8")
    assert run_discviz("render", str(MINI), "-o", str(out), *SMALL).returncode == 0
    assert all(victim.read_text(encoding="utf-8") == "keep" for victim in victims)


def test_an_existing_video_is_kept_unless_overwrite(tmp_path: Path) -> None:
    video = tmp_path / "talk.mp4"
    video.write_bytes(b"last year's talk")
    result = run_discviz("render", str(MINI), "-o", str(tmp_path / "out"), *SMALL, "--video", str(video),
                         "--fps", "4")
    assert result.returncode == 2
    assert problems(result) == [f"{video}: exists already; give --overwrite to replace it, "
                                "or choose another name"]
    assert video.read_bytes() == b"last year's talk" and not (tmp_path / "out").exists()
    result = run_discviz("render", str(MINI), "-o", str(tmp_path / "out"), *SMALL, "--video", str(video),
                         "--fps", "4", "--overwrite")
    assert result.returncode == 0, result.stderr
    assert video.read_bytes()[4:8] == b"ftyp" and partials(tmp_path) == []


def test_folders_are_made_only_inside_existing_ones_never_at_the_top_of_the_disk(tmp_path: Path) -> None:
    top = Path("/") / f"discviz-test-{secrets.token_hex(4)}"
    result = run_discviz("render", str(MINI), "-o", str(tmp_path / "out"), *SMALL,
                         "--video", str(top / "v.mp4"))
    assert result.returncode == 2
    assert problems(result) == [f"{top}: will not make a new folder at the top of the disk; "
                                "create it yourself first, or choose a folder inside one that exists"]
    assert not top.exists()
    deep = tmp_path / "a" / "b" / "c"
    result = run_discviz("render", str(MINI), "-o", str(deep), *SMALL)
    assert result.returncode == 2
    assert problems(result) == [f"{deep}: the folder {deep.parent} does not exist; create it first, "
                                "or choose a folder that exists"]
    assert not (tmp_path / "a").exists()
    result = run_discviz("render", str(MINI), "-o", "out", *SMALL, "--video", "talks/mini.gif", "--fps", "2",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "talks" / "mini.gif").read_bytes()[:6] == b"GIF89a"


@pytest.mark.parametrize(("target", "message"), [
    ("file/out", "cannot write here: a part of the path is a file, not a folder"),
    ("x" * 300, "cannot write here: the name is too long; choose a shorter name"),
])
def test_folders_that_cannot_be_made(tmp_path: Path, target: str, message: str) -> None:
    (tmp_path / "file").write_text("a file", encoding="utf-8")
    result = run_discviz("render", str(MINI), "-o", target, *SMALL, cwd=tmp_path)
    assert result.returncode == 2
    assert problems(result) == [f"{target}: {message}"]


def test_a_folder_the_user_may_not_write(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = run_discviz("mesh", "-o", str(locked / "disc.vtp"), obey_permissions=True)
        assert result.returncode == 2
        assert problems(result) == [f"{locked / 'disc.vtp'}: cannot write here: permission denied; "
                                    "choose a folder you may write to"]
        result = run_discviz("render", str(MINI), "-o", str(locked / "out"), *SMALL, obey_permissions=True)
        assert result.returncode == 2
        assert problems(result) == [f"{locked / 'out'}: cannot write here: permission denied; "
                                    "choose a folder you may write to"]
    finally:
        locked.chmod(0o755)
    assert listing(locked) == []


@pytest.mark.parametrize(("code", "message"), [
    (errno.EROFS, "cannot write here: the disk is read-only; choose another folder"),
    (errno.ENOSPC, "cannot write here: the disk is full; free some space or choose another disk"),
    (errno.EACCES, "cannot write here: permission denied; choose a folder you may write to"),
])
@pytest.mark.parametrize("when", ["opening", "writing"])
def test_a_disk_that_refuses_is_a_sentence(tmp_path: Path, monkeypatch, capsys, code: int, message: str,
                                            when: str) -> None:
    """A read-only or full disk, simulated: opening the file, or halfway through copying it."""
    target = tmp_path / "disc.vtp"
    if when == "opening":
        real_open = os.open

        def refuse_open(path, *args, **kwargs):
            if Path(path).parent == tmp_path:
                raise OSError(code, os.strerror(code), str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(output.os, "open", refuse_open)
    else:
        def refuse_copy(source, destination):
            Path(destination).write_bytes(Path(source).read_bytes()[:100])
            raise OSError(code, os.strerror(code), str(destination))

        monkeypatch.setattr(output.shutil, "copyfile", refuse_copy)
    assert main(["mesh", "-o", str(target)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"{target}: {message}"]
    assert listing(tmp_path) == []  # neither the file nor a half of it


def test_exports_of_every_mesh_format_print_nothing_but_their_own_line(tmp_path: Path) -> None:
    for suffix in (".glb", ".vtm", ".stl"):
        result = run_discviz("mesh", "-o", f"disc{suffix}", cwd=tmp_path)
        assert result.returncode == 0
        count = len(STATE_STRUCTURES["healthy"])
        # no VTK, no X warning
        assert result.stderr == f"wrote {count} structures of 'healthy' to disc{suffix}\n"
    assert listing(tmp_path) == ["disc", "disc.glb", "disc.stl", "disc.vtm"]
    result = run_discviz("mesh", "-o", "disc.stl", cwd=tmp_path)
    assert result.returncode == 2
    assert problems(result) == ["disc.stl: exists already; give --overwrite to replace it, "
                                "or choose another name"]
    assert run_discviz("mesh", "-o", "disc.vtm", "--overwrite", cwd=tmp_path).returncode == 0
    assert listing(tmp_path) == ["disc", "disc.glb", "disc.stl", "disc.vtm"]


def test_an_interrupted_video_leaves_no_file(tmp_path: Path) -> None:
    video = tmp_path / "talk.mp4"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    process = subprocess.Popen(
        [sys.executable, "-m", "discviz", "render", str(MINI), "-o", str(tmp_path / "out"),
         "--size", "320x180", "--fps", "60", "--video", str(video)],
        stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_limit_memory)
    assert process.stderr is not None
    started = time.monotonic()
    for line in process.stderr:  # a log gets a line per percent
        if line.startswith("video [") and int(line.split("]")[1].split("/")[0]) >= 10:
            break
        assert time.monotonic() - started < TIME_LIMIT
    assert partials(tmp_path)  # the video is being written, under its temporary name
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=TIME_LIMIT) == 130
    assert "discviz: interrupted; nothing half-written was left behind" in rest
    assert not video.exists() and partials(tmp_path) == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the lost stop itself
def test_a_stop_lost_in_a_finaliser_still_ends_the_video_at_the_next_frame(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C that lands while VTK frees an object is printed as "Exception ignored" and
    dropped by Python; the export loop must still stop and leave no file.
    """
    monkeypatch.setattr(interrupt, "_requested", False)
    shown = export.frames

    class Finalised:
        def __del__(self) -> None:  # a signal handled here: Python swallows the KeyboardInterrupt
            interrupt._stop(signal.SIGINT, None)

    def frames_with_a_lost_stop(*args: object, **kwargs: object):
        for number, image in enumerate(shown(*args, **kwargs)):
            if number == 2:
                Finalised()
            yield image

    monkeypatch.setattr(export, "frames", frames_with_a_lost_stop)
    video = tmp_path / "talk.mp4"
    with pytest.raises(KeyboardInterrupt):
        export.write_video(Player(load_scene(MINI)), video, (96, 64), 12)
    assert listing(tmp_path) == []


def test_step_numbers_are_padded_to_the_number_of_steps() -> None:
    assert step_stem(0, 9, "a") == "01-a" and step_stem(8, 12, "b") == "09-b"
    names = [step_stem(index, 120, "s") for index in range(120)]
    assert names[0] == "001-s" and names[-1] == "120-s" and names == sorted(names)
    assert all(output.OWN_NAME.fullmatch(name + ".png") for name in names)
