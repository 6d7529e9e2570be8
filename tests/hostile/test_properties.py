"""Properties over whatever a user could write: the loader accepts a value exactly when it is
within its documented bound, refuses everything else with a FILE:LINE message, and nothing
(no text, number or picture bytes) makes it raise anything but InputError.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discviz.errors import InputError
from discviz.pictures import picture_problem
from discviz.scene import limits
from discviz.scene.load import load_scene
from discviz.userfiles import decode_text
from tests.hostile import files

STEP = files.STEP
BOUNDED = {"transition": limits.TRANSITION, "hold": limits.HOLD, "orbit": limits.ORBIT}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def load(folder: Path, text: str) -> tuple[object | None, list[str]]:
    path = folder / "scene.toml"
    path.write_text(text, encoding="utf-8")
    try:
        return load_scene(path), []
    except InputError as error:
        return None, [str(problem) for problem in error.problems]


numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30))


def toml_number(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def toml_string(text: str) -> str:
    """A TOML basic string of ``text``: control characters as escapes, everything else as is."""
    def escape(ch: str) -> str:
        if ch in '"\\':
            return "\\" + ch
        return f"\\u{ord(ch):04x}" if unicodedata.category(ch) == "Cc" else ch

    return '"' + "".join(escape(ch) for ch in text) + '"'


@given(key=st.sampled_from(sorted(BOUNDED)), value=numbers)
def test_a_duration_or_orbit_is_accepted_exactly_within_its_bound(folder: Path, key: str,
                                                                   value: float | int) -> None:
    bound = BOUNDED[key]
    scene, problems = load(folder, STEP + f"{key} = {toml_number(value)}\n")
    inside = math.isfinite(value) and bound.minimum <= value <= bound.maximum
    assert (scene is not None) == inside, problems
    if not inside:
        assert problems[0].startswith(f"{folder / 'scene.toml'}:6: {key} must be")


@given(zoom=numbers, azimuth=numbers, elevation=numbers)
def test_a_view_is_accepted_exactly_within_its_bounds(folder: Path, zoom: float | int, azimuth: float | int,
                                                      elevation: float | int) -> None:
    view = f"view = {{ azimuth = {toml_number(azimuth)}, elevation = {toml_number(elevation)}, " \
           f"zoom = {toml_number(zoom)} }}\n"
    scene, problems = load(folder, STEP + view)
    within = all(math.isfinite(v) and b.minimum <= v <= b.maximum
                 for v, b in ((zoom, limits.ZOOM), (azimuth, limits.AZIMUTH), (elevation, limits.ELEVATION)))
    assert (scene is not None) == within, problems
    assert all(problem.startswith(f"{folder / 'scene.toml'}:6: ") for problem in problems)


@given(text=st.text(max_size=700))
def test_any_caption_is_accepted_or_refused_with_its_line(folder: Path, text: str) -> None:
    scene, problems = load(folder, STEP + f"caption = {toml_string(text)}\n")
    controls = [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]
    expected = not controls and len(text) <= limits.MAX_CAPTION_LENGTH
    assert (scene is not None) == expected, problems
    for problem in problems:
        assert problem.startswith(f"{folder / 'scene.toml'}:6: caption ")


@given(data=st.binary(max_size=4096))
def test_any_bytes_as_a_scene_are_read_or_refused(folder: Path, data: bytes) -> None:
    path = folder / "bytes.toml"
    path.write_bytes(data)
    try:
        load_scene(path)
    except InputError as error:
        assert all(str(problem).startswith(str(path)) for problem in error.problems)


@given(data=st.binary(max_size=2048))
def test_any_bytes_as_text_decode_or_name_the_problem(data: bytes) -> None:
    try:
        decode_text(data, "f.toml")
    except InputError as error:
        assert str(error).startswith("f.toml")


@given(cut=st.integers(0, 10_000), flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)),
                                                  max_size=8),
       kind=st.sampled_from(["PNG", "JPEG"]))
def test_any_damage_to_a_picture_is_a_sentence_never_a_crash(folder: Path, cut: int,
                                                             flips: list[tuple[int, int]], kind: str) -> None:
    data = bytearray(files.picture(kind, (40, 30)))
    for at, value in flips:
        data[at % len(data)] = value
    path = folder / f"picture.{kind.lower()}"
    path.write_bytes(bytes(data[: max(cut, 1)]))
    problem = picture_problem(path)
    assert problem is None or problem.startswith(("is ", "has "))
