"""Hostile inputs on the command line: every one is refused by `check`, `render` and `present`
alike with exit code 2 and a message naming the file (and line), within the time and memory
limits, never by a signal or an internal error.

The scene cases run through one `discviz check` of all their files (it reports every problem
of every file), then the worst of them through `render` and `present` one by one.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile import files
from tests.hostile.conftest import problems, run_discviz

STEP = files.STEP
NOTEPAD = "save it as UTF-8 (in Notepad: File > Save as, Encoding: UTF-8)"
SPECIAL = "not a file: give the path of a file"

Case = tuple[str, Callable[[Path], Path], Callable[[Path], list[str]]]


def scene(text: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "scene.toml"
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path
    return make


def with_image(data: bytes | None, name: str = "figure.png") -> Callable[[Path], Path]:
    return lambda folder: files.scene_with_image(folder, data, name)


def image_says(message: str, name: str = "figure.png") -> Callable[[Path], list[str]]:
    return lambda path: [f"{path}:6: image '{name}' {message}"]


def says(line: int | None, message: str) -> Callable[[Path], list[str]]:
    return lambda path: [f"{path}{'' if line is None else f':{line}'}: {message}"]


def fifo_scene(folder: Path) -> Path:
    return files.fifo(folder / "scene.toml")


def fifo_image(folder: Path) -> Path:
    files.fifo(folder / "figure.png")
    return files.scene_with_image(folder, None)


def folder_image(folder: Path) -> Path:
    (folder / "figure.png").mkdir()
    return files.scene_with_image(folder, None)


def large_image(folder: Path) -> Path:
    with open(folder / "figure.png", "wb") as handle:
        handle.write(files.picture("PNG"))
        handle.truncate(11 * 1024 * 1024)
    return files.scene_with_image(folder, None)


def fifo_preset(folder: Path) -> Path:
    files.fifo(folder / "mine.toml")
    return scene('preset = "mine.toml"\n' + STEP)(folder)


def utf16_preset(folder: Path) -> Path:
    (folder / "mine.toml").write_bytes("seed = 1\n".encode("utf-16"))
    return scene('preset = "mine.toml"\n' + STEP)(folder)


def many_steps(count: int, extra: str = "") -> str:
    return "format = 1\n" + extra + "".join(
        f'\n[[steps]]\nid = "s{index}"\nstate = "healthy"\n' for index in range(count))


LONG_ID = "a" * 300
HUGE_CAPTION = "x" * 880_000

CASES: list[Case] = [
    # the file itself
    ("named pipe", fifo_scene, lambda p: [f"{p}: is a named pipe, {SPECIAL}"]),
    ("folder", lambda folder: folder, lambda p: [f"{p}: is a folder, {SPECIAL}"]),
    ("too large", scene("#" * (2 * 1024 * 1024) + "\n"),
     says(None, "file is too large (2097153 bytes; at most 1 MiB)")),
    ("UTF-16 with a byte-order mark", scene(STEP.encode("utf-16")),
     says(None, f"saved as UTF-16, not UTF-8; {NOTEPAD}")),
    ("UTF-16 without one", scene(STEP.encode("utf-16-le")),
     says(None, f"saved as UTF-16, not UTF-8; {NOTEPAD}")),
    ("UTF-32", scene(STEP.encode("utf-32")), says(None, f"saved as UTF-32, not UTF-8; {NOTEPAD}")),
    ("GBK", scene((STEP + 'title = "我的腰为什么痛"\n').encode("gbk")),
     says(None, f"saved as GBK (the Chinese Windows encoding), not UTF-8; {NOTEPAD}")),
    ("binary", scene(bytes(range(256)) * 64), says(2, "not UTF-8 text: save the file as UTF-8")),
    ("a number of 5000 digits", scene(STEP + "hold = " + "1" * 5000 + "\n"),
     says(6, "not valid TOML: a number with thousands of digits; write a number of sensible size")),
    ("nested a million deep", scene("a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
     says(None, "not valid TOML: nested too deeply")),
    # numbers out of their bounds
    ("transition of 1e12 s", scene(STEP + "transition = 1e12\n"),
     says(6, "transition must be between 0 and 20 seconds, got 1e+12")),
    ("hold of an hour", scene(STEP + "hold = 3600\n"),
     says(6, "hold must be between 0 and 300 seconds, got 3600")),
    ("orbit of 1e300 degrees", scene(STEP + "orbit = 1e300\n"),
     says(6, "orbit must be between -720 and 720 degrees, got 1e+300")),
    ("zoom 1e308", scene(STEP + "view = { azimuth = 0, elevation = 0, zoom = 1e308 }\n"),
     says(6, "zoom must be between 0.5 and 4, got 1e+308")),
    ("zoom 1e-9", scene(STEP + "view = { azimuth = 0, elevation = 0, zoom = 1e-9 }\n"),
     says(6, "zoom must be between 0.5 and 4, got 1e-09")),
    ("azimuth 1e20", scene(STEP + "view = { azimuth = 1e20, elevation = 0 }\n"),
     says(6, "azimuth must be between -360 and 360 degrees, got 1e+20")),
    ("opacity nan", scene(STEP + "opacity = { annulus = nan }\n"),
     says(6, "opacity of 'annulus' must be a number between 0 and 1, got nan")),
    # texts, ids and counts
    ("step id of 300 characters", scene(STEP.replace('"one"', f'"{LONG_ID}"')),
     says(4, f"step id '{'a' * 37}...' is 300 characters long; at most 64 (it becomes a file name)")),
    ("caption of 880 KB", scene(STEP + f'caption = "{HUGE_CAPTION}"\n'),
     says(6, "caption is 880000 characters long; a caption may have at most 600: shorten it")),
    ("NUL in a caption", scene(STEP + 'caption = { en = "before\\u0000after" }\n'),
     says(6, "caption in 'en' contains a control character (U+0000) at character 7: remove it "
             "(only line breaks and tabs are allowed)")),
    ("terminal escape in a title", scene(STEP + 'title = "\\u001b[2J\\u001b[31mred"\n'),
     says(6, "title contains a control character (U+001B) at character 1: remove it "
             "(only line breaks and tabs are allowed)")),
    ("label override of 100 characters",
     scene(STEP + '\n[labels]\nannulus = { patient = "' + "r" * 100 + '" }\n'),
     says(8, "label of 'annulus' (patient) is 100 characters long; a label may have at most 60: shorten it")),
    ("201 steps", scene(many_steps(201)),
     says(3 + 4 * 200, "a scene may have at most 200 steps, this one has 201: split it into several scenes")),
    ("two hours of holds", scene(many_steps(13, "[defaults]\ntransition = 0\nhold = 300\n")),
     says(6 + 4 * 12, "the explanation lasts more than 60 minutes by step 's12': shorten the holds and "
          "transitions, or split the scene")),
    ("13 languages", scene(STEP.replace("format = 1\n", "format = 1\nlanguages = [" + ", ".join(
        f'"l{chr(97 + i)}"' for i in range(13)) + "]\n")),
     says(2, "a scene may have at most 12 languages, this one lists 13")),
    # pictures
    ("PNG, good signature, corrupt body", with_image(files.corrupt_png()),
     image_says("is damaged (its data does not match its checksums); save the picture again as PNG or JPEG")),
    ("PNG, checksums right, data garbage", with_image(files.garbage_png()),
     image_says("is damaged (broken data stream when reading image file); "
                "save the picture again as PNG or JPEG")),
    ("PNG cut short", with_image(files.truncated(files.picture("PNG"))),
     image_says("is damaged (the file is cut short); save the picture again as PNG or JPEG")),
    ("JPEG with corrupt data", with_image(files.corrupt_jpeg(), "figure.jpg"),
     image_says("is damaged (its compressed data is corrupt); save the picture again as PNG or JPEG",
                "figure.jpg")),
    ("JPEG cut short", with_image(files.truncated(files.picture("JPEG")), "figure.jpg"),
     image_says("is damaged (the file is cut short); save the picture again as PNG or JPEG", "figure.jpg")),
    ("30000 x 30000 bomb", with_image(files.bomb_png()),
     image_says("is too large: 900 million pixels (at most 40 million pixels); make the picture smaller")),
    ("a GIF called .png", with_image(files.gif_named_png()), image_says("is not a PNG or JPEG picture")),
    ("an empty file", with_image(b""), image_says("is not a PNG or JPEG picture")),
    ("a picture of 11 MiB", large_image,
     image_says("is too large (11534336 bytes; at most 10 MiB for a picture)")),
    ("a named pipe as picture", fifo_image, image_says(f"is a named pipe, {SPECIAL}")),
    ("a folder as picture", folder_image, image_says(f"is a folder, {SPECIAL}")),
    # a preset next to the scene
    ("a named pipe as preset", fifo_preset,
     lambda p: [f"{p.parent / 'mine.toml'}: is a named pipe, {SPECIAL}"]),
    ("a UTF-16 preset", utf16_preset,
     lambda p: [f"{p.parent / 'mine.toml'}: saved as UTF-16, not UTF-8; {NOTEPAD}"]),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    """Every case in a folder of its own: name -> (the file to give, the expected lines)."""
    root = tmp_path_factory.mktemp("hostile")
    out = {}
    for index, (name, make, expected) in enumerate(CASES):
        folder = root / f"case-{index:02d}"
        folder.mkdir()
        path = make(folder)
        out[name] = (path, expected(path))
    return out


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 35 and len({name for name, _, _ in CASES}) == len(CASES)


def test_check_refuses_every_case_with_its_file_and_line(corpus) -> None:
    paths = [str(path) for path, _ in corpus.values()]
    result = run_discviz("check", *paths, "/dev/zero")
    assert result.returncode == 2
    printed = problems(result)
    for name, (_, expected) in corpus.items():
        for line in expected:
            assert line in printed, f"{name}: {line!r} not in {printed}"
    assert f"/dev/zero: is a device, {SPECIAL}" in printed
    assert result.stdout == ""  # not one of them is "ok"


RENDERED = ["named pipe", "transition of 1e12 s", "step id of 300 characters",
            "PNG, good signature, corrupt body",
            "JPEG with corrupt data", "30000 x 30000 bomb", "a named pipe as picture", "caption of 880 KB"]


@pytest.mark.parametrize("name", RENDERED)
def test_render_refuses_what_check_refuses(corpus, tmp_path: Path, name: str) -> None:
    path, expected = corpus[name]
    result = run_discviz("render", str(path), "-o", str(tmp_path / "out"), "--size", "160x96",
                         "--video", str(tmp_path / "out.mp4"))
    assert result.returncode == 2
    assert problems(result) == expected
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.mp4").exists()


@pytest.mark.parametrize("name", ["named pipe", "PNG cut short", "two hours of holds"])
def test_the_viewer_refuses_it_before_any_window(corpus, name: str) -> None:
    path, expected = corpus[name]
    result = run_discviz("present", str(path))
    assert result.returncode == 2
    assert problems(result) == expected


def test_dev_zero_is_not_read(tmp_path: Path) -> None:
    for command in (["check"], ["render", "-o", str(tmp_path / "out")], ["present"]):
        result = run_discviz(*command[:1], "/dev/zero", *command[1:])
        assert result.returncode == 2
        assert problems(result) == [f"/dev/zero: is a device, {SPECIAL}"]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes(codecs.BOM_UTF8 + (STEP + 'title = "Ünïcode ✓"\n').encode("utf-8"))
    result = run_discviz("check", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{path}: ok\n"


def test_a_preset_with_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_bytes(codecs.BOM_UTF8 + b"seed = 3\n[disc]\nwidth = 47.0\n")
    assert run_discviz("check", str(path)).stdout == f"{path}: ok\n"


@pytest.mark.parametrize(("arguments", "message"), [
    (["bench", "--repeat", "1000000000"], "--repeat: must be from 1 to 1000 (got 1000000000)"),
    (["render", "discogenic-pain", "-o", "x", "--size", "100000x100000"],
     "--size: expected WIDTHxHEIGHT such as 1920x1080, got '100000x100000'"),
    (["render", "discogenic-pain", "-o", "x", "--fps", "100000"], "--fps: must be from 1 to 120, got 100000"),
    (["mesh", "--set", "seed=" + "9" * 5000, "-o", "x.vtp"],
     "--set seed: seed must be a whole number from 0 to 2147483647 (got '999999999999...9999999999999')"),
    (["mesh", "--progress", "nan", "-o", "x.vtp"], "--progress: must be from 0 to 1 (got nan)"),
])
def test_numbers_on_the_command_line_are_bounded(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = run_discviz(*arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert message in problems(result)
    assert list(tmp_path.iterdir()) == []


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    result = run_discviz("check", "scene\x01.toml")
    assert result.returncode == 2
    assert problems(result) == ["scene\\x01.toml: cannot read the file: there is no such file"]
    path = tmp_path / "scene.toml"
    path.write_text(STEP + '[steps.params]\n"\\u001b[2Jx" = 1\n', encoding="utf-8")
    result = run_discviz("check", str(path))
    assert problems(result) == [f"{path}:7: unknown parameter '\\x1b[2Jx'"]
    assert "\x1b" not in result.stderr

