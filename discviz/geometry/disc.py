"""Annulus lamellae, nucleus and cartilage endplates.

The annulus is ``annulus.lamellae`` separate closed solids, one per lamella, so a cut through
it shows concentric rings like a histological section. Lamellae get thicker outward; about a
third of them are incomplete: they taper out in a posterior sector while their neighbours
widen to fill it, so the posterior annulus has fewer layers (Tsuji 1993: 20 anterior, 14
posterior). Inner lamellae sit under the cartilage endplates; outer ones reach the vertebral rim.

Arrays on the annulus surface:
- cell ``lamella`` (int, 1 = innermost);
- cell ``fibre_sign`` (+1/-1): collagen fibres run at +annulus.fibre_angle or -annulus.fibre_angle
  to the axial plane, alternating between adjacent lamellae;
- point ``fibre_uv`` (n, 2): (fibre_sign x arc length around the disc, z) in mm, texture
  coordinates in which the fibres of every lamella run at +fibre_angle;
- point ``depth``: 0 at the inner edge of the annulus, 1 at its outer edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from discviz.geometry.outline import GAP, DiscFrame, direction
from discviz.geometry.params import Params
from discviz.geometry.primitives import merge, ring_solid, swept_arc, swept_ring
from discviz.geometry.surface import Surface

TAU = 2 * np.pi
Extra = Callable[[np.ndarray], tuple[int, np.ndarray]]
OUTER_BULGE = 0.8  # mm the outer wall bulges at mid-height
TAPER_FLOOR = 0.2  # an incomplete lamella ends where it has thinned to this share
TAPER_RAMP = np.radians(25.0)


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def wrap(angle: np.ndarray | float) -> np.ndarray:
    """Signed angle difference in [-pi, pi)."""
    return np.mod(np.asarray(angle) + np.pi, TAU) - np.pi


@dataclass(frozen=True)
class Interval:
    """A removed angular interval [start, end] (radians, start < end)."""

    start: float
    end: float


@dataclass
class DiscLayout:
    """Everything about the disc that does not depend on the clinical state."""

    params: Params
    frame: DiscFrame = field(init=False)

    def __post_init__(self) -> None:
        self.frame = DiscFrame.from_params(self.params)
        rng = np.random.default_rng(int(self.params["seed"]))
        n = self.n_lamellae
        self.base_weight = 1.0 + 0.8 * np.arange(n) / max(n - 1, 1)  # thicker outward
        n_incomplete = round(0.3 * n)
        # incomplete lamellae among the middle and inner layers, never the outermost two
        self.incomplete = np.sort(rng.choice(np.arange(1, n - 2), n_incomplete, replace=False))
        self.sector_centre = np.pi + rng.uniform(-0.7, 0.7, n_incomplete)
        self.sector_half = rng.uniform(np.radians(12), np.radians(40), n_incomplete)
        self.lowered = int(np.ceil(0.5 * n))  # lamellae 1..lowered lie under the endplates

    @property
    def n_lamellae(self) -> int:
        """Number of lamellae."""
        return int(self.params["annulus.lamellae"])

    @cached_property
    def nucleus_scale(self) -> float:
        """Linear scale of the nucleus outline relative to the disc outline."""
        return float(np.sqrt(self.params.f("nucleus.area_fraction")))

    def nucleus_xy(self, theta: np.ndarray) -> np.ndarray:
        """The nucleus outline (n, 2)."""
        return self.frame.outline(theta, self.nucleus_scale, self.params.f("nucleus.offset"))

    def inner_xy(self, theta: np.ndarray) -> np.ndarray:
        """Inner edge of the annulus: the nucleus outline grown by the gap."""
        return self._memo("inner", theta, lambda: self.nucleus_xy(theta) + GAP * direction(theta))

    def outer_xy(self, theta: np.ndarray) -> np.ndarray:
        """Outer edge of the annulus (at the endplates, before the bulge)."""
        return self._memo("outer", theta, lambda: self.frame.outline(theta))

    def _memo(self, what: str, theta: np.ndarray, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """Every lamella asks for the same outlines on the same angle grids: keep the larger
        grids (small ones are cheaper to compute than to look up).
        """
        if theta.size < 64:
            return compute()
        cache: dict = self.__dict__.setdefault("_outline_memo", {})
        key = (what, theta.size, hash(theta.tobytes()))
        found = cache.get(key)
        if found is None:
            if len(cache) > 256:
                cache.clear()
            found = cache[key] = compute()
            found.setflags(write=False)
        return found

    def weights(self, theta: np.ndarray) -> np.ndarray:
        """Relative thickness of each lamella (n_lamellae, len(theta))."""
        w = np.repeat(self.base_weight[:, None], theta.size, axis=1)
        for index, centre, half in zip(self.incomplete, self.sector_centre, self.sector_half,
                                       strict=True):
            off = np.abs(wrap(theta - centre))
            w[index] *= _smoothstep((off - half) / TAPER_RAMP)
        return w

    def bounds(self, theta: np.ndarray, extra: Extra | None = None) -> np.ndarray:
        """Inner and outer edge of every lamella as a share of the annulus segment.

        Returns (n_lamellae, len(theta), 2). ``extra(theta) -> (k, mm)`` opens ``mm`` more
        space between lamella k and k+1 (0-based): a circumferential delamination. Only the
        lamellae outside it are squeezed, so nothing ever moves inward.
        """
        thickness = np.linalg.norm(self.outer_xy(theta) - self.inner_xy(theta), axis=1)
        n = self.n_lamellae
        gaps = np.full((n, theta.size), GAP)
        gaps[-1] = 0.0
        available = thickness - gaps.sum(axis=0)
        w = self.weights(theta)
        widths = available * w / w.sum(axis=0)
        outer = np.cumsum(widths + gaps, axis=0) - gaps
        inner = outer - widths
        if extra is not None:
            k, mm = extra(theta)
            start = outer[k] + gaps[k]
            mm = np.minimum(mm, 0.6 * (thickness - start))  # the outer lamellae keep some room
            scale = (thickness - start - mm) / (thickness - start)
            inner[k + 1:] = start + mm + (inner[k + 1:] - start) * scale
            outer[k + 1:] = start + mm + (outer[k + 1:] - start) * scale
        return np.stack([inner, outer], axis=-1) / thickness[None, :, None]

    def arc_of_sector(self, k: int) -> Interval:
        """Removed interval of incomplete lamella number ``k`` in ``self.incomplete``."""
        # where the smoothstep reaches TAPER_FLOOR: solve 3x^2 - 2x^3 = floor once
        x = np.linspace(0, 1, 2001)
        x0 = x[np.searchsorted(_smoothstep(x), TAPER_FLOOR)]
        reach = self.sector_half[k] + TAPER_RAMP * x0
        return Interval(self.sector_centre[k] - reach, self.sector_centre[k] + reach)

    def removed_intervals(self, lamella: int) -> list[Interval]:
        """Sectors where lamella (0-based) is missing in the healthy disc."""
        hits = np.flatnonzero(self.incomplete == lamella)
        return [self.arc_of_sector(int(k)) for k in hits]

    def face_offset(self, lamella: np.ndarray) -> np.ndarray:
        """How far below the vertebral face the top of each lamella stays (mm)."""
        under = np.asarray(lamella) < self.lowered
        return np.where(under, 2 * GAP + self.frame.endplate, GAP)


# ---------------------------------------------------------------------------------------
# Annulus


@dataclass(frozen=True)
class LamellaGap:
    """Where a torn lamella is open: around ``centre``, ``minus``/``plus`` radians each side."""

    centre: float
    minus: float
    plus: float


def lamella_sections(layout: DiscLayout, lamella: int, theta: np.ndarray,
                     extra: Extra | None = None) -> np.ndarray:
    """Cross-sections (len(theta), n_profile, 3) of one lamella, profile counter-clockwise in
    the (outward, up) plane: bottom edge outward, outer wall up, top edge inward, inner wall down.
    """
    frame = layout.frame
    bounds = layout.bounds(theta, extra)[lamella]  # (t, 2)
    p_in, p_out = layout.inner_xy(theta), layout.outer_xy(theta)
    seg = p_out - p_in
    outward = seg / np.linalg.norm(seg, axis=1, keepdims=True)
    mids = (frame.n_profile - 4) // 2
    zeta_wall = np.linspace(-1, 1, mids + 2)[1:-1]
    # profile (s-index 0 inner / 1 outer, zeta)
    prof_s = np.concatenate([[0, 1], np.ones(mids), [1, 0], np.zeros(mids)]).astype(int)
    prof_z = np.concatenate([[-1, -1], zeta_wall, [1, 1], zeta_wall[::-1]])
    s = bounds[:, prof_s]  # (t, m)
    xy = p_in[:, None, :] + s[..., None] * seg[:, None, :]
    offset = layout.face_offset(np.array(lamella))
    lower, upper = frame.faces(xy)
    top, bottom = upper - offset, lower + offset
    z = bottom + (prof_z[None, :] + 1) / 2 * (top - bottom)
    bulge = OUTER_BULGE * s**2 * (1 - prof_z[None, :] ** 2)
    xy = xy + bulge[..., None] * outward[:, None, :]
    return np.concatenate([xy, z[..., None]], axis=-1)


def _cap_strip(n_profile: int) -> tuple[np.ndarray, np.ndarray]:
    """Profile indices of the outer and inner wall, bottom to top (see lamella_sections)."""
    mids = (n_profile - 4) // 2
    outer = np.arange(1, mids + 3)
    inner = np.concatenate([[0], np.arange(n_profile - 1, mids + 2, -1)])
    return outer, inner


def _merge_intervals(intervals: list[Interval]) -> list[list[int]]:
    """Groups of overlapping intervals (indices), on the circle."""
    if not intervals:
        return []
    order = sorted(range(len(intervals)), key=lambda i: intervals[i].start % TAU)
    groups: list[list[int]] = [[order[0]]]
    for i in order[1:]:
        last = groups[-1]
        end = max(intervals[j].start % TAU + (intervals[j].end - intervals[j].start) for j in last)
        if intervals[i].start % TAU <= end:
            last.append(i)
        else:
            groups.append([i])
    if len(groups) > 1:  # the last group may wrap into the first
        first_start = intervals[groups[0][0]].start % TAU + TAU
        end = max(intervals[j].start % TAU + (intervals[j].end - intervals[j].start) for j in groups[-1])
        if end >= first_start:
            groups[0] = groups[-1] + groups[0]
            groups.pop()
    return groups


def _group_span(intervals: list[Interval], group: list[int]) -> tuple[float, float]:
    """Start and end (unwrapped, start < end) of a group of overlapping intervals."""
    ref = intervals[group[0]].start
    starts = [ref + wrap(intervals[i].start - ref) for i in group]
    ends = [s + (intervals[i].end - intervals[i].start) for s, i in zip(starts, group, strict=True)]
    return float(min(starts)), float(max(ends))


def annulus_surface(layout: DiscLayout, gaps: dict[int, LamellaGap], full_gaps: dict[int, LamellaGap],
                    extra: Extra | None = None, extra_key: float = 0.0) -> Surface:
    """All lamellae, torn where ``gaps`` says. ``full_gaps`` (the gaps at the end of the
    transition) fixes the topology, so it stays the same for every progress value.
    ``extra_key`` identifies ``extra`` (a delamination's current width) for the cache.
    """
    parts: list[Surface] = []
    lamella_ids: list[np.ndarray] = []
    signs: list[np.ndarray] = []
    k_extra = extra(np.zeros(1))[0] if extra is not None else layout.n_lamellae
    for lamella in range(layout.n_lamellae):
        gap, full = gaps.get(lamella), full_gaps.get(lamella)
        squeezed = extra is not None and lamella > k_extra
        surface = _lamella_cached(layout, lamella, _gap_key(gap), _gap_key(full),
                                  extra_key if squeezed else 0.0, extra if squeezed else None)
        parts.append(surface)
        lamella_ids.append(np.full(surface.n_faces, lamella + 1, dtype=np.int64))
        signs.append(np.full(surface.n_faces, 1.0 if lamella % 2 == 0 else -1.0))
    return merge(parts, {"lamella": lamella_ids, "fibre_sign": signs})


def _gap_key(gap: LamellaGap | None) -> tuple[float, float, float] | None:
    return None if gap is None else (round(gap.centre, 9), round(gap.minus, 9), round(gap.plus, 9))


_LAMELLA_CACHE: dict[tuple, Surface] = {}
_LAMELLA_CACHE_SIZE = 2048


def _lamella_cached(layout: DiscLayout, lamella: int, gap: tuple | None, full: tuple | None,
                    extra_key: float, extra: Extra | None) -> Surface:
    """One lamella's surface, reused while its own gap is unchanged (most frames of a
    transition change only the two or three lamellae the tear is passing through).
    """
    key = (layout.params, lamella, gap, full, round(extra_key, 9))
    hit = _LAMELLA_CACHE.get(key)
    if hit is None:
        if len(_LAMELLA_CACHE) >= _LAMELLA_CACHE_SIZE:
            _LAMELLA_CACHE.clear()
        hit = _lamella_surface(layout, lamella,
                               LamellaGap(*gap) if gap else None, LamellaGap(*full) if full else None, extra)
        _LAMELLA_CACHE[key] = hit
    return hit


def _lamella_surface(layout: DiscLayout, lamella: int, gap: LamellaGap | None, full: LamellaGap | None,
                     extra: Extra | None) -> Surface:
    frame = layout.frame
    angle_step = TAU / frame.n_around
    sign = 1.0 if lamella % 2 == 0 else -1.0
    removed = layout.removed_intervals(lamella)
    full_removed = list(removed)
    if gap is not None and full is not None:
        removed.append(Interval(gap.centre - gap.minus, gap.centre + gap.plus))
        full_removed.append(Interval(full.centre - full.minus, full.centre + full.plus))
    groups = _merge_intervals(full_removed)
    if not groups:
        surface = swept_ring(lamella_sections(layout, lamella, frame.angles(), extra))
    else:
        spans_now = [_group_span(removed, g) for g in groups]
        spans_full = [_group_span(full_removed, g) for g in groups]
        order = np.argsort([s[0] % TAU for s in spans_full])
        arcs = []
        for k in range(len(order)):
            this, nxt = order[k], order[(k + 1) % len(order)]
            start = spans_now[this][1]
            if len(order) == 1:
                end = spans_now[this][0] + TAU
                full_len = TAU - (spans_full[this][1] - spans_full[this][0])
            else:
                end = start + np.mod(spans_now[nxt][0] - start, TAU)
                full_len = np.mod(spans_full[nxt][0] - spans_full[this][1], TAU)
            count = max(4, int(np.ceil(full_len / angle_step)) + 1)
            theta = np.linspace(start, end, count)
            sections = lamella_sections(layout, lamella, theta, extra)
            arcs.append(swept_arc(sections, _cap_strip(frame.n_profile)))
        surface = merge(arcs)
    # fibre texture coordinates: arc length around the disc at this point's radius
    theta_pt = np.mod(np.arctan2(surface.points[:, 0], -surface.points[:, 1]), TAU)
    radius = np.linalg.norm(surface.points[:, :2], axis=1)
    surface.point_data["fibre_uv"] = np.stack([sign * theta_pt * radius, surface.points[:, 2]], 1)
    inner_r = np.linalg.norm(layout.inner_xy(theta_pt), axis=1)
    outer_r = np.linalg.norm(layout.outer_xy(theta_pt), axis=1)
    surface.point_data["depth"] = np.clip((radius - inner_r) / (outer_r - inner_r), 0, 1)
    return surface


# ---------------------------------------------------------------------------------------
# Nucleus and endplates


def _limits(layout: DiscLayout, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Z range available to the nucleus at each point (under the endplates)."""
    off = 2 * GAP + layout.frame.endplate
    return layout.frame.lower_face(xy) + off, layout.frame.upper_face(xy) - off


