"""Loading valid scenes: the small test scene (every feature once) and the bundled ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from discviz.geometry.structures import GROUPS, STATE_STRUCTURES
from discviz.scene.load import bundled_scenes, load_scene, resolve_scene
from discviz.scene.model import Text
from discviz.scene.views import NAMED_VIEWS, ViewSpec

HERE = Path(__file__).parent
VALID = HERE / "valid" / "scene.toml"
BUNDLED = sorted((HERE.parents[1] / "scenes").glob("*.toml"))


def test_the_small_valid_scene() -> None:
    scene = load_scene(VALID)
    assert scene.title == Text({"en": "Test scene", "zh": "测试"})
    assert scene.languages == ("en", "zh")
    assert scene.audience == "clinician"
    assert scene.preset == str((HERE / "valid" / "local-preset.toml").resolve())
    assert scene.labels["annulus"]["clinician"] == Text({"en": "AF"})
    assert scene.source == VALID
    healthy, torn = scene.steps
    assert healthy.title == Text({"en": "Healthy"})
    assert healthy.show == tuple(s for s in STATE_STRUCTURES["healthy"]
                                 if s not in GROUPS["context"] + GROUPS["instruments"])
    assert healthy.labels == ("annulus",)  # 'fissure' from [defaults]: only where the state has it
    assert healthy.view == NAMED_VIEWS["posterior"]
    assert healthy.transition == 1.0 and healthy.hold == 0.0 and healthy.cutaway == "none"
    assert healthy.opacity == {"annulus": 0.5}
    assert healthy.line == 17
    assert torn.show == ("vertebra-upper", "vertebra-lower", "annulus", "nucleus", "fissure", "nucleus-tract")
    assert torn.highlight == ("fissure",)
    assert torn.labels == ("annulus", "fissure")
    assert torn.opacity == {"annulus": 0.5, "nucleus": 0.25, "vertebra-upper": 0.0, "vertebra-lower": 0.0}
    # a focus may name any structure or group, whatever the step's state; groups expand
    assert torn.view == ViewSpec(160.0, 60.0, 1.0, focus=(
        "fissure", "nucleus-tract", "nerve-endings", "inflammation", "repair", "herniation", "nucleus"))
    assert torn.orbit == -45.0 and torn.hold == 2.5
    assert torn.image == (HERE / "valid" / "figures" / "dot.png").resolve()
    assert torn.params == {"fissure.depth": 0.6, "nerves.count": 4}


def test_bundled_scenes_are_found_by_name_from_any_folder(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    assert bundled_scenes() == sorted(p.stem for p in BUNDLED)
    monkeypatch.chdir(tmp_path)
    for name in bundled_scenes():
        assert resolve_scene(name).is_file()


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_scene_loads(path: Path) -> None:
    scene = load_scene(path.stem)
    assert scene.steps
    assert len({s.id for s in scene.steps}) == len(scene.steps)
    for step in scene.steps:
        assert set(step.show) <= set(STATE_STRUCTURES[step.state])


def test_paths_win_over_names(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('format = 1\n[[steps]]\nid = "a"\nstate = "repaired"\n')
    scene = load_scene(path)
    assert scene.steps[0].show[-1] == "repair"
    assert scene.preset == "L4-L5" and scene.audience == "patient" and scene.languages == ("en",)
