"""`discviz slice` (PNG and JSON, probed through the JSON's origin and scale), and the model
options --preset, --patient and --set on render, present and handout.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from discviz.cli import build_parser, main
from discviz.cli.model_options import choose_model
from discviz.errors import InputError
from discviz.geometry.presets import load_preset
from discviz.player.frame import Player
from discviz.scene.patient import Patient, save_patient

FAST = ("--set", "quality=low")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "discviz", *args], capture_output=True, text=True)


def grey_at(png: Path, point_mm: tuple[float, float], radius_mm: float = 1.5) -> float:
    """Mean grey level (0..255) around a point given in mm right of and below the disc centre."""
    sidecar = json.loads(png.with_suffix(".json").read_text(encoding="utf-8"))
    with Image.open(png) as picture:
        image = np.asarray(picture.convert("L"), dtype=float)
    x0, y0 = sidecar["origin_px"]
    scale = sidecar["mm_per_px"]
    x, y = x0 + point_mm[0] / scale, y0 + point_mm[1] / scale
    rows, cols = np.mgrid[0:image.shape[0], 0:image.shape[1]]
    near = (cols + 0.5 - x) ** 2 + (rows + 0.5 - y) ** 2 <= (radius_mm / scale) ** 2
    return float(image[near].mean())


def test_slice_writes_png_and_json_in_radiological_orientation(tmp_path: Path) -> None:
    grey = {}
    for grade in (1, 5):
        png = tmp_path / f"p{grade}.png"
        assert main(["slice", "--set", f"disc.pfirrmann={grade}", *FAST, "-o", str(png)]) == 0
        sidecar = json.loads(png.with_suffix(".json").read_text(encoding="utf-8"))
        assert sidecar["plane"] == "sagittal" and sidecar["illustration"] is True
        with Image.open(png) as picture:
            assert sidecar["size_px"] == list(picture.size)
        # the nucleus at the centre; the anterior annulus 14 mm to the LEFT (anterior on the left)
        grey[grade] = (grey_at(png, (0.0, 0.0)), grey_at(png, (-14.5, 0.0), 0.8))
    assert grey[1][0] > grey[1][1] + 100  # Pfirrmann I: bright nucleus, dark annulus
    assert grey[5][0] < grey[5][1] + 15  # Pfirrmann V: the nucleus no brighter than the annulus
    # the dural sac (bright fluid) lies behind the disc: to the right of the centre
    assert grey_at(tmp_path / "p1.png", (25.0, 0.0)) > 200


def test_slice_axial_hiz_on_the_patients_right_is_left_in_the_picture(tmp_path: Path) -> None:
    png = tmp_path / "axial.png"
    args = ["slice", "--plane", "axial", "--state", "ruptured", "--preset", "L5-S1", *FAST,
            "--set", "fissure.position=200", "--set", "fissure.hiz=true", "-o", str(png)]
    assert main(args) == 0
    from discviz.geometry.disc.annulus import DiscLayout

    params = load_preset("L5-S1").update({"fissure.position": 200.0, "quality": "low"})
    layout = DiscLayout(params)
    phi = np.radians([200.0])
    inner, outer = layout.inner_xy(phi)[0], layout.outer_xy(phi)[0]
    spot = inner + 0.8 * (outer - inner)  # x < 0: the patient's right; y > 0: posterior
    assert spot[0] < 0 and spot[1] > 0
    # axial seen from below: right of the patient on the picture's left, posterior down
    assert grey_at(png, (spot[0], spot[1]), 0.4) > 180
    assert grey_at(png, (-spot[0], spot[1]), 0.4) < 90  # the mirror point: dark annulus


@pytest.mark.parametrize(("args", "message"), [
    (["--plane", "coronal"], "--plane: unknown plane 'coronal'; planes: sagittal, axial"),
    (["--state", "torn"], "--state: unknown state 'torn'"),
    (["--set", "fissure.hiz=maybe"], "--set fissure.hiz: fissure.hiz must be true or false (got 'maybe')"),
    (["--lang", "fr"], "--lang: unknown language 'fr'; choose from en, zh"),
])
def test_slice_bad_input_is_exit_2_with_the_fix(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("slice", *args, "-o", str(tmp_path / "s.png"))
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s.png").exists()


def test_slice_output_must_be_png(tmp_path: Path) -> None:
    result = run("slice", "-o", str(tmp_path / "s.jpg"))
    assert result.returncode == 2 and "-o: 's.jpg': the slice is written as a .png file" in result.stderr


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_set_preset_and_patient_reach_every_step(tmp_path: Path) -> None:
    args = parse("render", "discogenic-pain", "-o", str(tmp_path), "--preset", "L5-S1",
                 "--set", "fissure.grade=3", "--set", "fissure.hiz=true")
    choice = choose_model(args, args.scene)
    player = Player(choice.scene, base_params=choice.base, overrides=choice.overrides)
    assert all(p["disc.width"] == 48.0 and p["fissure.grade"] == 3 and p["fissure.hiz"] is True
               for p in player.step_params)
    # a patient file gives the level and the values; --set wins over it
    path = save_patient(Patient("L3-L4", {"fissure.grade": 2, "disc.pfirrmann": 4}, "x"), tmp_path / "p.toml")
    args = parse("handout", "discogenic-pain", "-o", str(tmp_path / "h.pdf"), "--patient", str(path),
                 "--set", "fissure.grade=4")
    choice = choose_model(args, args.scene)
    assert choice.preset_name == "L3-L4" and choice.overrides == {"fissure.grade": 4, "disc.pfirrmann": 4}
    # a patient file given as the scene: the built-in explanation for that patient
    args = parse("present", str(path))
    choice = choose_model(args, args.scene)
    assert choice.scene_ref == "discogenic-pain" and choice.patient is not None


def test_model_option_problems_all_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('label = "x"\n[params]\n"fissure.grade" = 8\n', encoding="utf-8")
    args = parse("render", "discogenic-pain", "-o", str(tmp_path), "--preset", "L5-S2",
                 "--patient", str(bad), "--set", "fissure.depht=0.5")
    with pytest.raises(InputError) as caught:
        choose_model(args, args.scene)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert f"{bad}:3: fissure.grade must be a whole number from -1 to 5 (got 8)" in text
    assert "unknown parameter 'fissure.depht' (did you mean 'fissure.depth'?)" in text
    assert "unknown preset 'L5-S2' (did you mean 'L5-S1'?)" in text


def test_check_accepts_a_patient_file(tmp_path: Path) -> None:
    path = save_patient(Patient("L5-S1", {"fissure.position": 200.0}, "r"), tmp_path / "p.toml")
    result = run("check", str(path))
    assert result.returncode == 0 and f"{path}: ok" in result.stdout


def test_handout_bad_input(tmp_path: Path) -> None:
    result = run("handout", "discogenic-pain", "-o", str(tmp_path / "h.txt"), "--lang", "fr", "--dpi", "20")
    assert result.returncode == 2
    assert "-o: 'h.txt': the handout is written as a .pdf file" in result.stderr
    assert "--lang: this scene has no language 'fr'; it has: en, zh" in result.stderr
    assert "--dpi: must be from 72 to 600 (got 20)" in result.stderr
    assert "Traceback" not in result.stderr