def nucleus_surface(layout: DiscLayout) -> Surface:
    """The nucleus: a rounded pillow filling the centre (posteriorly offset)."""
    frame = layout.frame
    theta = frame.angles()
    centre = np.array([0.0, layout.params.f("nucleus.offset")])
    edge = layout.nucleus_xy(theta)
    phi = np.linspace(0, np.pi, frame.n_meridian + 2)[1:-1]
    exponent = 2 / 3.5  # superellipse meridian: a pillow, flatter than an ellipsoid
    u = np.sin(phi) ** exponent
    w = -np.sign(np.cos(phi)) * np.abs(np.cos(phi)) ** exponent
    xy = centre + u[:, None, None] * (edge - centre)[None]  # (rings, n, 2)
    low, high = _limits(layout, xy)
    mid, half = (low + high) / 2, (high - low) / 2
    z = mid + w[:, None] * half
    rings = np.concatenate([xy, z[..., None]], axis=-1)
    c_low, c_high = _limits(layout, centre[None])
    return ring_solid(rings, np.array([*centre, c_low[0]]), np.array([*centre, c_high[0]]))


def endplate_surface(layout: DiscLayout, upper: bool) -> Surface:
    """A cartilage endplate: a thin slab over the nucleus and the inner annulus."""
    frame = layout.frame
    theta = frame.angles()
    bounds = layout.bounds(theta)
    edge_share = (bounds[layout.lowered - 1, :, 1] + bounds[layout.lowered, :, 0]) / 2
    p_in, p_out = layout.inner_xy(theta), layout.outer_xy(theta)
    edge = p_in + edge_share[:, None] * (p_out - p_in)
    u = np.linspace(0, 1, max(4, frame.n_meridian // 2) + 1)[1:]
    xy = u[:, None, None] * edge[None]  # (k, n, 2) from the centre outward
    face = frame.upper_face if upper else frame.lower_face
    sign = -1.0 if upper else 1.0  # toward the disc
    near = face(xy) + sign * (GAP + frame.endplate)
    far = face(xy) + sign * GAP
    if upper:  # bottom = near side
        rings = np.concatenate([np.concatenate([xy, near[..., None]], -1),
                                np.concatenate([xy, far[..., None]], -1)[::-1]])
    else:
        rings = np.concatenate([np.concatenate([xy, far[..., None]], -1),
                                np.concatenate([xy, near[..., None]], -1)[::-1]])
    centre = np.zeros((1, 2))
    z_near = face(centre)[0] + sign * (GAP + frame.endplate)
    z_far = face(centre)[0] + sign * GAP
    lo, hi = (z_near, z_far) if upper else (z_far, z_near)
    return ring_solid(rings, np.array([0.0, 0.0, lo]), np.array([0.0, 0.0, hi]))
