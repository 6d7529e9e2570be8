"""The working cannula's path: from the skin of the back through Kambin's triangle to the disc.

Posterolateral transforaminal approach (Kambin; Tsou, Yeung and Yeung 2004): the skin entry
lies ``approach.entry`` mm from the midline on the ``approach.side``, the cannula runs medially
and forward at ``approach.angle`` to the horizontal (the coronal plane of a prone patient), in
the disc's plane, and docks on the posterolateral annulus. On its way it passes Kambin's
triangle: the exiting root above and lateral, the traversing root and the dural sac medial,
the superior articular process of the lower vertebra behind (Fanous 2019).

The docking point is computed from the anatomy: of the points of the annulus' posterolateral
surface on the approach side, the one whose straight path out to the skin keeps the cannula
clear of bone, roots and sac, with the most room, nearest the fissure. When no such path
exists the planner raises :class:`ApproachError` naming what the cannula would hit and which
parameter to change.

In the herniated state the material pushes the pressed root aside (up to about 11 mm) and
indents the sac's wall where it meets it: there the path must also clear the root on its way from
where it lies to where the herniation pushes it, and the sac's moved wall as the herniation
leaves it half-way and fully out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from discviz.geometry.disc.annulus import DiscLayout
from discviz.geometry.disc.outline import DiscFrame
from discviz.geometry.params import Params
from discviz.geometry.pathology.herniation import herniated_scene
from discviz.geometry.segment.build import layout_of, segment_surfaces
from discviz.geometry.segment.canal import sac_field
from discviz.geometry.segment.layout import SegmentLayout

STANDOFF = 0.8  # mm between the bevel's long lip and the annulus when docked
MARGIN = 0.5  # mm the cannula keeps from roots and sac at least
DOCK_ANGLES = np.radians(np.arange(96.0, 172.0, 2.0))  # the left side's posterolateral annulus
SURFACE_LINES = 12  # lines on the cannula's surface tested against bone
#: herniation amounts at which the path is tested against the sac's moved wall (0: as healthy)
HERNIATION_AMOUNTS = (0.5, 1.0)
SWEEP_STEP = 1.0  # mm between the samples of the pressed root's way from healthy to pushed


class ApproachError(ValueError):
    """The parameters leave the cannula no path through Kambin's triangle."""


@dataclass(frozen=True)
class Trajectory:
    """The approach, in world coordinates (mm)."""

    side: float  # +1 left, -1 right (x sign)
    entry: np.ndarray  # skin entry point (3,)
    dock: np.ndarray  # the cannula axis' end when docked (3,)
    direction: np.ndarray  # unit, from the skin toward the disc
    radius: float  # the cannula's outer radius
    clearance: float  # mm of room left between the cannula and the nearest root or the sac

    @property
    def length(self) -> float:
        """Distance from the skin entry to the docked tip."""
        return float(np.linalg.norm(self.dock - self.entry))


def direction_of(side: float, angle_deg: float, tilt_deg: float = 0.0) -> np.ndarray:
    """Unit direction from the skin toward the disc: medially and forward at ``angle_deg`` to the
    horizontal (coronal) plane, and down by ``tilt_deg`` (entry above the disc's plane).
    """
    a, t = np.radians(angle_deg), np.radians(tilt_deg)
    return np.array([-side * np.cos(a) * np.cos(t), -np.sin(a) * np.cos(t), -np.sin(t)])


