"""Shared test configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]

# Geometry builds take milliseconds, not microseconds: no deadline on slow CI machines.
# CI replays the same examples every run (derandomize), so a result never depends on luck;
# HYPOTHESIS_PROFILE=explore searches new random examples (run it when changing geometry).
settings.register_profile(
    "discviz", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True,
    derandomize=True,
)
settings.register_profile(
    "explore", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "discviz"))


# Tests that open windows (or start the viewer) share one xdist worker: the workers share one
# X display, and a window of one worker can take the keyboard focus from the other's.
WINDOW_TEST_FILES = ("tests/app/", "tests/hostile/test_inputs.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path)).relative_to(ROOT).as_posix()
        if (path.startswith(WINDOW_TEST_FILES) or item.get_closest_marker("gui") is not None
                or "qtbot" in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("windows"))
