"""Fuzzing: any bytes, any TOML-ish document, any mangled scene give a Scene or InputError."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discviz.errors import InputError
from discviz.geometry.params import SPECS
from discviz.geometry.structures import GROUPS, STATES, STRUCTURES
from discviz.scene.load import STEP_KEYS, TOP_KEYS, load_scene
from discviz.scene.model import AUDIENCES, CUTAWAYS, Scene
from discviz.scene.views import NAMED_VIEWS

VALID = Path(__file__).parent / "valid" / "scene.toml"
WORDS = [*TOP_KEYS, *STEP_KEYS, *STATES, *STRUCTURES, *GROUPS, *CUTAWAYS, *AUDIENCES, *NAMED_VIEWS, *SPECS,
         "en", "zh", "azimuth", "elevation", "zoom", "patient", "clinician", "figures/dot.png",
         "local-preset.toml", "../x.png", "L4-L5", "", "a b"]


@pytest.fixture(scope="module")
def scene_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "figures").mkdir()
    (folder / "figures" / "dot.png").write_bytes((VALID.parent / "figures" / "dot.png").read_bytes())
    (folder / "local-preset.toml").write_text((VALID.parent / "local-preset.toml").read_text())
    return folder / "scene.toml"


def outcome(path: Path, data: bytes) -> Scene | InputError:
    path.write_bytes(data)
    try:
        return load_scene(path)
    except InputError as error:
        assert error.problems and all(p.message for p in error.problems)
        return error


def _string(text: str) -> str:
    """A TOML basic string: control characters, DEL, quotes and backslashes escaped."""
    return '"' + "".join(c if c >= " " and c not in '"\\\x7f' else f"\\u{ord(c):04x}" for c in text) + '"'


def _literal(value: object) -> str:
    """A value as a TOML literal (inline tables and arrays nest)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_string(k)} = {_literal(v)}" for k, v in value.items()) + "}"


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
keys = st.sampled_from(WORDS) | text
scalars = st.sampled_from(WORDS) | text | st.integers(-5, 400) | st.floats() | st.booleans()
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12)
names = st.lists(st.sampled_from([*STRUCTURES, *GROUPS]) | values, max_size=4)
numbers = st.floats(-2, 400) | st.integers(-2, 400) | values
texts = st.dictionaries(st.sampled_from(["en", "zh", "fr"]) | keys, text | values, max_size=3) | text | values
PLAUSIBLE = {
    "title": texts, "caption": texts, "show": names, "highlight": names, "labels": names,
    "opacity": st.dictionaries(st.sampled_from([*STRUCTURES, *GROUPS]) | keys, numbers, max_size=3),
    "cutaway": st.sampled_from(CUTAWAYS) | values,
    "view": st.sampled_from(list(NAMED_VIEWS)) | st.dictionaries(
        st.sampled_from(["azimuth", "elevation", "zoom"]) | keys, numbers, max_size=4) | values,
    "orbit": numbers, "hold": numbers, "transition": numbers, "contrast": st.booleans() | values,
    "image": st.sampled_from(["figures/dot.png", "local-preset.toml", "../x.png", "/", ""]) | values,
    "params": st.dictionaries(st.sampled_from(list(SPECS)) | keys, numbers | st.sampled_from(WORDS),
                              max_size=3),
}
steps = st.lists(st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "c"]) | values, "state": st.sampled_from(STATES) | values},
    optional={k: v | values for k, v in PLAUSIBLE.items()}), max_size=3)
documents = st.fixed_dictionaries(
    {"format": st.just(1) | values, "steps": steps | values},
    optional={"defaults": st.fixed_dictionaries({}, optional=PLAUSIBLE) | values,
              "title": texts,
              "preset": st.sampled_from(["L4-L5", "local-preset.toml", "x", "../a.toml"]) | values,
              "languages": st.lists(st.sampled_from(["en", "zh", "fr"]) | values, max_size=3) | values,
              "audience": st.sampled_from(AUDIENCES) | values,
              "labels": st.dictionaries(
                  st.sampled_from(STRUCTURES) | keys,
                  st.dictionaries(st.sampled_from(AUDIENCES) | keys, texts), max_size=2)},
).flatmap(lambda d: st.dictionaries(keys, values, max_size=1).map(lambda extra: {**extra, **d}))


def _toml(document: dict[str, object]) -> str:
    return "\n".join(f"{_string(k)} = {_literal(v)}" for k, v in document.items()) + "\n"


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(scene_file: Path, data: bytes) -> None:
    outcome(scene_file, data)


@settings(max_examples=300)
@given(documents)
def test_arbitrary_documents(scene_file: Path, document: dict[str, object]) -> None:
    outcome(scene_file, _toml(document).encode())


LINES = VALID.read_text(encoding="utf-8").splitlines()
FRAGMENTS = ["[[steps]]", "[defaults]", "[labels]", "[steps.params]", '"""', "id = \"healthy\"",
             "state = \"ruptured\"", "opacity.annulus = 2", "view.zoom = -1", "[steps.view]", "show = [",
             "]", "title = '''", "x = 1 # = 2", "[[steps.params]]", "labels.nucleus.patient = 'core'"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(LINES) | st.sampled_from(FRAGMENTS), max_size=40))
def test_mangled_scenes(scene_file: Path, lines: list[str]) -> None:
    outcome(scene_file, "\n".join(lines).encode())


def test_the_valid_scene_survives_the_fuzz_setup(scene_file: Path) -> None:
    assert isinstance(outcome(scene_file, VALID.read_bytes()), Scene)
