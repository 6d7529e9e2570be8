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
