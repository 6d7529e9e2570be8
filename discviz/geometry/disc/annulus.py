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

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from discviz.geometry.disc.outline import GAP, DiscFrame, angle_of, direction, length
from discviz.geometry.params import Params
from discviz.geometry.primitives import arc_faces, merge, ring_faces, ring_solid
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
        thickness = length(self.outer_xy(theta) - self.inner_xy(theta))
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


def lamella_sections(layout: DiscLayout, lamella: int | np.ndarray, theta: np.ndarray,
                     extra: Extra | None = None) -> np.ndarray:
    """Cross-sections (len(theta), n_profile, 3) of one lamella, or of the lamella given per
    angle, profile counter-clockwise in the (outward, up) plane: bottom edge outward, outer
    wall up, top edge inward, inner wall down.
    """
    return _sections(layout, np.broadcast_to(np.asarray(lamella), theta.shape), theta, extra)[0]


def _sections(layout: DiscLayout, lamella: np.ndarray, theta: np.ndarray,
              extra: Extra | None) -> tuple[np.ndarray, np.ndarray]:
    """Sections (t, m, 3) of lamella[i] at theta[i], and each point's share (t, m) of the
    annulus segment (0 inner edge, 1 outer edge). All lamellae in one pass.
    """
    frame = layout.frame
    bounds = layout.bounds(theta, extra)[lamella, np.arange(theta.size)]  # (t, 2)
    p_in, p_out = layout.inner_xy(theta), layout.outer_xy(theta)
    seg = p_out - p_in
    outward = seg / length(seg)[:, None]
    # every profile point sits on the lamella's inner or outer edge: the vertebral faces
    # are needed at those two places only
    edges = p_in[:, None, :] + bounds[..., None] * seg[:, None, :]  # (t, 2, 2)
    lower, upper = frame.faces(edges)
    offset = layout.face_offset(lamella)[:, None]
    top, bottom = upper - offset, lower + offset
    prof_s, prof_z = _profile(frame.n_profile)
    s = bounds[:, prof_s]  # (t, m)
    xy = edges[:, prof_s]
    z = bottom[:, prof_s] + (prof_z[None, :] + 1) / 2 * (top - bottom)[:, prof_s]
    bulge = OUTER_BULGE * s**2 * (1 - prof_z[None, :] ** 2)
    xy = xy + bulge[..., None] * outward[:, None, :]
    return np.concatenate([xy, z[..., None]], axis=-1), s


@lru_cache(maxsize=8)
def _profile(n_profile: int) -> tuple[np.ndarray, np.ndarray]:
    """A lamella's profile: which edge each point sits on (0 inner, 1 outer) and its height
    (-1 bottom .. 1 top).
    """
    mids = (n_profile - 4) // 2
    zeta_wall = np.linspace(-1, 1, mids + 2)[1:-1]
    prof_s = np.concatenate([[0, 1], np.ones(mids), [1, 0], np.zeros(mids)]).astype(int)
    prof_z = np.concatenate([[-1, -1], zeta_wall, [1, 1], zeta_wall[::-1]])
    return prof_s, prof_z


@lru_cache(maxsize=8)
def wall_indices(n_profile: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Profile indices of a lamella's outer and inner wall, bottom to top (see
    lamella_sections): the end caps of a torn lamella and the walls a delamination lies between.
    """
    mids = (n_profile - 4) // 2
    outer = tuple(range(1, mids + 3))
    inner = (0, *range(n_profile - 1, mids + 2, -1))
    return outer, inner


def fibre_sign(lamella: np.ndarray) -> np.ndarray:
    """+1 or -1 per 0-based lamella: the collagen fibres' direction alternates, innermost +."""
    return np.where(np.asarray(lamella) % 2 == 0, 1.0, -1.0)


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

    Each lamella is cached while its own gap is unchanged (most frames of a transition move
    only the two or three lamellae the tear is passing through); the ones missing are built
    together in one vectorised pass.
    """
    k_extra = extra(np.zeros(1))[0] if extra is not None else layout.n_lamellae
    keys = []
    for lamella in range(layout.n_lamellae):
        squeezed = extra is not None and lamella > k_extra
        keys.append((layout.params, lamella, _gap_key(gaps.get(lamella)), _gap_key(full_gaps.get(lamella)),
                     round(extra_key, 9) if squeezed else 0.0))
    missing = [key for key in keys if key not in _LAMELLA_CACHE]
    if missing:
        built = _lamellae(layout, [(key[1], key[2], key[3]) for key in missing], extra)
        _LAMELLA_CACHE.update(zip(missing, map(_owned, built), strict=True))
    parts = []
    for key in keys:
        _LAMELLA_CACHE.move_to_end(key)  # least recently used first: the one to forget
        parts.append(_LAMELLA_CACHE[key])
    while len(_LAMELLA_CACHE) > max(_LAMELLA_CACHE_SIZE, len(keys)):
        _LAMELLA_CACHE.popitem(last=False)
    faces, cell_data = _annulus_topology((layout.params, *((key[3], part.n_points) for key, part in
                                                          zip(keys, parts, strict=True))), parts)
    return Surface(np.concatenate([part.points for part in parts]), faces, cell_data,
                   {name: np.concatenate([part.point_data[name] for part in parts])
                    for name in ("fibre_uv", "depth")})


# Least recently used first. Transitions give each frame new gaps (and gliding parameters a
# new topology), so both caches hold only what the next frames reuse: unbounded or cleared
# only when full they grew by hundreds of MB while a presenter stepped back and forth.
_TOPOLOGY_CACHE: OrderedDict[tuple, tuple[np.ndarray, dict[str, np.ndarray]]] = OrderedDict()
_TOPOLOGY_CACHE_SIZE = 8  # about 2 MB each: a few transitions' worth


def clear_annulus_caches() -> None:
    """Forget the cached lamellae and merged topologies."""
    _LAMELLA_CACHE.clear()
    _TOPOLOGY_CACHE.clear()


def _annulus_topology(key: tuple, parts: list[Surface]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The merged faces and cell arrays (read-only, shared): the full gaps fix them for a
    whole transition, so every frame after the first only joins the points.
    """
    found = _TOPOLOGY_CACHE.get(key)
    if found is not None:
        _TOPOLOGY_CACHE.move_to_end(key)
    else:
        while len(_TOPOLOGY_CACHE) >= _TOPOLOGY_CACHE_SIZE:
            _TOPOLOGY_CACHE.popitem(last=False)
        faces = merge(parts).faces
        lamella_ids = np.repeat(np.arange(1, len(parts) + 1), [part.n_faces for part in parts])
        cells = {"lamella": lamella_ids, "fibre_sign": fibre_sign(lamella_ids - 1)}
        for array in (faces, *cells.values()):
            array.setflags(write=False)
        found = _TOPOLOGY_CACHE[key] = (faces, cells)
    return found