def _triangles(bone: _Bone, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The triangles (t, 3, 3) with a corner inside the box [lo, hi], in their stored order."""
    first = int(np.searchsorted(bone.corner_z, lo[2], side="left"))
    last = int(np.searchsorted(bone.corner_z, hi[2], side="right"))
    near = bone.corner_order[first:last]  # the corners within the box's height: a thin slab
    corners = bone.triangles.reshape(-1, 3)[near]
    inside = near[np.all((corners >= lo) & (corners <= hi), axis=1)]
    return bone.triangles[np.unique(inside // 3)]


def segment_hits(starts: np.ndarray, ends: np.ndarray, tri: np.ndarray) -> np.ndarray:
    """For each segment (s, 3)->(s, 3): whether it crosses any triangle (Moller-Trumbore)."""
    if not len(tri):
        return np.zeros(len(starts), bool)
    v0, e1, e2 = tri[:, 0], tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    d = ends - starts  # (s, 3)
    p = np.cross(d[:, None, :], e2[None])  # (s, t, 3)
    det = np.einsum("tk,stk->st", e1, p)
    ok = np.abs(det) > 1e-12
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
    tvec = starts[:, None, :] - v0[None]
    u = np.einsum("stk,stk->st", tvec, p) * inv
    q = np.cross(tvec, e1[None])
    v = np.einsum("sk,stk->st", d, q) * inv
    t = np.einsum("tk,stk->st", e2, q) * inv
    hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t >= 0) & (t <= 1)
    return hit.any(axis=1)


def cross_frame(direction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors across ``direction``: ``up`` (nearest +z) and ``side``."""
    x, y, z = (float(v) for v in direction)
    side = np.array([y, -x, 0.0])  # direction x (0, 0, 1)
    side /= np.linalg.norm(side)
    sx, sy = float(side[0]), float(side[1])
    up = np.array([sy * z, -sx * z, sx * y - sy * x])  # side x direction
    return side, up


@dataclass(frozen=True)
class _Bone:
    """The triangles of both vertebrae, with their corners sorted by height: a cannula's box is
    a thin slab in z, so a search finds the few corners that can lie in it.
    """

    triangles: np.ndarray  # (t, 3, 3)
    corner_order: np.ndarray  # (3t,) corner indices (triangle * 3 + corner) by rising z
    corner_z: np.ndarray  # (3t,) their z, sorted

    @classmethod
    def of(cls, triangles: np.ndarray) -> _Bone:
        """Index ``triangles`` (t, 3, 3)."""
        z = triangles[:, :, 2].ravel()
        order = np.argsort(z, kind="stable")
        return cls(triangles, order, z[order])


@dataclass(frozen=True)
class _Pushed:
    """What the herniation moves: the pressed root's centre-line swept from where it lies to
    where the gel pushes it (every point moves along one push, further as the gel comes out),
    and the sac's triangles it moves, at each of ``HERNIATION_AMOUNTS``.
    """

    root_points: np.ndarray  # (p, 3)
    root_radius: np.ndarray  # (p,)
    root_name: str
    sac_triangles: np.ndarray  # (t, 3, 3)
    sac_corners: np.ndarray  # (c, 3) their corners that moved


@lru_cache(maxsize=8)
def _pushed(params: Params) -> _Pushed:
    """The herniated state's moved root and sac for ``params`` (``herniated_params``)."""
    scene = herniated_scene(DiscLayout(params))
    herniation = scene.herniation
    root = herniation.root
    healthy_sac = scene.sac.points
    triangles, corners, pushed_path = [], [], root.path
    for amount in HERNIATION_AMOUNTS:
        _, gel_points = herniation.gel(amount)
        heights = herniation.height_map(gel_points)
        if amount == max(HERNIATION_AMOUNTS):
            pushed_path = herniation.root_path(heights)
        sac = herniation.indent_sac(healthy_sac, gel_points, heights)  # as ``HerniatedScene`` moves it
        moved = np.any(sac != healthy_sac, axis=1)
        triangles.append(sac[scene.sac.faces[moved[scene.sac.faces].any(axis=1)]])
        corners.append(sac[moved])
    way = pushed_path - root.path  # along the push, growing with the amount
    steps = int(np.ceil(np.linalg.norm(way, axis=1).max() / SWEEP_STEP)) + 1
    share = np.linspace(0.0, 1.0, steps)[1:]  # the healthy path itself is in every scan
    swept = root.path[None] + share[:, None, None] * way[None]
    radius = np.broadcast_to(root.radius, swept.shape[:2])
    name = f"the {root.kind} root {root.name} where the herniation pushes it"
    return _Pushed(swept.reshape(-1, 3), radius.ravel(), name, np.concatenate(triangles),
                   np.concatenate(corners))


@dataclass(frozen=True)
class _Anatomy:
    layout: SegmentLayout
    frame: DiscFrame
    bone: _Bone  # both vertebrae, gathered once per scan
    root_points: np.ndarray  # (r, 3) centre-line points of every root
    root_radius: np.ndarray  # (r,)
    root_names: tuple[str, ...]  # (r,) the root each point belongs to, "L4-left (exiting)"
    pushed: _Pushed | None  # the herniated state's moved root and sac


def _anatomy(params: Params, herniated: bool = False) -> _Anatomy:
    layout = layout_of(params)
    surfaces = segment_surfaces(params)
    roots = list(layout.roots.values())
    names = tuple(f"the {r.kind} root {r.name}" for r in roots for _ in r.path)
    points = np.concatenate([r.path for r in roots])
    radius = np.concatenate([r.radius for r in roots])
    pushed = _pushed(params) if herniated else None
    if pushed is not None:
        names += (pushed.root_name,) * len(pushed.root_points)
        points = np.concatenate([points, pushed.root_points])
        radius = np.concatenate([radius, pushed.root_radius])
    vertebrae = (surfaces["vertebra-upper"], surfaces["vertebra-lower"])
    bone = _Bone.of(np.concatenate([s.points[s.faces] for s in vertebrae]))
    return _Anatomy(layout, layout.frame, bone, points, radius, names, pushed)


def _tip_on_surface(frame: DiscFrame, surface_xy: np.ndarray, z: float, direction: np.ndarray,
                    radius: float) -> np.ndarray:
    """The axis end for a cannula along ``direction`` whose front edge stands ``STANDOFF`` off
    the disc's outline near ``surface_xy``.
    """
    side, up = cross_frame(direction)
    phi = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    ring = radius * (np.cos(phi)[:, None] * side + np.sin(phi)[:, None] * up)
    tip = np.array([surface_xy[0], surface_xy[1], z])
    for _ in range(3):
        pts = tip + ring
        theta = np.arctan2(pts[:, 0], -pts[:, 1])
        r_out = frame.exact_outer_radius(np.mod(theta, 2 * np.pi)) * 1.02
        excess = np.hypot(pts[:, 0], pts[:, 1]) - r_out
        tip = tip - direction * (STANDOFF - float(excess.min()))
    return tip


def touching_side(frame: DiscFrame, tip: np.ndarray, direction: np.ndarray, radius: float) -> np.ndarray:
    """The unit direction across the axis of the cannula's edge nearest the disc's outline."""
    side, up = cross_frame(direction)
    phi = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    unit = np.cos(phi)[:, None] * side + np.sin(phi)[:, None] * up
    pts = tip + radius * unit
    theta = np.arctan2(pts[:, 0], -pts[:, 1])
    excess = np.hypot(pts[:, 0], pts[:, 1]) - frame.exact_outer_radius(np.mod(theta, 2 * np.pi))
    return unit[int(np.argmin(excess))]


@dataclass(frozen=True)
class _Candidate:
    tip: np.ndarray
    entry: np.ndarray
    root_room: float
    sac_room: float
    bone: bool
    root: str  # the root nearest the cannula


def _candidate(anatomy: _Anatomy, theta: float, side: float, direction: np.ndarray, entry_x: float,
               radius: float, lift: float = 0.0) -> _Candidate:
    frame = anatomy.frame
    xy = frame.outline(np.array([theta]))[0] * np.array([side, 1.0])
    inner = xy[None] * 0.9
    z = float((frame.upper_face(inner)[0] + frame.lower_face(inner)[0]) / 2) + lift  # near the mid-plane
    tip = _tip_on_surface(frame, xy, z, direction, radius)
    run = (entry_x - side * tip[0]) / max(-side * direction[0], 1e-6)  # x at the skin: the entry
    entry = tip - direction * run
    samples = tip - direction * np.linspace(0.0, run, 90)[:, None]
    diff = samples[:, None, :] - anatomy.root_points[None]
    gaps = (np.linalg.norm(diff, axis=-1) - anatomy.root_radius[None]).min(axis=0)
    root_room = float(gaps.min()) - radius
    root = anatomy.root_names[int(np.argmin(gaps))]
    sac = sac_field(anatomy.layout)(samples[:, 0], samples[:, 1], samples[:, 2])
    sac_room = float(sac.min()) - radius
    s_vec, u_vec = cross_frame(direction)
    phi = np.linspace(0, 2 * np.pi, SURFACE_LINES, endpoint=False)
    around = np.cos(phi)[:, None] * s_vec + np.sin(phi)[:, None] * u_vec
    offsets = np.concatenate([[np.zeros(3)], radius * around])
    starts, ends = tip + offsets, entry + offsets
    lo = np.minimum(tip, entry) - radius - 1
    hi = np.maximum(tip, entry) + radius + 1
    bone = bool(segment_hits(starts, ends, _triangles(anatomy.bone, lo, hi)).any())
    if anatomy.pushed is not None:  # the sac's wall where the herniation moved it
        sac_room = min(sac_room, _moved_sac_room(anatomy.pushed, samples, tip, entry, radius, around))
    return _Candidate(tip, entry, root_room, sac_room, bone, root)


def _moved_sac_room(pushed: _Pushed, samples: np.ndarray, tip: np.ndarray, entry: np.ndarray,
                    radius: float, around: np.ndarray) -> float:
    """The room the sac's moved wall leaves the cannula: from its moved corners, and none
    when it crosses the tube ``MARGIN`` wider than the cannula (a stretched triangle may cross
    it between corners that keep their distance).
    """
    if not len(pushed.sac_corners):
        return np.inf
    gaps = np.linalg.norm(samples[:, None, :] - pushed.sac_corners[None], axis=-1)
    room = float(gaps.min()) - radius
    offsets = np.concatenate([[np.zeros(3)], (radius + MARGIN) * around])
    if segment_hits(tip + offsets, entry + offsets, pushed.sac_triangles).any():
        room = min(room, 0.0)
    return room


#: (mm above the disc's mid-plane, degrees of caudal tilt) tried in turn: a low disc brings the
#: lower vertebra's articular process up into a level path, a slight tilt from above clears it
VARIANTS: tuple[tuple[float, float], ...] = (
    (0.0, 0.0), (1.0, 0.0), (0.0, 5.0), (1.0, 5.0), (2.0, 5.0), (1.0, 10.0), (2.0, 10.0))


def _candidates(params: Params, angle: float, lift: float = 0.0, tilt: float = 0.0,
                angles: np.ndarray = DOCK_ANGLES,
                herniated: bool = False) -> Iterator[tuple[float, _Candidate]]:
    anatomy = _anatomy(params, herniated)
    side = 1.0 if params["approach.side"] == "left" else -1.0
    direction = direction_of(side, angle, tilt)
    radius = params.f("instruments.cannula_diameter") / 2
    entry_x = params.f("approach.entry")
    for t in angles:
        yield float(t), _candidate(anatomy, float(t), side, direction, entry_x, radius, lift)


def _scan(params: Params, angle: float, lift: float = 0.0, tilt: float = 0.0,
          herniated: bool = False) -> list[tuple[float, _Candidate]]:
    return list(_candidates(params, angle, lift, tilt, herniated=herniated))


def _feasible(candidate: _Candidate) -> bool:
    return not candidate.bone and candidate.root_room >= MARGIN and candidate.sac_room >= MARGIN


#: the docking angles from the middle of the posterolateral arc outward, where a path is likeliest
MIDDLE_FIRST = DOCK_ANGLES[np.argsort(np.abs(np.arange(len(DOCK_ANGLES)) - (len(DOCK_ANGLES) - 1) / 2),
                                      kind="stable")]


def check_approach(params: Params, herniated: bool = False) -> None:
    """ApproachError (the same words as :func:`plan_trajectory`'s) when ``params`` leave the
    cannula no path; otherwise nothing. Cheaper than planning when there is one: it stops at
    the first docking point that works (a scene is checked when it is read; the best path is
    planned when a step shows it). ``herniated``: as :func:`plan_trajectory`.
    """
    angle = params.f("approach.angle")
    if not any(_feasible(candidate) for lift, tilt in VARIANTS
               for _, candidate in _candidates(params, angle, lift, tilt, MIDDLE_FIRST, herniated)):
        raise ApproachError(_explain(params, angle, _scan(params, angle, herniated=herniated), herniated))


@lru_cache(maxsize=16)
def plan_trajectory(params: Params, herniated: bool = False) -> Trajectory:
    """The approach for ``params`` (cached); :class:`ApproachError` when there is none.
    ``herniated``: ``params`` are the herniated state's (``herniated_params``) and the path
    also clears the root and the sac the herniation moves.
    """
    angle = params.f("approach.angle")
    good: list[tuple[float, _Candidate]] = []
    for lift, tilt in VARIANTS:
        scan = _scan(params, angle, lift, tilt, herniated)
        good = [(t, c) for t, c in scan if _feasible(c)]
        if good:
            break
    else:
        raise ApproachError(_explain(params, angle, _scan(params, angle, herniated=herniated), herniated))
    fissure = np.radians(params.f("fissure.position"))
    if params["approach.side"] != "left":  # the scan runs on the left's angles, mirrored
        fissure = 2 * np.pi - fissure
    # room first (up to 0.8 mm more than needed), then nearest the fissure
    best = max(good, key=lambda tc: (round(min(tc[1].root_room, tc[1].sac_room, MARGIN + 0.8), 1),
                                     -abs(np.angle(np.exp(1j * (tc[0] - fissure))))))
    candidate = best[1]
    side = 1.0 if params["approach.side"] == "left" else -1.0
    return Trajectory(side, candidate.entry, candidate.tip, direction_of(side, angle, tilt),
                      params.f("instruments.cannula_diameter") / 2,
                      min(candidate.root_room, candidate.sac_room))


def clear_trajectory_caches() -> None:
    """Forget the planned paths and the herniation's moved anatomy (benchmarks, tests)."""
    plan_trajectory.cache_clear()
    _pushed.cache_clear()


def _explain(params: Params, angle: float, scan: list[tuple[float, _Candidate]],
             herniated: bool = False) -> str:
    """Which structure every path at this angle hits, and which angles would work."""
    layout = layout_of(params)
    lower = layout.lower.name
    side = str(params["approach.side"])
    counts: dict[str, int] = {}
    for _, c in scan:  # what blocks each docking point, the most frequent first
        blocks = ([f"bone (the superior articular process of {lower} or a vertebra)"] if c.bone else [])
        blocks += [c.root] if c.root_room < MARGIN else []
        blocks += ["the dural sac"] if c.sac_room < MARGIN else []
        for block in blocks:
            counts[block] = counts.get(block, 0) + 1
    hits = sorted(counts, key=lambda k: -counts[k])
    working = [a for a in range(5, 61, 5) if a != round(angle)
               and any(_feasible(c) for lift, tilt in VARIANTS[:2]
                       for _, c in _scan(params, float(a), lift, tilt, herniated))]
    fix = (f"try approach.angle {working[0]} degrees" if len(working) == 1 else
           f"try approach.angle between {min(working)} and {max(working)} degrees"
           if working else "try a smaller instruments.cannula_diameter or the other approach.side")
    return (f"no path through Kambin's triangle on the {side} at approach.angle {angle:g} with a "
            f"{params.f('instruments.cannula_diameter'):g} mm cannula: it would hit "
            f"{' or '.join(hits)}; {fix}")
