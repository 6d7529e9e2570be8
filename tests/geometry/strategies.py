"""Hypothesis strategies over the full parameter ranges of every preset."""

from __future__ import annotations

import os

from hypothesis import strategies as st

from discviz.geometry.params import SPECS, Params
from discviz.geometry.presets import PRESET_NAMES, load_preset


def value_of(key: str) -> st.SearchStrategy:
    spec = SPECS[key]
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "int":
        return st.integers(int(spec.minimum), int(spec.maximum))
    return st.floats(spec.minimum, spec.maximum, allow_nan=False)


@st.composite
def params(draw: st.DrawFn, quality: str = "low", changed: int = 6) -> Params:
    """A preset with up to ``changed`` parameters moved anywhere in their ranges."""
    base = load_preset(draw(st.sampled_from(PRESET_NAMES)))
    keys = draw(st.lists(st.sampled_from([k for k in SPECS if k != "quality"]),
                         max_size=changed, unique=True))
    changes = {key: draw(value_of(key)) for key in keys}
    changes["quality"] = quality
    return base.update(changes)


def examples(wanted: int) -> int:
    """How many hypothesis examples a slow geometry test draws. CI replays a fixed third of
    them (at least three) to stay well inside its time; HYPOTHESIS_PROFILE=explore draws the
    full number anew each run, and is what to run after changing the geometry.
    """
    if os.environ.get("HYPOTHESIS_PROFILE") == "explore":
        return wanted
    return max(3, wanted // 3)
