"""The nerve roots: where they run (centre-lines and radii) and their tubes.

At a lumbar level (L4-L5 here; the numbers follow the preset's level) two roots leave the
dural sac on each side. The exiting root (L4) leaves it higher up, runs down along the medial
side of the upper pedicle and turns under it into the upper part of the foramen, where its
dorsal root ganglion lies (its middle about 7 mm lateral to the pedicle's medial border, Silav
2016), then runs out laterally and down, a little forward, across the disc's posterolateral corner:
the hypotenuse of Kambin's triangle. The traversing root (L5) leaves the sac near the disc (below it
in 64 %, Suh 2005) and runs down in the lateral recess along the medial side of the lower
pedicle toward the next foramen. Inside the sac each root is visible through its wall; it leaves
the sac inside a dural sleeve. Both ends taper, so no root looks cut off.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.primitives import merge, tube
from discviz.geometry.segment.layout import CLEARANCE, RIM_FLARE, Root, SegmentLayout, mirror, smooth_path
from discviz.geometry.surface import Surface

STEP = {"low": 1.8, "medium": 1.2, "high": 0.8}  # mm between a root's sections


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _resample(control: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """A smooth path through ``control`` at even arc-length steps; and the arc length."""
    dense = smooth_path(control, 240)
    seg = np.linalg.norm(np.diff(dense, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    count = max(int(np.ceil(s[-1] / step)) + 1, 8)
    target = np.linspace(0.0, s[-1], count)
    path = np.stack([np.interp(target, s, dense[:, i]) for i in range(3)], axis=1)
    return path, target


def _body_back(layout: SegmentLayout, x: float) -> float:
    """Y of the vertebral bodies' posterior surface at ``x`` (or the midline wall's y beyond)."""
    theta = np.linspace(np.pi / 2, 3 * np.pi / 2, 721)
    outline = layout.frame.outline(theta) * RIM_FLARE
    back = outline[np.abs(outline[:, 0] - x) < 1.0, 1]
    return float(back.max()) if len(back) else layout.upper.wall_y - 6.0


def _inside_sac(layout: SegmentLayout, path: np.ndarray) -> np.ndarray:
    rel_x = path[:, 0] / layout.sac_half_width
    rel_y = (path[:, 1] - layout.sac_centre_y) / layout.sac_half_depth
    return rel_x**2 + rel_y**2 < 1.0


def _taper(s: np.ndarray, length: float, start: float, end: float) -> np.ndarray:
    """1 in the middle, narrowing over ``start`` mm at the beginning and ``end`` mm at the end
    to a rounded tip (no flat, cut-off face; no needle either).
    """
    head = np.sqrt(_smoothstep(s / start)) * 0.6 + 0.4
    tail = 0.6 + 0.4 * _smoothstep((length - s - 1.5) / end)
    tip = np.sqrt(np.clip((length - s) / 2.0, 0.0, 1.0))  # the last 2 mm round off
    return np.minimum(head, tail * np.maximum(tip, 0.2))


def _exiting(layout: SegmentLayout, step: float) -> Root:
    p = layout.params
    up = layout.upper
    name = f"{up.name}-left"
    diameter = p.f("roots.diameter_exiting")
    r_root, r_nerve = 0.3 * diameter, 0.4 * diameter  # in the sleeve; beyond the ganglion
    g_half, g_len = p.f("ganglion.width") / 2, p.f("ganglion.length")
    hw, yc = layout.sac_half_width, layout.sac_centre_y
    medial = up.pedicle_medial_x
    x_drg = medial + 7.3  # Silav 2016: ganglion middle 7.3 mm lateral to the medial pedicle border
    front = _body_back(layout, x_drg)
    back = up.wall_y + p.f("foramen.width")
    y_drg = (front + back) / 2
    z_drg = up.pedicle_bottom - g_half - CLEARANCE - 0.6
    beside = medial - r_root - CLEARANCE - 0.5
    control = np.array([
        [0.35 * hw, yc + 1.0, up.pedicle_top - 1.0],
        [0.8 * hw, yc - 0.5, up.pedicle_centre[2] + 3.0],
        [beside, up.wall_y + r_root + 2.5, up.pedicle_bottom + 1.5],
        [medial + 2.0, y_drg + 0.5, z_drg + 1.2],
        [x_drg, y_drg, z_drg],
        [x_drg + 7.5, y_drg - 4.5, z_drg - 5.5],
        [x_drg + 13.0, y_drg - 8.0, z_drg - 12.0],
        [x_drg + 17.5, y_drg - 10.0, z_drg - 19.0],
        [x_drg + 21.0, y_drg - 11.0, z_drg - 26.0],
    ])
    path, s = _resample(control, step)
    s_drg = s[np.argmin(np.linalg.norm(path - control[4], axis=1))]
    after = _smoothstep((s - s_drg + g_len / 2) / g_len)
    base = r_root + (r_nerve - r_root) * after
    bump = np.cos(np.clip((s - s_drg) / (g_len / 2), -1, 1) * np.pi / 2) ** 2
    radius = np.maximum(base, base + (g_half - base) * bump)
    radius *= _taper(s, s[-1], 5.0, 9.0)
    inside = _inside_sac(layout, path)
    leave = int(np.argmin(inside)) if inside.any() and not inside.all() else 2
    sleeve_end = int(np.searchsorted(s, s_drg - g_len / 2))
    return Root(name, "exiting", path, radius, max(leave - 3, 0), max(sleeve_end, leave + 1),
                control[4].copy())


def _traversing(layout: SegmentLayout, step: float) -> Root:
    p = layout.params
    low = layout.lower
    name = f"{low.name}-left"
    r_root = 0.3 * p.f("roots.diameter_traversing")
    hw, yc = layout.sac_half_width, layout.sac_centre_y
    takeoff = p.f("roots.takeoff")
    x = low.pedicle_medial_x - r_root - CLEARANCE - 0.9
    y = low.wall_y + r_root + 2.3
    bottom = low.world_z(low.wall_y, 0.0)
    if low.sacrum:  # on down the sacral canal toward the first sacral foramen
        tail = [[x + 0.5, y + 1.0, low.pedicle_bottom - 2.0], [x + 1.0, y + 1.5, bottom + 4.0]]
    else:  # under the lower pedicle toward the next foramen
        tail = [[x + 2.0, y + 0.3, low.pedicle_bottom - r_root - 2.5],
                [low.pedicle_medial_x + 5.0, y - 1.0, max(low.pedicle_bottom - 6.5, bottom + 2.0)]]
    control = np.array([
        [0.3 * hw, yc, takeoff + 14.0],
        [0.75 * hw, yc - 0.8, takeoff + 5.0],
        [x, y, takeoff - 3.0],
        [x, y, low.pedicle_centre[2]],
        *tail,
    ])
    path, s = _resample(control, step)
    radius = r_root * _taper(s, s[-1], 5.0, 8.0)
    inside = _inside_sac(layout, path)
    leave = int(np.argmin(inside)) if inside.any() and not inside.all() else 2
    sleeve_end = int(np.searchsorted(s, s[leave] + 6.0))
    return Root(name, "traversing", path, radius, max(leave - 3, 0), max(sleeve_end, leave + 1))


def plan_roots(layout: SegmentLayout) -> dict[str, Root]:
    """Every root of the level, both sides: ``{"L4-left": Root, ...}``."""
    step = STEP[str(layout.params["quality"])]
    out: dict[str, Root] = {}
    for root in (_exiting(layout, step), _traversing(layout, step)):
        out[root.name] = root
        right = root.name.replace("-left", "-right")
        out[right] = Root(right, root.kind, mirror(root.path), root.radius, root.sleeve_start,
                          root.sleeve_end, None if root.ganglion is None else mirror(root.ganglion))
    return out


def _reference(path: np.ndarray) -> np.ndarray:
    """The direction least along the path anywhere: sections then never twist."""
    tangent = np.diff(path, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True) + 1e-12
    candidates = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, -1, 0], [0, 1, 1],
                           [0, 1, -1], [1, 0, 1], [1, 0, -1]], float)
    candidates /= np.linalg.norm(candidates, axis=1, keepdims=True)
    worst = np.abs(tangent @ candidates.T).max(axis=0)
    return candidates[int(np.argmin(worst))]


def root_tube(path: np.ndarray, radius: np.ndarray, sides: int) -> Surface:
    """The closed tube of one root along its centre-line (bend the path, rebuild the tube)."""
    return tube(path, radius, sides, _reference(path))


def nerve_roots_surface(layout: SegmentLayout, sides: int) -> Surface:
    """Every root as one surface, with cell array ``root`` naming each (``"L4-left"``)."""
    tubes = [root_tube(root.path, root.radius, sides) for root in layout.roots.values()]
    names = [np.full(t.n_faces, name) for name, t in zip(layout.roots, tubes, strict=True)]
    return merge(tubes, {"root": names})
