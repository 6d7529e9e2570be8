"""A scene's top-level [params] and a step's mri key; patient files (parameters and a label,
nothing else): saved, reloaded identically, checked with clear messages.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from discviz.errors import InputError
from discviz.geometry.presets import load_preset
from discviz.player.frame import Player
from discviz.scene.load import load_scene
from discviz.scene.patient import (
    PATIENT_KEYS,
    Patient,
    is_patient_file,
    load_patient,
    patient_text,
    save_patient,
)

SCENE = """format = 1
title = "Params"
preset = "L4-L5"
{top}
[defaults]
params = {{ "fissure.depth" = 0.4 }}

[[steps]]
id = "one"
state = "healthy"
mri = "sagittal"

[[steps]]
id = "two"
state = "ruptured"
params = {{ "fissure.position" = 170.0, "nerves.count" = 3 }}
"""


def write(tmp_path: Path, text: str, name: str = "scene.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_top_level_params_hold_on_every_step_over_the_steps_own(tmp_path) -> None:
    top = '[params]\n"fissure.position" = 200.0\nfissure = { hiz = true }\n'
    scene = load_scene(write(tmp_path, SCENE.format(top=top)))
    assert scene.params == {"fissure.position": 200.0, "fissure.hiz": True}
    assert scene.steps[0].mri == "sagittal" and scene.steps[1].mri == "none"
    player = Player(scene)
    one, two = player.step_params
    assert one["fissure.position"] == two["fissure.position"] == 200.0  # over the step's 170
    assert two["nerves.count"] == 3 and one["fissure.depth"] == two["fissure.depth"] == 0.4
    # --set (the player's overrides) wins over [params]
    assert Player(scene, overrides={"fissure.position": 150.0}).step_params[1]["fissure.position"] == 150.0
    assert player.frame_at(0.0).mri == "sagittal"


def test_pfirrmann_in_params_darkens_and_lowers_the_disc(tmp_path) -> None:
    scene = load_scene(write(tmp_path, SCENE.format(top='[params]\n"disc.pfirrmann" = 4\n')))
    params = Player(scene).step_params[0]
    assert params["nucleus.hydration"] == 0.3
    assert params["disc.height_anterior"] == pytest.approx(12.0 * 0.8)


def test_bad_params_and_mri_are_reported_with_their_lines(tmp_path) -> None:
    text = SCENE.format(top='[params]\n"fissure.positon" = 200.0\n"fissure.grade" = 9\n')
    text = text.replace('mri = "sagittal"', 'mri = "coronal"')
    with pytest.raises(InputError) as caught:
        load_scene(write(tmp_path, text))
    messages = [str(p) for p in caught.value.problems]
    name = str(tmp_path / "scene.toml")
    assert f"{name}:5: unknown parameter 'fissure.positon' (did you mean 'fissure.position'?)" in messages
    assert f"{name}:6: fissure.grade must be a whole number from -1 to 5 (got 9)" in messages
    assert f"{name}:14: unknown mri 'coronal'; choose from none, sagittal, axial" in messages


def test_a_patient_file_reloads_identically_and_holds_nothing_else(tmp_path) -> None:
    patient = Patient(preset="L5-S1", label="L5-S1, right tear — 右侧",
                      params={"fissure.position": 200.0, "fissure.grade": 3, "fissure.hiz": True,
                              "disc.pfirrmann": 3, "herniation.type": "extrusion"})
    path = save_patient(patient, tmp_path / "patient.toml")
    assert load_patient(path) == patient
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(document) <= set(PATIENT_KEYS) == {"format", "label", "preset", "params"}
    assert set(document["params"]) == set(patient.params)
    assert is_patient_file(path) and not is_patient_file(tmp_path / "missing.toml")
    assert [p.name for p in tmp_path.iterdir()] == ["patient.toml"]  # no temporary left behind
    assert patient_text(Patient()).count("preset") == 0  # the explanation's own level: not written


def test_a_broken_patient_file_says_where_and_what(tmp_path) -> None:
    path = write(tmp_path, 'format = 1\nlabel = "x"\nname = "Jane Doe"\npreset = "L5-S2"\n'
                 '[params]\n"fissure.grade" = "three"\n', "p.toml")
    with pytest.raises(InputError) as caught:
        load_patient(path)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        f"{path}:3: unknown key 'name' in a patient file; a patient file holds only format, label, "
        "preset, params",
        f"{path}:4: preset must be one of L3-L4, L4-L5, L5-S1, degenerated-L4-L5 (got 'L5-S2') "
        "(did you mean 'L5-S1'?)",
        f"{path}:6: fissure.grade must be a whole number from -1 to 5 (got 'three')",
    ]


def test_the_patients_level_is_the_base(tmp_path) -> None:
    scene = load_scene("discogenic-pain")
    player = Player(scene, base_params=load_preset("L5-S1"), overrides={"fissure.grade": 3})
    assert all(p["disc.height_anterior"] == 15.0 and p["fissure.grade"] == 3 for p in player.step_params)
