"""The JSON Schema accepts every bundled and valid scene and rejects unknown names."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from discviz.geometry.structures import STRUCTURES
from discviz.scene.glossary import glossary
from discviz.scene.schema import scene_schema

HERE = Path(__file__).parent
SCENES = [*sorted((HERE.parents[1] / "scenes").glob("*.toml")), HERE / "valid" / "scene.toml"]
MINIMAL: dict[str, Any] = {"format": 1, "steps": [{"id": "a", "state": "healthy"}]}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = scene_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    json.dumps(schema)  # plain JSON data
    return jsonschema.Draft202012Validator(schema)


def test_there_are_bundled_scenes() -> None:
    assert len(SCENES) >= 2


@pytest.mark.parametrize("path", SCENES, ids=[p.stem for p in SCENES])
def test_scene_validates(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


def _changed(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    document = copy.deepcopy(MINIMAL)
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(("path", "value"), [
    (("titel",), "x"),
    (("steps", 0, "captoin"), "x"),
    (("steps", 0, "state"), "helthy"),
    (("steps", 0, "cutaway"), "axail"),
    (("audience",), "patients"),
    (("steps", 0, "view"), "behind"),
    (("steps", 0, "view"), {"azimuth": 0, "elevation": 0, "zom": 1}),
    (("steps", 0, "show"), ["anulus"]),
    (("steps", 0, "highlight"), ["vertebra"]),
    (("steps", 0, "opacity"), {"annulus": 1.5}),
    (("steps", 0, "opacity"), {"anulus": 0.5}),
    (("steps", 0, "params"), {"fisure.depth": 0.5}),
    (("steps", 0, "params"), {"fissure.depth": 2}),
    (("steps", 0, "id"), "Step One"),
    (("steps", 0, "hold"), -1),
    (("format",), 2),
    (("labels",), {"anulus": {"patient": "x"}}),
    (("defaults",), {"id": "x"}),
])
def test_schema_rejects(validator: jsonschema.Draft202012Validator, path: tuple[str | int, ...],
                        value: object) -> None:
    assert validator.is_valid(MINIMAL)
    assert not validator.is_valid(_changed(path, value))


def test_glossary_names_are_the_geometry_structures() -> None:
    assert list(glossary()) == list(STRUCTURES)
