"""Scene keys of the operation: the monitor view, the inset, and a path the cannula cannot take."""

from __future__ import annotations

from pathlib import Path

import pytest

from discviz.errors import InputError
from discviz.scene.load import load_scene

HEAD = 'format = 1\ntitle = "Op"\npreset = "L4-L5"\n\n'


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "op.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_scene(path)
    return [str(p) for p in caught.value.problems]


def test_monitor_view_and_inset_load(tmp_path: Path) -> None:
    scene = load_scene(write(tmp_path, (
        '[[steps]]\nid = "monitor"\nstate = "nerve-ingrowth"\nview = "endoscope"\n'
        'show = ["disc", "instruments"]\ninset = "endoscope"\n'
        'params = { "instruments.insertion" = 1.0 }\n')))
    step = scene.steps[0]
    assert step.view.name == "endoscope"
    assert step.inset == "endoscope"
    assert step.show[-4:] == ("cannula", "endoscope", "rf-probe", "forceps")


def test_instruments_are_not_shown_unless_named(tmp_path: Path) -> None:
    scene = load_scene(write(tmp_path, '[[steps]]\nid = "a"\nstate = "healthy"\n'))
    assert not {"cannula", "endoscope", "rf-probe", "forceps"} & set(scene.steps[0].show)


def test_bad_inset_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[steps]]\nid = "a"\nstate = "healthy"\ninset = "endoscop"\n')
    assert problems(path) == [f"{path}:8: unknown inset 'endoscop' (did you mean 'endoscope'?)"]
    path = write(tmp_path, '[[steps]]\nid = "a"\nstate = "healthy"\ninset = 3\n')
    assert problems(path) == [f'{path}:8: inset must be a string ("endoscope" or "none"), got 3']


def test_no_path_through_kambins_triangle_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, (
        '[[steps]]\nid = "steep"\nstate = "healthy"\n'
        'params = { "instruments.insertion" = 1.0, "approach.angle" = 60 }\n'))
    [message] = problems(path)
    assert message.startswith(f"{path}:5: step 'steep': no path through Kambin's triangle on the left "
                              "at approach.angle 60 with a 7.5 mm cannula: it would hit ")
    assert message.endswith("degrees")


def test_a_herniated_step_is_checked_against_the_pushed_root_and_sac(tmp_path: Path) -> None:
    # a left extraforaminal protrusion pushes the L5 root out across the path the healthy
    # anatomy leaves at this angle (tests/geometry/test_instruments.py shows it)
    step = ('[[steps]]\nid = "{0}"\nstate = "{0}"\n'
            'params = {{ "instruments.insertion" = 1.0, "herniation.position" = 105, '
            '"herniation.type" = "protrusion", "approach.angle" = 12 }}\n')
    path = write(tmp_path, step.format("herniated"))
    path.write_text(path.read_text(encoding="utf-8").replace('"L4-L5"', '"L5-S1"'), encoding="utf-8")
    [message] = problems(path)
    assert message.startswith(f"{path}:5: step 'herniated': no path through Kambin's triangle")
    assert "the exiting root L5-left where the herniation pushes it" in message
    path.write_text(path.read_text(encoding="utf-8").replace("herniated", "ruptured"), encoding="utf-8")
    assert load_scene(path).steps[0].state == "ruptured"  # the healthy root and sac leave a path
