"""Where a focused camera looks: the centre of the named structures (numpy only)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from discviz.geometry.model import build_surfaces
from discviz.geometry.params import Params
from discviz.geometry.structures import STATE_STRUCTURES, STATES


@lru_cache(maxsize=64)
def focus_point(params: Params, names: tuple[str, ...], state: str) -> tuple[float, float, float] | None:
    """Centre of the bounding box of ``names`` as built in ``state`` (complete, progress 1).

    A structure the state lacks is taken from the first state of the story that has it, so
    a healthy step can look at where the fissure will open. None when nothing is named.
    """
    points = []
    for name in names:
        having = state if name in STATE_STRUCTURES[state] else next(
            (s for s in STATES if name in STATE_STRUCTURES[s]), None)
        if having is not None:
            points.append(build_surfaces(having, params, 1.0)[name].points)
    if not points:
        return None
    stacked = np.concatenate(points)
    centre = (stacked.min(axis=0) + stacked.max(axis=0)) / 2
    return float(centre[0]), float(centre[1]), float(centre[2])
