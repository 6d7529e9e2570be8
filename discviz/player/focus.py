"""Where a focused camera looks: the centre of the named structures (numpy only)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from discviz.geometry.model import build_surfaces
from discviz.geometry.params import Params
from discviz.geometry.structures import STATE_STRUCTURES, STATES
from discviz.player.viewstate import Camera, ViewState

CLOSE_UP_ZOOM = 2.8  # the tear fills about a third of the view, the nucleus still beside it


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


def close_up(frame: ViewState) -> Camera:
    """``frame``'s camera turned into a close-up of the tear (of the seal once repaired;
    before the tear, of where it will open): the presenter's "show me the crack".
    """
    target = ("repair",) if frame.disc_state == "repaired" else ("fissure",)
    camera = frame.camera
    return Camera(camera.azimuth, camera.elevation, max(camera.zoom, CLOSE_UP_ZOOM),
                  focus_point(frame.params, target, frame.disc_state), 1.0)
