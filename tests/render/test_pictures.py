"""Pictures a medical illustrator would sign (issue 13): no shimmer, labels that never lie,
a big subject, one palette, side by side with pain maps, text on every machine.
"""

from __future__ import annotations

import colorsys
import dataclasses
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

from discviz.player.frame import Player
from discviz.render.capture import Capture
from discviz.render.export import still_time
from discviz.scene.load import load_scene

pytestmark = pytest.mark.render
HERE = Path(__file__).parent
MINI = HERE / "mini.toml"
SIDE = HERE / "side.toml"
FOCUS_FILL = 0.25


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "discviz", *args], capture_output=True, text=True,
                          timeout=900, check=False, env={**os.environ, **(env or {})})


# -- no shimmer --------------------------------------------------------------------------------

@pytest.mark.parametrize("index", [0, 1, 2])
def test_an_export_is_within_a_small_tolerance_of_a_4x_supersampled_render(index: int) -> None:
    player = Player(load_scene(MINI))
    frame = dataclasses.replace(player.frame_at(still_time(player, index)), title="", caption="", labels={})
    shots = {}
    for factor in (None, 4):  # the export's own choice, and 4 x 4 samples a pixel
        capture = Capture((320, 180), factor=factor)
        try:
            shots[factor] = capture.shoot(frame).astype(int)
            if factor is None:
                assert capture.factor >= 2  # exports supersample
        finally:
            capture.close()
    difference = np.abs(shots[None] - shots[4]).max(axis=2)
    assert difference.mean() < 1.2
    assert np.percentile(difference, 99) < 14
    assert (difference > 40).mean() < 5e-4


# -- the bundled explanations: labels, focus, language ------------------------------------------

def _check_pictures(folder: Path) -> list[str]:
    """Every broken promise of the pictures in ``folder`` (empty when all hold)."""
    problems: list[str] = []
    sidecars = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))  # not the manifest
    assert sidecars, "no sidecar written"
    for path in sidecars:
        document = json.loads(path.read_text(encoding="utf-8"))
        ids = iio.imread(path.with_name(path.stem + ".ids.png"))[..., :3]
        assert ids.shape[:2] == tuple(reversed(document["size"]))
        colours = {name: tuple(c) for name, c in document["ids"].items()}
        boxes = []
        for label in document["labels"]:
            x, y = label["anchor"]
            # the pixels whose squares hold the anchor point: one, or two or four when it lies on
            # their edge or corner (an anchor pinned on a coarser id map lands on pixel corners)
            columns = {math.floor(x), math.ceil(x) - 1} if x == int(x) else {math.floor(x)}
            rows = {math.floor(y), math.ceil(y) - 1} if y == int(y) else {math.floor(y)}
            drawn = {tuple(int(v) for v in ids[r, c]) for r in rows for c in columns
                     if 0 <= r < ids.shape[0] and 0 <= c < ids.shape[1]}
            if colours.get(label["structure"]) not in drawn:
                problems.append(f"{path.name}: the leader of '{label['text']}' ends off {label['structure']}")
            boxes.append((label["text"], label["box"]))
            x0, y0, x1, y1 = label["box"]
            if not (0 <= x0 < x1 <= document["size"][0] and 0 <= y0 < y1 <= document["size"][1]):
                problems.append(f"{path.name}: '{label['text']}' leaves the picture")
        for i, (a, (ax0, ay0, ax1, ay1)) in enumerate(boxes):
            for b, (bx0, by0, bx1, by1) in boxes[:i]:
                if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                    problems.append(f"{path.name}: '{a}' overlaps '{b}'")
        for index, view in enumerate(document["views"]):
            focus = [name for name in view["focus"] if name in view["structures"]]
            if not focus:  # a focus the view does not show only centres the camera
                continue
            mask = np.zeros(ids.shape[:2], bool)
            for name in focus:
                if name in colours:
                    mask |= (ids == colours[name]).all(axis=2)
            columns = np.nonzero(mask.any(axis=0))[0]
            share = (columns[-1] - columns[0] + 1) / ids.shape[1] if len(columns) else 0.0
            view_share = 0.5 if len(document["views"]) > 1 else 1.0
            if share < FOCUS_FILL * view_share:
                problems.append(f"{path.name}: focus {view['focus']} of view {index} fills {share:.0%}")
            for label in document["labels"]:  # no label box over the focused structures
                if label["view"] != index:
                    continue
                x0, y0, x1, y1 = (round(v) for v in label["box"])
                if mask[max(y0, 0):y1, max(x0, 0):x1].any():
                    problems.append(f"{path.name}: '{label['text']}' covers the focused structure")
    return problems


