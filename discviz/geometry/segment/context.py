"""Context around the disc: the dural (thecal) sac behind it and the nerve roots.

At a lumbar level the traversing root (L5 at L4-L5) leaves the sac just above the disc and
runs down in the lateral recess behind the posterolateral disc; the exiting root (L4 at
L4-L5) leaves higher up and runs laterally, downward and forward through the foramen, above
the disc. Sizes are schematic (sac about 16 x 12 mm, roots about 3 mm thick).
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.disc.annulus import DiscLayout
from discviz.geometry.primitives import merge, swept_arc, tube
from discviz.geometry.surface import Surface

SAC_HALF_WIDTH, SAC_HALF_DEPTH = 8.0, 6.0
ROOT_RADIUS = 1.5


def _sac_centre_y(layout: DiscLayout) -> float:
    return layout.frame.half_depth + 1.0 + SAC_HALF_DEPTH + 1.5


def _span(layout: DiscLayout) -> float:
    return layout.params.f("vertebra.height") + layout.frame.height_anterior / 2


def dural_sac_surface(layout: DiscLayout) -> Surface:
    """An elliptic tube running the height of the model behind the disc."""
    sides = layout.frame.n_around // 3
    angle = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = np.stack([SAC_HALF_WIDTH * np.sin(angle),
                     _sac_centre_y(layout) - SAC_HALF_DEPTH * np.cos(angle)], axis=-1)
    span = _span(layout)
    z = np.linspace(-span, span, 12)
    # slightly narrower at the disc (the disc and ligament indent it)
    squeeze = 1 - 0.06 * np.exp(-(z / 6) ** 2)
    centre = np.array([0.0, _sac_centre_y(layout)])
    xy = centre + squeeze[:, None, None] * (ring - centre)[None]
    sections = np.concatenate([xy, np.broadcast_to(z[:, None, None], (*xy.shape[:2], 1))], -1)
    # sections go up +z and each ring counter-clockwise from above -> reverse for outward caps
    return swept_arc(sections[:, ::-1, :])


def _smooth_path(control: np.ndarray, count: int) -> np.ndarray:
    """A smooth path through control points (Catmull-Rom, vectorised over the samples)."""
    padded = np.concatenate([control[:1], control, control[-1:]])
    segments = len(control) - 1
    t = np.linspace(0, segments, count)
    i = np.minimum(t.astype(int), segments - 1)
    u = (t - i)[:, None]
    p0, p1, p2, p3 = padded[i], padded[i + 1], padded[i + 2], padded[i + 3]
    return 0.5 * ((2 * p1) + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u**2
                  + (-p0 + 3 * p1 - 3 * p2 + p3) * u**3)


def nerve_roots_surface(layout: DiscLayout) -> Surface:
    """Traversing and exiting roots on both sides."""
    frame = layout.frame
    b = frame.half_depth
    yc = _sac_centre_y(layout)
    span = _span(layout)
    top = frame.height_anterior / 2
    parts = []
    for side in (-1.0, 1.0):
        traversing = np.array([
            [side * 10.0, yc - 2.5, top + 9.0],
            [side * 8.5, b + 2.9, top + 2.0],
            [side * 10.5, b + 2.8, -2.0],
            [side * 12.5, b + 3.0, -span * 0.9],
        ])
        exiting = np.array([
            [side * 10.0, yc - 0.5, top + 16.0],
            [side * 14.0, b + 5.0, top + 12.0],
            [side * 22.0, b + 0.5, top + 7.0],
            [side * 31.0, b - 6.0, top + 2.5],
        ])
        for control in (traversing, exiting):
            path = _smooth_path(control, 24)
            radius = np.full(len(path), ROOT_RADIUS)
            radius[0] = radius[-1] = ROOT_RADIUS * 0.85
            parts.append(tube(path, radius, layout.frame.tube_sides + 4))
    return merge(parts)