def _gap_key(gap: LamellaGap | None) -> tuple[float, float, float] | None:
    return None if gap is None else (round(gap.centre, 9), round(gap.minus, 9), round(gap.plus, 9))


_LAMELLA_CACHE: OrderedDict[tuple, Surface] = OrderedDict()
_LAMELLA_CACHE_SIZE = 120  # six annuli of 20 lamellae (about 120 kB each): the frame before, steps at rest


def _owned(surface: Surface) -> Surface:
    """``surface`` with its own point arrays: built together, the lamellae are views into one
    array, which a single cached lamella would otherwise keep alive whole.
    """
    return Surface(surface.points.copy(), surface.faces, surface.cell_data,
                   {name: values.copy() for name, values in surface.point_data.items()})
GapKey = tuple[float, float, float] | None


def _lamellae(layout: DiscLayout, wanted: list[tuple[int, GapKey, GapKey]],
              extra: Extra | None) -> list[Surface]:
    """Surfaces of the ``(lamella, gap, full gap)`` asked for, their sections in one pass.

    ``extra`` may be given for all: it leaves the lamellae inside the delamination in place.
    """
    frame = layout.frame
    plans = [lamella_pieces(layout, lamella, LamellaGap(*gap) if gap else None,
                            LamellaGap(*full) if full else None) for lamella, gap, full in wanted]
    thetas = [theta for plan in plans for theta, _ in plan]
    lamellae = np.concatenate([np.full(theta.size, request[0])
                               for request, plan in zip(wanted, plans, strict=True) for theta, _ in plan])
    sections, share = _sections(layout, lamellae, np.concatenate(thetas), extra)
    points = sections.reshape(-1, 3)
    # fibre texture coordinates: arc length around the disc at this point's radius
    theta_pt = angle_of(points[:, :2])
    radius = length(points[:, :2])
    sign = np.repeat(fibre_sign(lamellae), frame.n_profile)
    fibre_uv = np.stack([sign * theta_pt * radius, points[:, 2]], 1)
    depth = np.clip(share.reshape(-1), 0.0, 1.0)
    m = frame.n_profile
    strip = wall_indices(m)
    out: list[Surface] = []
    start = 0
    for plan in plans:
        faces, count = [], 0
        for theta, closed in plan:
            n = theta.size
            faces.append((ring_faces(n, m) if closed else arc_faces(n, m, strip)) + count)
            count += n * m
        span = slice(start, start + count)
        out.append(Surface(points[span], np.concatenate(faces), {},
                           {"fibre_uv": fibre_uv[span], "depth": depth[span]}))
        start += count
    return out


def lamella_pieces(layout: DiscLayout, lamella: int, gap: LamellaGap | None,
            full: LamellaGap | None) -> list[tuple[np.ndarray, bool]]:
    """The angle grids of one lamella's pieces, each with whether it is a whole ring.

    The piece count and each grid's size depend only on the full gaps, so a lamella keeps
    its topology while its gap opens or closes.
    """
    frame = layout.frame
    angle_step = TAU / frame.n_around
    removed = layout.removed_intervals(lamella)
    full_removed = list(removed)
    if gap is not None and full is not None:
        removed.append(Interval(gap.centre - gap.minus, gap.centre + gap.plus))
        full_removed.append(Interval(full.centre - full.minus, full.centre + full.plus))
    groups = _merge_intervals(full_removed)
    if not groups:
        return [(frame.angles(), True)]
    spans_now = [_group_span(removed, g) for g in groups]
    spans_full = [_group_span(full_removed, g) for g in groups]
    order = np.argsort([s[0] % TAU for s in spans_full])
    pieces = []
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
        pieces.append((np.linspace(start, end, count), False))
    return pieces


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