@pytest.mark.parametrize(("scene", "language"),
                         [("discogenic-pain", "en"), ("discogenic-pain-lecture", "zh")])
def test_bundled_explanations_keep_every_promise_of_their_pictures(tmp_path: Path, scene: str,
                                                                   language: str) -> None:
    result = run_cli("render", scene, "-o", str(tmp_path), "--size", "480x270", "--lang", language, "--ids")
    assert result.returncode == 0, result.stderr
    assert _check_pictures(tmp_path) == []


def test_side_by_side_shows_two_states_with_their_own_subtitles_labels_and_pain_maps(tmp_path: Path) -> None:
    result = run_cli("render", str(SIDE), "-o", str(tmp_path), "--size", "640x360", "--ids")
    assert result.returncode == 0, result.stderr
    assert _check_pictures(tmp_path) == []
    document = json.loads((tmp_path / "02-two-views.json").read_text(encoding="utf-8"))
    assert [v["subtitle"] for v in document["views"]] == ["A painful disc", "A pinched nerve"]
    assert [v["state"] for v in document["views"]] == ["nerve-ingrowth", "ruptured"]
    assert [v["pain"] for v in document["views"]] == ["low-back", "L5-left"]
    assert {(label["view"], label["structure"]) for label in document["labels"]} >= {
        (0, "nucleus"), (1, "nerve-roots")}
    ids = iio.imread(tmp_path / "02-two-views.ids.png")[..., :3]
    colours = {name: tuple(c) for name, c in document["ids"].items()}
    half = ids.shape[1] // 2

    def where(name: str) -> np.ndarray:
        return np.nonzero((ids == colours[name]).all(axis=2).any(axis=0))[0]

    assert where("nerve-roots").max() < half  # the pinched nerve, on the left, shows its roots
    assert where("nerve-endings").min() >= half  # the painful disc, with its ingrown nerves, on the right
    picture = iio.imread(tmp_path / "02-two-views.png")[..., :3].astype(int)
    red = (picture[..., 0] > 170) & (picture[..., 1] < 110) & (picture[..., 2] < 110)
    lower = red[int(0.45 * red.shape[0]):]
    assert lower[:, :half].sum() > 20 and lower[:, half:].sum() > 20  # a pain map in each view


