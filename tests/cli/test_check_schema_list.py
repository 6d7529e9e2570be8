"""`discviz check`, `discviz schema` and `discviz list`, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "scene" / "valid" / "scene.toml"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "discviz", *args], capture_output=True, text=True,
                          cwd=cwd, encoding="utf-8")


def test_check_good_scenes_and_presets(tmp_path: Path) -> None:
    scenes = sorted(str(p) for p in (ROOT / "scenes").glob("*.toml"))
    presets = sorted(str(p) for p in (ROOT / "meshes").glob("*.toml"))
    result = run("check", str(VALID), *scenes, *presets, "discogenic-pain", "L4-L5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{name}: ok" for name in
                                          (str(VALID), *scenes, *presets, "discogenic-pain", "L4-L5")]
    assert result.stderr == ""


def test_check_reports_every_problem_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "scene.toml").write_text(
        'format = 1\n\n[[steps]]\nid = "a"\nstate = "helthy"\nopacity = { annulus = 1.5 }\n')
    (tmp_path / "preset.toml").write_text("seed = 1\n\n[fissure]\ndepth = 3\n")
    (tmp_path / "good.toml").write_text("seed = 2\n")
    (tmp_path / "broken.toml").write_bytes(b"format = \xff\n")
    result = run("check", "scene.toml", "good.toml", "preset.toml", "broken.toml", "missing.toml",
                 cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == "good.toml: ok\n"
    assert result.stderr.splitlines() == [
        "scene.toml:5: unknown state 'helthy' (did you mean 'healthy'?)",
        "scene.toml:6: opacity of 'annulus' must be between 0 and 1, got 1.5",
        "preset.toml:4: fissure.depth must be a number from 0.1 to 1 (got 3)",
        "broken.toml:1: not UTF-8 text: save the file as UTF-8",
        "missing.toml: cannot read the file: there is no such file",
    ]
    assert "Traceback" not in result.stderr


def test_check_scene_with_only_a_format_is_a_scene(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text("format = 1\n")
    result = run("check", "s.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "s.toml: a scene needs at least one step: add a [[steps]] table\n"


def test_schema_is_json_and_a_valid_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_list(tmp_path: Path) -> None:
    result = run("list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for word in ("healthy", "nerve-ingrowth", "annulus", "annulus fibrosus", "jelly-like core",
                 "pathology", "L4-L5 (default)", "degenerated-L4-L5", "discogenic-pain"):
        assert word in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_check_says_what_an_empty_file_and_a_scene_without_format_lack(tmp_path: Path) -> None:
    (tmp_path / "empty.toml").write_text("")
    (tmp_path / "nofmt.toml").write_text(
        '[defaults]\ntransition = 1\n\n[[step]]\nid = "a"\nstate = "healthy"\n')
    result = run("check", "empty.toml", "nofmt.toml", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "empty.toml: the file is empty: a scene starts with format = 1 and has [[steps]]; "
        "a preset sets values such as [disc] width = 49.0",
        "nofmt.toml: missing 'format = 1' at the top (the version of the scene format)",
        "nofmt.toml: a scene needs at least one step: add a [[steps]] table",
        "nofmt.toml:4: unknown key 'step' (did you mean 'steps'?)",
    ]
