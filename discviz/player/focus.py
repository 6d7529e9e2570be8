"""Where a focused camera looks: the centre of the named structures (numpy only)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from discviz.geometry.model import build_surfaces
from discviz.geometry.params import Params
from discviz.geometry.structures import STATE_STRUCTURES, STATES
from discviz.player.viewstate import Camera, ViewState

CLOSE_UP_ZOOM = 2.8  # the tear fills about a third of the view, the nucleus still beside it


Box = tuple[float, float, float, float, float, float]


@lru_cache(maxsize=64)
def focus_box(params: Params, names: tuple[str, ...], state: str) -> Box | None:
    """Bounding box (min x, y, z, max x, y, z) of ``names`` as built in ``state`` (complete,
    progress 1).

    A structure the state lacks is taken from the first state of the story that has it, so
    a healthy step can look at where the fissure will open. None when nothing is named.
    """
    points = []
    for name in names:
        having = state if name in STATE_STRUCTURES.get(state, ()) else next(
            (s for s in STATES if name in STATE_STRUCTURES[s]), None)
        if having is not None:
            surface = build_surfaces(having, params, 1.0).get(name)
            if surface is not None and surface.n_points:
                points.append(surface.points)
    if not points:
        return None
    stacked = np.concatenate(points)
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    return (float(low[0]), float(low[1]), float(low[2]), float(high[0]), float(high[1]), float(high[2]))


def focus_point(params: Params, names: tuple[str, ...], state: str) -> tuple[float, float, float] | None:
    """Centre of :func:`focus_box`."""
    box = focus_box(params, names, state)
    if box is None:
        return None
    return ((box[0] + box[3]) / 2, (box[1] + box[4]) / 2, (box[2] + box[5]) / 2)


def close_up(frame: ViewState) -> Camera:
    """``frame``'s camera turned into a close-up of the tear (of the seal once repaired;
    before the tear, of where it will open): the presenter's "show me the crack".
    """
    target = ("repair",) if frame.disc_state == "repaired" else ("fissure",)
    camera = frame.camera
    return Camera(camera.azimuth, camera.elevation, max(camera.zoom, CLOSE_UP_ZOOM),
                  focus_point(frame.params, target, frame.disc_state), 1.0,
                  focus_box(frame.params, target, frame.disc_state))