def test_a_language_whose_glyphs_no_font_has_exits_2_naming_the_language_and_the_font(tmp_path: Path) -> None:
    empty = tmp_path / "fonts"
    empty.mkdir()
    env = {"DISCVIZ_FONT_DIRS": str(empty), "DISCVIZ_FONT": ""}
    result = run_cli("render", str(MINI), "-o", str(tmp_path / "zh"), "--size", "160x90", "--lang", "zh",
                     env=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr
    assert "Chinese" in message and "'zh'" in message
    assert "fonts-wqy-microhei" in message and "DISCVIZ_FONT" in message
    assert not (tmp_path / "zh").exists() or not any((tmp_path / "zh").iterdir())  # no boxes drawn
    english = run_cli("render", str(MINI), "-o", str(tmp_path / "en"), "--size", "160x90", "--lang", "en",
                      env=env)
    assert english.returncode == 0, english.stderr  # Latin needs no extra font


# -- one palette -----------------------------------------------------------------------------

def _mean_hue(picture: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """Mean hue (degrees) and mean lightness of the masked pixels."""
    pixels = picture[mask].astype(float) / 255
    hls = np.array([colorsys.rgb_to_hls(*p) for p in pixels[:: max(len(pixels) // 400, 1)]])
    angle = np.angle(np.exp(2j * np.pi * hls[:, 0]).mean()) / (2 * np.pi) % 1.0
    return float(angle * 360), float(hls[:, 1].mean())


def _hue_distance(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


@pytest.mark.parametrize("structure", ["nerve-roots", "fissure", "nucleus"])
def test_a_highlight_keeps_the_structures_own_colour(structure: str) -> None:
    player = Player(load_scene("discogenic-pain"))
    # the roots in the first step (healthy and yellow; step 6 looks at the red, pressed one);
    # the bare crack in step 3 (the gel fills it later)
    index = {"nerve-roots": 0, "fissure": 2}.get(structure, 3)
    frame = dataclasses.replace(player.frame_at(still_time(player, index)), title="", caption="",
                                labels={}, time=0.45)  # the pulse at its strongest
    capture = Capture((320, 180), factor=1)
    try:
        looks = []
        for highlight in ({}, {structure: 1.0}):
            picture = capture.shoot(dataclasses.replace(frame, highlight=highlight))
            ids, colours = capture.ids()
            mask = (ids == colours[structure]).all(axis=2)
            assert mask.sum() > 30
            looks.append(_mean_hue(picture, mask))
    finally:
        capture.close()
    (plain_hue, plain_light), (lit_hue, lit_light) = looks
    assert _hue_distance(plain_hue, lit_hue) < 10, looks  # the same colour ...
    assert lit_light > plain_light + 0.02, looks  # ... only brighter


def test_the_palette_page_is_the_palette_and_every_structure_has_a_colour() -> None:
    from discviz.geometry.structures import STRUCTURES
    from discviz.render.materials import MATERIALS, palette_markdown

    assert set(STRUCTURES) <= set(MATERIALS)
    page = (HERE.parents[1] / "docs" / "palette.md").read_text(encoding="utf-8")
    assert page == palette_markdown(), "docs/palette.md is stale: regenerate it from palette_markdown()"


def test_the_gltf_export_uses_the_palette(tmp_path: Path) -> None:
    import struct

    from discviz.render.materials import MATERIALS

    path = tmp_path / "healthy.glb"
    result = run_cli("mesh", "--state", "healthy", "--set", "quality=low", "-o", str(path))
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    length = struct.unpack("<I", data[12:16])[0]
    document = json.loads(data[20:20 + length])
    by_name = {node["name"]: node for node in document["nodes"] if "mesh" in node}
    for name in ("annulus", "nucleus", "vertebra-upper"):
        primitive = document["meshes"][by_name[name]["mesh"]]["primitives"][0]
        factor = document["materials"][primitive["material"]]["pbrMetallicRoughness"]["baseColorFactor"]
        assert np.allclose(factor[:3], MATERIALS[name].color, atol=0.02), name


def test_the_pinched_nerve_shows_the_material_against_a_red_root_beside_a_yellow_one(tmp_path: Path) -> None:
    result = run_cli("render", str(HERE / "pinched.toml"), "-o", str(tmp_path), "--size", "640x360", "--ids")
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "01-pinched.json").read_text(encoding="utf-8"))
    assert [v["state"] for v in document["views"]] == ["herniated", "ruptured"]  # the healthy one left
    ids = iio.imread(tmp_path / "01-pinched.ids.png")[..., :3]
    colours = {name: tuple(c) for name, c in document["ids"].items()}
    picture = iio.imread(tmp_path / "01-pinched.png")[..., :3].astype(int)
    half = ids.shape[1] // 2
    gel = (ids == colours["herniation"]).all(axis=2)
    root = (ids == colours["nerve-roots"]).all(axis=2)
    assert gel[:, :half].sum() == 0 and gel[:, half:].sum() > 50  # the material, in the herniated view
    red = (picture[..., 0] > picture[..., 1] + 60) & (picture[..., 0] > picture[..., 2] + 60) & root
    assert red[:, half:].sum() > 50 and red[:, :half].sum() == 0  # the pressed root only is red
    grown = gel.copy()  # the material lies against the red root (within a few pixels)
    for shift in range(1, 4):
        for axis in (0, 1):
            grown |= np.roll(gel, shift, axis) | np.roll(gel, -shift, axis)
    assert (grown & red).any()
