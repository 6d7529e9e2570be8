"""Small shape helpers shared by the pathology modules: ramps, section loops, and growing a
sweep or a set of tubes along its own length (same points and faces at every amount).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from discviz.geometry.primitives import Strip, arc_faces, swept_arc, tubes
from discviz.geometry.surface import Surface

MIN_SCALE = 0.02  # growing or shrinking structures never collapse completely


def smooth(x: np.ndarray | float) -> np.ndarray:
    """Smoothstep on arrays, clipped to 0..1."""
    x = np.minimum(np.maximum(x, 0.0), 1.0)  # np.clip's dispatch costs more than this on small arrays
    return x * x * (3 - 2 * x)


def bump(x: np.ndarray) -> np.ndarray:
    """1 at 0, falling smoothly to 0 at |x| = 1."""
    return np.minimum(np.maximum(1 - np.asarray(x) ** 2, 0.0), 1.0) ** 2


def soft_floor(x: np.ndarray, floor: np.ndarray | float, knee: np.ndarray | float) -> np.ndarray:
    """``x`` kept above ``floor`` without flattening: unchanged from ``floor + knee`` up, below
    that squeezed into (floor, floor + knee) by a strictly rising curve (C1 at the knee). A hard
    clamp would put every point beyond it on the floor, and two such clamps (a wall and a
    ceiling) on one line: neighbours there collapse into sliver triangles.
    """
    shortfall = floor + 2 * knee - x  # > knee where the curve applies
    return np.where(shortfall > knee, floor + knee * knee / np.maximum(shortfall, knee), x)


def profile_loop(count: int, exponent: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """A rounded-rectangle loop (u, v), each -1..1, counter-clockwise, of ``count`` points (a
    multiple of 4), none exactly at the top or bottom: its two sides pair up for ``loop_caps``.
    """
    a = (np.arange(count) + 0.5) * (2 * np.pi / count)
    ct, st = np.cos(a), np.sin(a)
    return np.sign(ct) * np.abs(ct) ** exponent, np.sign(st) * np.abs(st) ** exponent


def resample(sections: np.ndarray, amount: float, front: tuple[float, ...] = (0.35, 0.7, 0.9)) -> np.ndarray:
    """The first ``amount`` of a sweep (by station), resampled to as many stations, the last
    ones narrowed into a rounded front.
    """
    count = sections.shape[0]
    where = np.linspace(0, count - 1, count) * max(amount, MIN_SCALE)
    below = np.clip(np.floor(where).astype(int), 0, count - 2)
    w = (where - below)[:, None, None]
    out = sections[below] * (1 - w) + sections[below + 1] * w
    taper = np.asarray(front)[-min(len(front), count):]
    if len(taper):
        centre = out[-len(taper):].mean(axis=1, keepdims=True)
        out[-len(taper):] = centre + (out[-len(taper):] - centre) * taper[:, None, None]
    return out


def grown(paths: np.ndarray, amount: float,
          values: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The first ``amount`` of each path (b, k, 3) by arc length, resampled to k points, and
    ``values`` (b, k) carried along.
    """
    seg = np.linalg.norm(np.diff(paths, axis=1), axis=-1)
    arc = np.concatenate([np.zeros((paths.shape[0], 1)), np.cumsum(seg, axis=1)], axis=1)
    u = np.linspace(0, 1, paths.shape[1]) * max(amount, MIN_SCALE)
    target = u[None, :] * arc[:, -1:]  # (b, k)
    # vectorised searchsorted over rows: count the arc values below each target
    index = np.clip((arc[:, None, :] < target[:, :, None]).sum(axis=2), 1, paths.shape[1] - 1)
    lo = np.take_along_axis(arc, index - 1, 1)
    hi = np.take_along_axis(arc, index, 1)
    w = np.clip((target - lo) / np.maximum(hi - lo, 1e-12), 0, 1)
    a = np.take_along_axis(paths, (index - 1)[..., None], 1)
    b = np.take_along_axis(paths, index[..., None], 1)
    out = a + w[..., None] * (b - a)
    carried = None
    if values is not None:
        va = np.take_along_axis(values, index - 1, 1)
        vb = np.take_along_axis(values, index, 1)
        carried = va + w * (vb - va)
    return out, carried


def tube_point_values(values: np.ndarray, sides: int) -> np.ndarray:
    """Per-path-point values (b, k) as the point array of ``primitives.tubes`` (rings, then
    the two cap centres of each tube).
    """
    rings = np.repeat(values, sides, axis=1)
    return np.concatenate([rings, values[:, :1], values[:, -1:]], axis=1).ravel()


@lru_cache(maxsize=32)
def loop_caps(count: int, reverse: bool = True) -> Strip:
    """End caps for sections made of ``profile_loop(count)`` points (``reverse``: in reverse
    order): strips between the loop's two sides, bottom to top. A strip follows a section that
    is not flat (the lamellae's bulge bows it), where a fan to its centroid would fold.
    Profile indices as tuples, the form ``swept_arc`` keeps its faces by (every frame asks).
    """
    quarter = count // 4
    right = list(range(3 * quarter, count)) + list(range(0, quarter))  # u > 0, bottom to top
    left = list(range(3 * quarter - 1, quarter - 1, -1))  # u < 0, bottom to top
    if reverse:
        return tuple(count - 1 - i for i in left), tuple(count - 1 - i for i in right)
    return tuple(right), tuple(left)


def sweep(sections: np.ndarray, reverse: bool = True) -> Surface:
    """A closed solid through sections of ``profile_loop`` points, strip-capped: stations
    running outward with the loop reversed, or inward with it as made.
    """
    return swept_arc(sections, loop_caps(sections.shape[1], reverse))


def sweeps(sections: np.ndarray, stations: int) -> Surface:
    """Every run of ``stations`` consecutive sections swept into its own solid, all in one
    surface: what merging their :func:`sweep` gives, without a surface each.
    """
    m = sections.shape[1]
    count = sections.shape[0] // stations
    faces = arc_faces(stations, m, loop_caps(m, True))
    offsets = np.arange(count) * (stations * m)
    return Surface(sections.reshape(-1, 3), (faces[None] + offsets[:, None, None]).reshape(-1, 3))


class TubeSet:
    """Tubes along fixed paths (b, k, 3) whose radii change from frame to frame: the tubes'
    frames are worked out once, a frame only scales them.
    """

    def __init__(self, paths: np.ndarray, sides: int) -> None:
        self.sides = sides
        unit = tubes(paths, np.ones(paths.shape[:2]), sides)
        self.faces = unit.faces
        self.centres = _centres(paths, sides)
        self.offsets = unit.points - self.centres

    def surface(self, radii: np.ndarray) -> Surface:
        """The tubes with per-path-point ``radii`` (b, k)."""
        scale = tube_point_values(radii, self.sides)[:, None]
        return Surface(self.centres + self.offsets * scale, self.faces)


def _centres(paths: np.ndarray, sides: int) -> np.ndarray:
    """Each tube point's path point, laid out like ``primitives.tubes``' points."""
    rings = np.repeat(paths, sides, axis=1)
    return np.concatenate([rings, paths[:, :1], paths[:, -1:]], axis=1).reshape(-1, 3)
