"""A corpus of broken scenes, one per kind of mistake: each gives the exact message and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from discviz.errors import InputError
from discviz.scene.load import load_scene

# Lines: 1 format, 2 languages, 3 blank, 4 [[steps]], 5 id, 6 state; additions from line 7.
STEP = 'format = 1\nlanguages = ["en", "zh"]\n\n[[steps]]\nid = "one"\nstate = "healthy"\n'
DEFAULTS = 'format = 1\n\n[defaults]\n{}\n\n[[steps]]\nid = "one"\nstate = "healthy"\n'

CASES: list[tuple[str, str, list[str]]] = [
    ("unknown pain map, close", STEP + 'pain = "L6-left"\n',
     ["7: unknown pain map 'L6-left' (did you mean 'L5-left'?)"]),
    ("pain map without its dash", STEP + 'pain = "lowback"\n',
     ["7: unknown pain map 'lowback' (did you mean 'low-back'?)"]),
    ("beside: unknown state", STEP + '[steps.beside]\nstate = "helthy"\n',
     ["8: unknown state 'helthy' (did you mean 'healthy'?)"]),
    ("beside: unknown key", STEP + '[steps.beside]\nsid = "left"\n',
     ["8: unknown key 'sid' in [steps.beside] (did you mean 'side'?)"]),
    ("beside: unknown side", STEP + '[steps.beside]\nside = "top"\n',
     ["8: unknown side 'top'; choose from left, right"]),
    ("beside: structure its state lacks", STEP + '[steps.beside]\nlabels = ["fissure"]\n',
     ["8: structure 'fissure' is not in state 'healthy' (it is in: ruptured, nerve-ingrowth, herniated)"]),
    ("beside not a table", STEP + "beside = 3\n",
     ["7: beside must be a table: write it as [steps.beside] under the step"]),
    ("beside in defaults", DEFAULTS.format('beside = { state = "healthy" }'),
     ["4: 'beside' cannot have a default: give it in the step that shows two views side by side"]),
    ("unknown top-level key", 'titel = "x"\n' + STEP,
     ["1: unknown key 'titel' (did you mean 'title'?)"]),
    ("step key at the top", 'cutaway = "axial"\n' + STEP,
     ["1: unknown key 'cutaway' at the top of the scene: step values belong in a [[steps]] table "
      "or in [defaults]"]),
    ("unknown step key", STEP + 'captoin = "x"\n',
     ["7: unknown key 'captoin' in [[steps]] (did you mean 'caption'?)"]),
    ("format missing", STEP.replace("format = 1\n", ""),
     [": missing 'format = 1' at the top (the version of the scene format)"]),
    ("format wrong", STEP.replace("format = 1", "format = 2"), ["1: format must be 1, got 2"]),
    ("format a string", STEP.replace("format = 1", 'format = "1"'), ["1: format must be 1, got '1'"]),
    ("unknown state, close", STEP.replace('"healthy"', '"helthy"'),
     ["6: unknown state 'helthy' (did you mean 'healthy'?)"]),
    ("unknown state, far", STEP.replace('"healthy"', '"broken"'),
     ["6: unknown state 'broken'; choose from healthy, ruptured, nerve-ingrowth, repaired, herniated"]),
    ("missing state", STEP.replace('state = "healthy"\n', ""),
     ["4: step 'one' needs a state: one of healthy, ruptured, nerve-ingrowth, repaired, herniated"]),
    ("missing id", STEP.replace('id = "one"\n', ""), ['4: step 1 needs an id, e.g. id = "healthy"']),
    ("bad id", STEP.replace('"one"', '"Step One"'),
     ["5: step id 'Step One' must use only a-z, 0-9 and '-', e.g. 'step-one'"]),
    ("duplicate id", STEP + '\n[[steps]]\nid = "one"\nstate = "ruptured"\n',
     ["9: step id 'one' is used twice (first on line 5)"]),
    ("unknown structure", STEP + 'show = ["anulus"]\n',
     ["7: unknown structure 'anulus' in show (did you mean 'annulus'?)"]),
    ("unknown structure, far", STEP + 'labels = ["spleen"]\n',
     ["7: unknown structure 'spleen' in labels; `discviz list` shows every structure and group"]),
    ("unknown group", STEP + 'highlight = ["vertebra"]\n',
     ["7: unknown structure 'vertebra' in highlight (did you mean 'vertebrae'?)"]),
    ("structure not in the state", STEP + 'show = ["disc", "fissure"]\n',
     ["7: structure 'fissure' is not in state 'healthy' (it is in: ruptured, nerve-ingrowth, herniated)"]),
    ("show not a list", STEP + "show = 3\n",
     ['7: show must be a list of structure or group names, e.g. show = ["disc", "vertebrae"]']),
    ("show item not a string", STEP + 'show = ["disc", 3]\n',
     ["7: show must list structure or group names, got 3"]),
    ("opacity above 1", STEP + "opacity = { annulus = 1.5 }\n",
     ["7: opacity of 'annulus' must be between 0 and 1, got 1.5"]),
    ("opacity a string", STEP + 'opacity = { annulus = "half" }\n',
     ["7: opacity of 'annulus' must be a number between 0 and 1, got 'half'"]),
    ("opacity of an unknown structure", STEP + "opacity = { anulus = 0.5 }\n",
     ["7: unknown structure 'anulus' in opacity (did you mean 'annulus'?)"]),
    ("opacity not a table", STEP + "opacity = 0.5\n",
     ["7: opacity must be a table, e.g. opacity = { annulus = 0.35 }"]),
    ("unknown cutaway", STEP + 'cutaway = "axail"\n', ["7: unknown cutaway 'axail' (did you mean 'axial'?)"]),
    ("contrast not a boolean", STEP + 'contrast = "yes"\n', ["7: contrast must be true or false, got 'yes'"]),
    ("unknown view", STEP + 'view = "posterolateral"\n',
     ["7: unknown view 'posterolateral' (did you mean 'left-posterolateral'?)"]),
    ("unknown view key", STEP + "view = { azimuth = 10, elevation = 5, zom = 2 }\n",
     ["7: unknown key 'zom' in view (did you mean 'zoom'?)"]),
    ("view without elevation", STEP + "view = { azimuth = 10 }\n",
     ["7: view needs elevation, e.g. { azimuth = 135, elevation = 25, zoom = 1 }"]),
    ("unknown focus", STEP + 'view = { azimuth = 10, elevation = 5, focus = "fisure" }\n',
     ["7: unknown structure 'fisure' in focus (did you mean 'fissure'?)"]),
    ("focus a number", STEP + "view = { azimuth = 10, elevation = 5, focus = 3 }\n",
     ['7: focus must be a list of structure or group names, e.g. focus = ["disc", "vertebrae"]']),
    ("zoom 0", STEP + "view = { azimuth = 10, elevation = 5, zoom = 0 }\n",
     ["7: zoom must be between 0.5 and 4, got 0"]),
    ("elevation beyond the pole", STEP + "view = { azimuth = 10, elevation = 95 }\n",
     ["7: elevation must be between -90 and 90 degrees, got 95"]),
    ("view a number", STEP + "view = 3\n",
     ['7: view must be a named view such as "posterior" or a table '
      '{ azimuth = 135, elevation = 25, zoom = 1 }']),
    ("orbit a string", STEP + 'orbit = "fast"\n',
     ["7: orbit must be a number of degrees, between -720 and 720, got 'fast'"]),
    ("negative hold", STEP + "hold = -1\n", ["7: hold must be between 0 and 300 seconds, got -1"]),
    ("transition a string", STEP + 'transition = "slow"\n',
     ["7: transition must be a number of seconds, between 0 and 20, got 'slow'"]),
    ("infinite transition", STEP + "transition = inf\n",
     ["7: transition must be a number of seconds, between 0 and 20, got inf"]),
    ("unknown audience", 'audience = "patients"\n' + STEP,
     ["1: unknown audience 'patients' (did you mean 'patient'?)"]),
    ("language not a code", STEP.replace('["en", "zh"]', '["English"]'),
     ["2: 'English' is not a language code; use a code such as 'en' or 'zh'"]),
    ("language twice", STEP.replace('["en", "zh"]', '["en", "en"]'),
     ["2: language 'en' is listed twice in languages"]),
    ("languages not a list", STEP.replace('["en", "zh"]', '"en"'),
     ['2: languages must be a list of at least one language code, e.g. languages = ["en", "zh"]']),
    ("text in an unlisted language", STEP + 'caption = { en = "a", eng = "b" }\n',
     ["7: language 'eng' of caption is not listed in languages = [\"en\", \"zh\"] (did you mean 'en'?)"]),
    ("text in a far language", STEP + 'title = { fr = "a" }\n',
     ['7: language \'fr\' of title is not listed in languages = ["en", "zh"]']),
    ("language without languages",
     'format = 1\n\n[[steps]]\nid = "a"\nstate = "healthy"\ntitle = { zh = "x" }\n',
     ['6: language \'zh\' of title is not listed in languages = ["en"]']),
    ("text a number", STEP + "title = 5\n",
     ['7: title must be a string or a table keyed by language, e.g. { en = "...", zh = "..." }']),
    ("text empty", STEP + "title = {}\n", ["7: title has no text: give at least one language"]),
    ("text value a number", STEP + "caption = { en = 5 }\n", ["7: caption in 'en' must be a string, got 5"]),
    ("unknown parameter", STEP + '\n[steps.params]\n"fisure.depth" = 0.5\n',
     ["9: unknown parameter 'fisure.depth' (did you mean 'fissure.depth'?)"]),
    ("parameter out of range", STEP + '\n[steps.params]\n"fissure.depth" = 1.5\n',
     ["9: fissure.depth must be a number from 0.1 to 1 (got 1.5)"]),
    ("parameter choice", STEP + '\n[steps.params]\n"fissure.type" = "radiall"\n',
     ["9: fissure.type must be one of radial, circumferential, rim (got 'radiall') "
      "(did you mean 'radial'?)"]),
    ("dotted parameter out of range", STEP + "\n[steps.params]\nfissure.depth = 2\n",
     ["9: fissure.depth must be a number from 0.1 to 1 (got 2)"]),
    ("params not a table", STEP + "params = 3\n",
     ['7: params must be a table, e.g. params = { "fissure.depth" = 0.6 }']),
    ("unknown preset", 'preset = "L4L5"\n' + STEP,
     ["1: unknown preset 'L4L5' (did you mean 'L4-L5'?); bundled presets are L3-L4, L4-L5, L5-S1, "
      "degenerated-L4-L5, or give a .toml file next to the scene"]),
    ("missing preset file", 'preset = "mine.toml"\n' + STEP,
     ["1: preset file 'mine.toml' not found next to the scene"]),
    ("preset outside the folder", 'preset = "../outside.toml"\n' + STEP,
     ["1: preset '../outside.toml' is outside the scene's folder; keep it in the scene's folder or below"]),
    ("preset a number", "preset = 3\n" + STEP,
     ["1: preset must be a preset name such as 'L4-L5' or a .toml file, got 3"]),
    ("missing image", STEP + 'image = "fig.png"\n', ["7: image file 'fig.png' not found next to the scene"]),
    ("image outside the folder", STEP + 'image = "../outside.png"\n',
     ["7: image '../outside.png' is outside the scene's folder; keep it in the scene's folder or below"]),
    ("image an absolute path", STEP + 'image = "/etc/passwd"\n',
     ["7: image '/etc/passwd' is outside the scene's folder; keep it in the scene's folder or below"]),
    ("image not a PNG", STEP + 'image = "fake.png"\n', ["7: image 'fake.png' is not a PNG or JPEG picture"]),
    ("image too large", STEP + 'image = "huge.png"\n',
     ["7: image 'huge.png' is too large (10485761 bytes; at most 10 MiB for a picture)"]),
    ("image a number", STEP + "image = 3\n",
     ['7: image must be a file name such as "figures/section.png", got 3']),
    ("id in defaults", DEFAULTS.format('id = "x"'),
     ["4: 'id' cannot have a default: every step needs its own id"]),
    ("unknown key in defaults", DEFAULTS.format('cutway = "axial"'),
     ["4: unknown key 'cutway' in [defaults] (did you mean 'cutaway'?)"]),
    ("bad default, reported once",
     DEFAULTS.format('cutaway = "axail"') + '\n[[steps]]\nid = "two"\nstate = "healthy"\n',
     ["4: unknown cutaway 'axail' (did you mean 'axial'?)"]),
    ("defaults not a table", 'format = 1\ndefaults = 3\n\n[[steps]]\nid = "one"\nstate = "healthy"\n',
     ["2: defaults must be a table: write it as [defaults]"]),
    ("no steps", "format = 1\n", [": a scene needs at least one step: add a [[steps]] table"]),
    ("empty steps", "format = 1\nsteps = []\n",
     ["2: a scene needs at least one step: add a [[steps]] table"]),
    ("steps not tables", "format = 1\nsteps = [1, 2]\n", ["2: steps must be written as [[steps]] tables"]),
    ("label for a group", STEP + '\n[labels]\ndisc = { patient = "x" }\n',
     ["9: labels name structures, not groups: 'disc' is a group (annulus, nucleus)"]),
    ("label for an unknown structure", STEP + '\n[labels]\nanulus = { patient = "x" }\n',
     ["9: unknown structure 'anulus' in [labels] (did you mean 'annulus'?)"]),
    ("label for an unknown audience", STEP + '\n[labels]\nannulus = { patients = "x" }\n',
     ["9: unknown audience 'patients' in labels of 'annulus' (did you mean 'patient'?)"]),
    ("label not a table", STEP + '\n[labels]\nannulus = "ring"\n',
     ["9: labels of 'annulus' must be a table such as { patient = \"...\", clinician = \"...\" }"]),
    ("labels not a table", "labels = 3\n" + STEP,
     ["1: labels at the top must be a table: [labels] with lines such as "
      'annulus = { patient = "outer ring" }']),
    ("not TOML", "format = = 1\n", ["1: not valid TOML: Invalid value"]),
    ("nested too deeply", "a = " + "[" * 3000 + "]" * 3000 + "\n", [": not valid TOML: nested too deeply"]),
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scene folder (with a few files, and files just outside it), as the working directory."""
    inside = tmp_path / "scenes"
    inside.mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "outside.toml").write_text("seed = 1\n")
    (inside / "fake.png").write_text("GIF89a, not a png")
    with open(inside / "huge.png", "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(10 * 1024 * 1024 + 1)
    monkeypatch.chdir(inside)
    return inside


def problems_of(text: str | bytes) -> list[str]:
    """Write ``scene.toml`` in the working directory and return its problems as printed."""
    path = Path("scene.toml")
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    with pytest.raises(InputError) as error:
        load_scene("scene.toml")
    return [str(p) for p in error.value.problems]


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 30
    assert len({text for _, text, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[n for n, _, _ in CASES])
def test_broken_scene(folder: Path, text: str, expected: list[str]) -> None:
    assert problems_of(text) == ["scene.toml:" + e if e[0].isdigit() else "scene.toml" + e for e in expected]


def test_the_base_scenes_are_valid(folder: Path) -> None:
    for text in (STEP, DEFAULTS.format('cutaway = "axial"')):
        Path("scene.toml").write_text(text)
        assert load_scene("scene.toml").steps[0].id == "one"


def test_not_utf8(folder: Path) -> None:
    assert problems_of(b"format = 1\n\xff\n") == ["scene.toml:2: not UTF-8 text: save the file as UTF-8"]


def test_too_large(folder: Path) -> None:
    assert problems_of(b"#" * (1024 * 1024 + 1)) == [
        "scene.toml: file is too large (1048577 bytes; at most 1 MiB)"]


def test_image_through_a_symlink_out_of_the_folder(folder: Path) -> None:
    os.symlink(folder.parent / "outside.png", folder / "link.png")
    assert problems_of(STEP + 'image = "link.png"\n') == [
        "scene.toml:7: image 'link.png' is outside the scene's folder; "
        "keep it in the scene's folder or below"]


def test_problems_inside_a_local_preset_are_reported_with_its_own_lines(folder: Path) -> None:
    Path("mine.toml").write_text("seed = 1\n\n[fissure]\ndepth = 3\n")
    assert problems_of('preset = "mine.toml"\n' + STEP) == [
        "mine.toml:4: fissure.depth must be a number from 0.1 to 1 (got 3)"]


def test_every_mistake_of_a_scene_is_reported(folder: Path) -> None:
    text = (
        'format = 2\n'                                   # 1
        'languages = ["en", "zh"]\n'                     # 2
        'audience = "doctor"\n'                          # 3
        '\n'
        '[defaults]\n'                                   # 5
        'view = "behind"\n'                              # 6
        '\n'
        '[[steps]]\n'                                    # 8
        'id = "one"\n'                                   # 9
        'state = "healthy"\n'                            # 10
        'show = ["disc", "fissure"]\n'                   # 11
        'opacity = { annulus = 1.5 }\n'                  # 12
        '\n'
        '[[steps]]\n'                                    # 14
        'id = "one"\n'                                   # 15
        'state = "ruptred"\n'                            # 16
        'caption = { de = "Riss" }\n'                    # 17
        '\n'
        '[steps.params]\n'                               # 19
        '"fissure.depth" = 0\n'                          # 20
    )
    assert problems_of(text) == [
        "scene.toml:1: format must be 1, got 2",
        "scene.toml:3: unknown audience 'doctor'; choose from patient, clinician",
        "scene.toml:6: unknown view 'behind'; choose from anterior, posterior, left, right, superior, "
        "inferior, left-posterolateral, right-posterolateral, endoscope",
        "scene.toml:11: structure 'fissure' is not in state 'healthy' "
        "(it is in: ruptured, nerve-ingrowth, herniated)",
        "scene.toml:12: opacity of 'annulus' must be between 0 and 1, got 1.5",
        "scene.toml:15: step id 'one' is used twice (first on line 9)",
        "scene.toml:16: unknown state 'ruptred' (did you mean 'ruptured'?)",
        "scene.toml:17: language 'de' of caption is not listed in languages = [\"en\", \"zh\"]",
        "scene.toml:20: fissure.depth must be a number from 0.1 to 1 (got 0)",
    ]


def test_scene_not_found(folder: Path) -> None:
    with pytest.raises(InputError) as error:
        load_scene("discogenic-pian")
    message = str(error.value)
    assert message.startswith("discogenic-pian: no scene file or bundled scene called 'discogenic-pian'")
    with pytest.raises(InputError) as error:
        load_scene("nothing.toml")
    assert str(error.value).startswith("nothing.toml: cannot read the file")
