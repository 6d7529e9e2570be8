"""Running discviz as a user would, with a time limit and a memory limit, so that a hang or
a runaway allocation fails the test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

TIME_LIMIT = 30.0  # seconds, per command
MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes of heap (RLIMIT_DATA: what allocations can take)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT, MEMORY_LIMIT))


def as_a_user() -> list[str]:
    """A prefix that makes a command obey file permissions: root may write anywhere, so as
    root the command runs without the capabilities that override them (util-linux setpriv).
    """
    if os.getuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "running the tests as root needs setpriv (util-linux) for this test"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def run_discviz(*args: str, cwd: Path | None = None, obey_permissions: bool = False,
                timeout: float = TIME_LIMIT) -> subprocess.CompletedProcess[str]:
    """``discviz ARGS`` in a fresh process (no display): within the time and memory limits,
    never killed by a signal, never an internal error.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DISCVIZ_DEBUG")}
    prefix = as_a_user() if obey_permissions else []
    result = subprocess.run([*prefix, sys.executable, "-m", "discviz", *args], capture_output=True, text=True,
                            cwd=cwd, timeout=timeout, preexec_fn=_limit_memory, env=env, check=False)
    assert result.returncode >= 0, f"killed by signal {signal.Signals(-result.returncode).name}"
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines on stderr that are not progress bars."""
    progress = ("steps [", "video [")
    return [line for line in result.stderr.splitlines() if line and not line.startswith(progress)]
