from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "discviz", *args], capture_output=True, text=True)


def test_unknown_command_is_bad_input_without_traceback() -> None:
    result = run("fly")
    assert result.returncode == 2
    assert "invalid choice: 'fly'" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("present", "render", "mesh", "check", "schema", "list", "bench"):
        assert command in result.stdout


def test_geometry_bench_prints_every_figure_as_json() -> None:
    import json

    result = run("bench", "--what", "geometry", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)["geometry"]
    for state in ("ruptured", "nerve-ingrowth"):
        assert figures[f"{state}_full_build_ms"] > 0
    for state in ("ruptured", "nerve-ingrowth", "repaired"):
        frame = figures["transition_frame_ms"][state]
        assert 0 < frame["mean"] <= frame["max"]
    assert figures["triangles_nerve_ingrowth"] > 10_000
    assert figures["targets"] == {"full_build_ms": 30, "transition_frame_ms": 5,
                                  "microseconds_per_triangle": 0.3, "segment_cold_ms": 60,
                                  "segment_cached_ms": 1, "operation_transition_frame_ms": 5}
    assert 0 < figures["segment_cached_ms"] < figures["segment_cold_ms"]
    repair = figures["operation_transition_frame_ms"]["repaired"]
    assert 0 < repair["mean"] <= repair["max"]
    assert 0 < figures["operation_approach_frame_ms"]["mean"] <= figures["operation_approach_frame_ms"]["max"]
    assert set(figures["segment_triangles"]) == {"vertebra-upper", "vertebra-lower", "facet-joints",
                                                 "nerve-roots", "dural-sac"}


def test_bench_rejects_a_repeat_below_one() -> None:
    result = run("bench", "--what", "geometry", "--repeat", "0")
    assert result.returncode == 2
    assert "--repeat: must be from 1 to 1000 (got 0)" in result.stderr
    assert "Traceback" not in result.stderr
