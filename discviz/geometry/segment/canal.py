"""The spinal canal (a shape cut out of each vertebra) and the dural sac that lies in it.

The canal's axial shape goes from round or oval (upper lumbar levels) to trefoil at L5, where
the lateral recesses reach forward and outward beside the sac (Panjabi 1992 for its depth and
interpedicular width). The sac is an elliptic tube with the published cross-section at the disc
(152 mm2 in controls at L4-5; Hamanishi 1994), its front a millimetre behind the disc; the dural
sleeves that carry each root out of it are part of its surface, so a root leaves the sac
through a flared sleeve rather than from a bare hole.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.segment.layout import SLEEVE, SegmentLayout, VertebraFrame
from discviz.geometry.segment.sdf import Grid, Part, polyline, smooth_max, smooth_min
from discviz.geometry.surface import Surface

SAC_STEP = {"low": 1.6, "medium": 1.3, "high": 0.8}


def _ellipse(x: np.ndarray, y: np.ndarray, cx: float, cy: float, ax: float, ay: float) -> np.ndarray:
    """Approximate distance to an axis-aligned ellipse (exact on it)."""
    return (np.sqrt(((x - cx) / ax) ** 2 + ((y - cy) / ay) ** 2) - 1.0) * np.minimum(ax, ay)


def canal_field(vertebra: VertebraFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Signed distance (negative inside) to the canal of a vertebra in an axial section."""
    half_w, depth, tre = vertebra.canal_width / 2, vertebra.canal_depth, vertebra.trefoil
    front = vertebra.wall_y
    centre = _ellipse(x, y, 0.0, front + depth / 2, half_w * (1 - 0.42 * tre), depth / 2)
    recess_x = half_w * (0.22 + 0.16 * tre)
    recess_y = min(depth * (0.2 + 0.1 * tre), recess_x)
    recess = _ellipse(np.abs(x), y, half_w - recess_x, front + recess_y + 0.3, recess_x, recess_y + 0.3)
    shape = smooth_min(centre, recess, 2.0)
    return smooth_max(shape, front - 0.6 - y, 1.0)


def sac_field(layout: SegmentLayout, grow: float = 0.0):
    """Field of the sac's tube (without sleeves), grown by ``grow`` mm."""
    hw, hd, yc = layout.sac_half_width + grow, layout.sac_half_depth + grow, layout.sac_centre_y
    bottom, top = layout.sac_z
    sacrum = layout.lower.sacrum
    mid = (bottom + top) / 2
    half = (top - bottom) / 2 + grow

    def f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        if sacrum:  # the sac narrows inside the sacrum (it ends at S2)
            shrink = 1.0 - 0.35 * np.clip((-z - 6.0) / 20.0, 0.0, 1.0)
        else:
            shrink = 1.0
        section = _ellipse(x, y, 0.0, yc, hw * shrink, hd * shrink)
        return smooth_max(section, np.abs(z - mid) - half, 5.0)

    return f


def dural_sac_surface(layout: SegmentLayout) -> Surface:
    """The sac in the canal with the dural sleeves of the roots (left side mirrored)."""
    step = SAC_STEP[str(layout.params["quality"])]
    bottom, top = layout.sac_z
    hw, hd, yc = layout.sac_half_width, layout.sac_half_depth, layout.sac_centre_y
    roots = [r for r in layout.roots.values() if r.name.endswith("-left")]
    reach = max(float(r.path[r.sleeve_end, 0]) for r in roots) + 4.0
    lo = np.array([0.0, yc - hd - 4.0, bottom - 4.0])
    hi = np.array([reach, yc + hd + 4.0, top + 4.0])
    grid = Grid(lo, hi, step)
    grid.add(Part(0, np.array([0.0, yc - hd, bottom]), np.array([hw, yc + hd, top]),
                  sac_field(layout), blend=0.0))
    for root in roots:
        a, b = root.sleeve_start, root.sleeve_end + 1
        radius = root.radius[a:b] + SLEEVE * np.linspace(1.0, 0.5, b - a)
        # every third point of the path: the capsules between them follow it closely
        keep = np.unique(np.r_[np.arange(0, b - a, 3), b - a - 1])
        path, radius = root.path[a:b][keep], radius[keep]
        grid.add(Part(0, path.min(axis=0) - radius.max(), path.max(axis=0) + radius.max(),
                      polyline(path, radius), blend=1.8))
    surface, _ = grid.mesh(smoothing=4)
    return surface
