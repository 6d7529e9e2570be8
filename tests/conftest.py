"""Shared test configuration."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
