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

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from discviz.geometry.disc.outline import GAP, DiscFrame, angle_of, direction, length
from discviz.geometry.disc.shift import NO_SHIFT, AnnulusShift, dome_profile, drop_profile
from discviz.geometry.params import Params
from discviz.geometry.primitives import arc_faces, ring_faces, ring_solid
from discviz.geometry.surface import Surface

TAU = 2 * np.pi
OUTER_BULGE = 0.8  # mm the outer wall bulges at mid-height
# a torn lamella's end frays: its last section narrows to this share of the band around a
# point that differs from lamella to lamella (ragged fibre ends, not a saw cut)
FRAY_END = 0.22
FRAY_NEXT = 0.8  # the section before it
TAPER_FLOOR = 0.2  # an incomplete lamella ends where it has thinned to this share
TAPER_RAMP = np.radians(25.0)


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.minimum(np.maximum(x, 0.0), 1.0)  # (cheaper than np.clip)
    return x * x * (3 - 2 * x)


def wrap(angle: np.ndarray | float) -> np.ndarray:
    """Signed angle difference in [-pi, pi)."""
    shifted = np.asarray(angle) + np.pi
    if shifted.ndim == 0:
        return np.mod(shifted, TAU) - np.pi
    # np.mod to the bit (fmod is exact; the sign fixed where it is negative) at a third of its
    # cost: every lamella point's taper asks. fmod gives back every angle less than a turn
    # from zero as it is: skipped (it costs ten additions) when all are
    turned = shifted
    if shifted.size and not -TAU < shifted.min() <= shifted.max() < TAU:
        turned = np.fmod(shifted, TAU)
    np.add(turned, TAU, out=turned, where=turned < 0)
    turned -= np.pi
    return turned


@lru_cache(maxsize=1)
def _taper_end() -> float:
    """Where the smoothstep reaches TAPER_FLOOR: 3x^2 - 2x^3 = floor, solved once."""
    x = np.linspace(0, 1, 2001)
    return float(x[np.searchsorted(_smoothstep(x), TAPER_FLOOR)])


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
        return self.edges_xy(theta)[0]

    def outer_xy(self, theta: np.ndarray) -> np.ndarray:
        """Outer edge of the annulus (at the endplates, before the bulge)."""
        return self.edges_xy(theta)[1]

    def edges_xy(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Inner and outer edge (n, 2) of the annulus: every lamella point asks for both, which
        share one direction and one outline radius per angle.
        """
        return self._memo("edges", theta, lambda: self._edges(theta))

    def _edges(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        unit = direction(theta)
        radius = self.frame.outer_radius(theta)
        # as nucleus_xy(theta) + GAP * direction(theta) and frame.outline(theta), term by term
        inner = unit * (self.nucleus_scale * radius)[:, None]
        inner[:, 1] += self.params.f("nucleus.offset")
        return inner + GAP * unit, unit * radius[:, None]

    def _memo(self, what: str, theta: np.ndarray,
              compute: Callable[[], tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
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
            for array in found:
                array.setflags(write=False)
        return found

    def weights(self, theta: np.ndarray) -> np.ndarray:
        """Relative thickness of each lamella (n_lamellae, len(theta))."""
        w = np.repeat(self.base_weight[:, None], theta.size, axis=1)
        w[self.incomplete] *= self._tapers(theta)
        return w

    def _tapers(self, theta: np.ndarray) -> np.ndarray:
        """How much of each incomplete lamella's thickness is left (n_incomplete, len(theta))."""
        off = np.abs(wrap(theta[None, :] - self.sector_centre[:, None]))
        return _smoothstep((off - self.sector_half[:, None]) / TAPER_RAMP)

    def lamella_bounds(self, lamella: np.ndarray, theta: np.ndarray,
                       shift: AnnulusShift = NO_SHIFT) -> np.ndarray:
        """``bounds(theta, shift)[lamella, arange(len(theta))]`` (t, 2), without building the
        bounds of every lamella at every angle (the lamella meshes ask for thousands of angles).
        """
        return np.stack(self._lamella_edges(lamella, theta, shift), axis=-1)

    def _lamella_edges(self, lamella: np.ndarray, theta: np.ndarray, shift: AnnulusShift,
                       edges: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`lamella_bounds` as its inner and outer edge (t,) each: the sections use them
        apart, and numpy is slow on a last axis of two. ``edges``: ``edges_xy(theta)``, when
        the caller has them (few angles are not kept).
        """
        p_in, p_out = self.edges_xy(theta) if edges is None else edges
        thickness = length(p_out - p_in)
        n = self.n_lamellae
        lamella = np.asarray(lamella)
        available = thickness - (n - 1) * GAP
        # weights: the base weight, incomplete lamellae tapered (bounds/weights); their sums
        # over all lamellae and up to each point's own one
        extra = self.base_weight[self.incomplete, None] * (self._tapers(theta) - 1.0)  # (k, t)
        total = self.base_weight.sum() + extra.sum(axis=0)
        incomplete = self.incomplete[:, None]
        below = np.cumsum(self.base_weight)[lamella] + (extra * (incomplete <= lamella)).sum(axis=0)
        own = self.base_weight[lamella] + (extra * (incomplete == lamella)).sum(axis=0)
        outer = available * below / total + lamella * GAP
        width = available * own / total
        inner = outer - width
        if shift.squeeze is not None:
            k, opening, _ = shift.squeeze
            mm = opening(theta)
            start = available * (np.cumsum(self.base_weight)[k] + extra[self.incomplete <= k].sum(axis=0)) \
                / total + (k + 1) * GAP  # lamella k's outer edge and the gap after it
            mm = np.minimum(mm, 0.6 * (thickness - start))
            scale = (thickness - start - mm) / (thickness - start)
            moved = lamella > k
            inner = np.where(moved, start + mm + (inner - start) * scale, inner)
            outer = np.where(moved, start + mm + (outer - start) * scale, outer)
        if shift.splits:
            lamella = np.broadcast_to(lamella, theta.shape)
            outer, inner = np.array(outer, dtype=float), np.array(inner, dtype=float)  # own, written
        for k, opening, _ in shift.splits:
            # only the two lamellae beside it move: ask for theirs, in one call (it is per angle)
            below = lamella == k
            at = np.flatnonzero(below | (lamella == k + 1))
            if not at.size:
                continue
            half = opening(theta[at]) / 2
            side = below[at]
            lower, upper = at[side], at[~side]
            outer[lower] -= np.minimum(half[side], 0.45 * (outer[lower] - inner[lower]))
            inner[upper] += np.minimum(half[~side], 0.45 * (outer[upper] - inner[upper]))
        return inner / thickness, outer / thickness

    def bounds(self, theta: np.ndarray, shift: AnnulusShift = NO_SHIFT) -> np.ndarray:
        """Inner and outer edge of every lamella as a share of the annulus segment.

        Returns (n_lamellae, len(theta), 2). ``shift.squeeze`` opens space between lamella k
        and k+1 (0-based): a circumferential delamination; only the lamellae outside it are
        squeezed, so nothing ever moves inward. ``shift.splits`` thin the two lamellae beside
        a boundary (at most 45 % of each), so only those two move.
        """
        p_in, p_out = self.edges_xy(theta)
        thickness = length(p_out - p_in)
        n = self.n_lamellae
        gaps = np.full((n, theta.size), GAP)
        gaps[-1] = 0.0
        available = thickness - gaps.sum(axis=0)
        w = self.weights(theta)
        widths = available * w / w.sum(axis=0)
        outer = np.cumsum(widths + gaps, axis=0) - gaps
        inner = outer - widths
        if shift.squeeze is not None:
            k, opening, _ = shift.squeeze
            mm = opening(theta)
            start = outer[k] + gaps[k]
            mm = np.minimum(mm, 0.6 * (thickness - start))  # the outer lamellae keep some room
            scale = (thickness - start - mm) / (thickness - start)
            inner[k + 1:] = start + mm + (inner[k + 1:] - start) * scale
            outer[k + 1:] = start + mm + (outer[k + 1:] - start) * scale
        for k, opening, _ in shift.splits:
            half = opening(theta) / 2
            outer[k] -= np.minimum(half, 0.45 * (outer[k] - inner[k]))
            inner[k + 1] += np.minimum(half, 0.45 * (outer[k + 1] - inner[k + 1]))
        return np.stack([inner, outer], axis=-1) / thickness[None, :, None]

    def arc_of_sector(self, k: int) -> Interval:
        """Removed interval of incomplete lamella number ``k`` in ``self.incomplete``."""
        reach = self.sector_half[k] + TAPER_RAMP * _taper_end()
        return Interval(float(self.sector_centre[k] - reach), float(self.sector_centre[k] + reach))

    def removed_intervals(self, lamella: int) -> list[Interval]:
        """Sectors where lamella (0-based) is missing in the healthy disc (a new list)."""
        kept: dict[int, tuple[Interval, ...]] = self.__dict__.setdefault("_removed", {})
        if lamella not in kept:
            sectors = np.flatnonzero(self.incomplete == lamella)
            kept[lamella] = tuple(self.arc_of_sector(int(k)) for k in sectors)
        return list(kept[lamella])

    def face_offset(self, lamella: np.ndarray) -> np.ndarray:
        """How far below the vertebral face the top of each lamella stays (mm)."""
        under = np.asarray(lamella) < self.lowered
        return np.where(under, 2 * GAP + self.frame.endplate, GAP)


# ---------------------------------------------------------------------------------------
# Annulus


@dataclass(frozen=True)
class LamellaGap:
    """Where a torn lamella is open: around ``centre``, ``minus``/``plus`` radians each side;
    ``fray`` (0..1) how ragged its torn ends are.
    """

    centre: float
    minus: float
    plus: float
    fray: float = 0.0


def lamella_sections(layout: DiscLayout, lamella: int | np.ndarray, theta: np.ndarray,
                     shift: AnnulusShift = NO_SHIFT) -> np.ndarray:
    """Cross-sections (len(theta), n_profile, 3) of one lamella, or of the lamella given per
    angle, profile counter-clockwise in the (outward, up) plane: bottom edge outward, outer
    wall up, top edge inward, inner wall down.
    """
    return _sections(layout, np.broadcast_to(np.asarray(lamella), theta.shape), theta, shift)[0]


def _sections(layout: DiscLayout, lamella: np.ndarray, theta: np.ndarray, shift: AnnulusShift,
              fray: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sections (t, m, 3) of lamella[i] at theta[i], and each point's share (t, m) of the
    annulus segment (0 inner edge, 1 outer edge). All lamellae in one pass. ``fray`` =
    (taper, tip), each (t,): narrow sections to ``taper`` of the band around the point
    ``tip`` across it (0 inner, 1 outer edge): the frayed end of a torn lamella.
    """
    frame = layout.frame
    p_in, p_out = layout.edges_xy(theta)
    inner, outer = layout._lamella_edges(lamella, theta, shift, (p_in, p_out))  # (t,) each
    if fray is not None:
        taper, tip_share = fray
        tip = inner + tip_share * (outer - inner)
        inner, outer = tip + (inner - tip) * taper, tip + (outer - tip) * taper
    bounds = np.stack([inner, outer], axis=-1)  # (t, 2)
    seg = p_out - p_in
    seg_length = length(seg)
    # every profile point sits on the lamella's inner or outer edge: the vertebral faces
    # are needed at those two places only. Coordinate by coordinate: numpy is slow on a
    # last axis of two or three
    edges = np.empty((theta.size, 2, 2))  # (t, inner/outer, xy)
    for axis in (0, 1):
        np.multiply(bounds, seg[:, axis, None], out=edges[..., axis])
        edges[..., axis] += p_in[:, axis, None]
    lower, upper = frame.faces(edges)
    offset = layout.face_offset(lamella)[:, None]
    top, bottom = upper - offset, lower + offset
    prof_s, half_z, dome_at, drop_at = _profile_shares(frame.n_profile)
    s = bounds[:, prof_s]  # (t, m)
    out = np.empty((theta.size, prof_s.size, 3))
    z = out[..., 2]
    np.multiply(half_z, (top - bottom)[:, prof_s], out=z)
    z += bottom[:, prof_s]
    bulge = OUTER_BULGE * s**2 * dome_at
    dome = shift.dome_mm(lamella, theta)
    if dome is not None:
        bulge = bulge + dome[:, None] * dome_at
    for axis in (0, 1):
        np.multiply(bulge, (seg[:, axis] / seg_length)[:, None], out=out[..., axis])
        out[..., axis] += edges[..., axis][:, prof_s]
    drop = shift.drop_mm(lamella[:, None], theta[:, None], s)
    if drop is not None:
        z -= drop * drop_at
    return out, s


@lru_cache(maxsize=8)
def _profile_shares(n_profile: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per profile point (read-only): its edge (0 inner, 1 outer), its share of the height
    from the bottom, and how much of the dome and of the drop it gets.
    """
    prof_s, prof_z = _profile(n_profile)
    found = (prof_s, (prof_z + 1) / 2, dome_profile(prof_z), drop_profile(prof_z))
    for array in found:
        array.setflags(write=False)
    return found


def fray_tip(lamella: int, side: float) -> float:
    """Where across its band (0 inner, 1 outer) a frayed lamella end points: differs between
    lamellae and between the two ends of a gap (``side`` +1 or -1), the same every time.
    """
    return float(0.5 + 0.32 * np.sin(lamella * 2.39996 + 1.3 * side))


def annulus_xyz(layout: DiscLayout, theta: np.ndarray, share: np.ndarray, zeta: np.ndarray,
                lamella: np.ndarray, shift: AnnulusShift = NO_SHIFT) -> np.ndarray:
    """Points (n, 3) placed like the lamellae place theirs: at angle ``theta``, ``share`` of
    the annulus segment (below 0: in the nucleus, above 1: outside the disc) and height
    ``zeta`` (-1 bottom .. 1 top) between the faces that bound ``lamella`` there (-1: the
    nucleus' limits, n_lamellae or more: the vertebrae). Bulge, dome and drop as the
    lamellae get them, so a shape built with this fits the torn annulus exactly.
    """
    theta, share, zeta, lamella = (np.asarray(a) for a in np.broadcast_arrays(theta, share, zeta, lamella))
    flat, s, lam = theta.ravel(), share.ravel(), lamella.ravel()
    seg, base, lower, upper, offset = _band(layout, flat, s, lam)
    outward = seg / length(seg)[:, None]
    z_rel = zeta.ravel()
    z = lower + offset + (z_rel + 1) / 2 * (upper - lower - 2 * offset)
    # the lamellae bow between their profile points in straight chords: follow the chords
    heights, dome_at, drop_at = _profile_heights(layout.frame.n_profile)
    bow = np.interp(z_rel, heights, dome_at)
    bulge = OUTER_BULGE * np.clip(s, 0.0, None) ** 2 * bow
    dome = shift.dome_mm(lam, flat)
    if dome is not None:
        bulge = bulge + dome * bow
    xy = base + bulge[:, None] * outward
    drop = shift.drop_mm(lam, flat, s)
    if drop is not None:
        z = z - drop * np.interp(z_rel, heights, drop_at)
    return np.concatenate([xy, z[:, None]], axis=1).reshape(*theta.shape, 3)


def annulus_zeta(layout: DiscLayout, theta: np.ndarray, share: np.ndarray, lamella: np.ndarray,
                 z: np.ndarray) -> np.ndarray:
    """The heights ``zeta`` at which :func:`annulus_xyz` (without a shift) puts points at
    height ``z`` (mm): 0 at mid-height and 1 at the top of the band ``lamella`` has there,
    beyond them outside it. Only the band's heights, not the points.
    """
    theta, share, lamella, z = (np.asarray(a) for a in np.broadcast_arrays(theta, share, lamella, z))
    _, _, lower, upper, offset = _band(layout, theta.ravel(), share.ravel(), lamella.ravel())
    span = upper - lower - 2 * offset
    mid, top = lower + offset + 0.5 * span, lower + offset + span  # annulus_xyz at zeta 0 and 1
    return ((z.ravel() - mid) / (top - mid)).reshape(theta.shape)


def _band(layout: DiscLayout, theta: np.ndarray, share: np.ndarray,
          lamella: np.ndarray) -> tuple[np.ndarray, ...]:
    """For flat points: the annulus segment (inner to outer edge) at each angle, the point on
    it at ``share``, the vertebral faces there and how far ``lamella``'s band stays off them.
    """
    p_in, p_out = layout.edges_xy(theta)
    seg = p_out - p_in
    base = p_in + share[:, None] * seg
    lower, upper = layout.frame.faces(base)
    offset = np.where(lamella >= layout.n_lamellae, GAP, layout.face_offset(np.clip(lamella, 0, None)))
    return seg, base, lower, upper, offset


@lru_cache(maxsize=8)
def _profile_heights(n_profile: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The profile's distinct heights and the dome's and the drop's share at each."""
    heights = np.unique(_profile(n_profile)[1])
    found = (heights, dome_profile(heights), drop_profile(heights))
    for array in found:
        array.setflags(write=False)
    return found


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


def _wrap_angle(angle: float) -> float:
    """:func:`wrap` of one number, in plain floats (the lamellae's pieces ask for thousands)."""
    return (angle + math.pi) % TAU - math.pi


def _group_span(intervals: list[Interval], group: list[int]) -> tuple[float, float]:
    """Start and end (unwrapped, start < end) of a group of overlapping intervals."""
    ref = intervals[group[0]].start
    starts = [ref + _wrap_angle(intervals[i].start - ref) for i in group]
    ends = [s + (intervals[i].end - intervals[i].start) for s, i in zip(starts, group, strict=True)]
    return float(min(starts)), float(max(ends))


def annulus_surface(layout: DiscLayout, gaps: dict[int, LamellaGap], full_gaps: dict[int, LamellaGap],
                    shift: AnnulusShift = NO_SHIFT) -> Surface:
    """All lamellae, torn where ``gaps`` says and moved as ``shift`` says. ``full_gaps`` (the
    gaps at the end of the transition) fixes the topology, so it stays the same for every
    progress value.

    Each lamella is cached while its own gap and displacement are unchanged (most frames of a
    transition move only the lamellae the tear is passing through); the ones missing are
    built together in one vectorised pass.
    """
    lamellae = range(layout.n_lamellae)
    gap_keys = _gap_keys([gaps.get(lamella) for lamella in lamellae]
                         + [full_gaps.get(lamella) for lamella in lamellae])
    keys = []
    for lamella in lamellae:
        moved = shift.key_for(lamella)
        keys.append((layout.params, lamella, gap_keys[lamella], gap_keys[layout.n_lamellae + lamella],
                     tuple(round(v, 9) for v in moved) if moved else ()))
    whole = tuple(keys)
    if _LAST_ANNULUS and _LAST_ANNULUS[0] == whole:
        # nothing moved since the last frame: the very same surface, which the renderer then
        # skips (it writes again only a surface it has not shown)
        for key in keys:
            _LAMELLA_CACHE.move_to_end(key)
        return _LAST_ANNULUS[1]
    missing = [key for key in keys if key not in _LAMELLA_CACHE]
    joined: dict[str, np.ndarray] = {}
    if missing:
        built, joined = _lamellae(layout, [(key[1], key[2], key[3]) for key in missing], shift)
        _LAMELLA_CACHE.update(zip(missing, map(_owned, built), strict=True))
    parts = []
    for key in keys:
        _LAMELLA_CACHE.move_to_end(key)  # least recently used first: the one to forget
        parts.append(_LAMELLA_CACHE[key])
    while len(_LAMELLA_CACHE) > max(_LAMELLA_CACHE_SIZE, len(keys)):
        _LAMELLA_CACHE.popitem(last=False)
    faces, cell_data = _annulus_topology((layout.params, *((key[3], part.n_points) for key, part in
                                                          zip(keys, parts, strict=True))), parts)
    if len(missing) == len(keys):  # all built in one pass, in order: already joined
        surface = Surface(joined["points"], faces, cell_data,
                          {name: joined[name] for name in ("fibre_uv", "depth")})
    else:
        surface = Surface(np.concatenate([part.points for part in parts]), faces, cell_data,
                          {name: np.concatenate([part.point_data[name] for part in parts])
                           for name in ("fibre_uv", "depth")})
    _LAST_ANNULUS[:] = [whole, surface]
    return surface


#: The last annulus built and its lamellae's keys: handed out again while none of them changes
#: (most frames of a transition, and every frame of one that leaves the annulus alone).
_LAST_ANNULUS: list = []


# Least recently used first. Transitions give each frame new gaps (and gliding parameters a
# new topology), so both caches hold only what the next frames reuse: unbounded or cleared
# only when full they grew by hundreds of MB while a presenter stepped back and forth.
_TOPOLOGY_CACHE: OrderedDict[tuple, tuple[np.ndarray, dict[str, np.ndarray]]] = OrderedDict()
_TOPOLOGY_CACHE_SIZE = 8  # about 2 MB each: a few transitions' worth


def clear_annulus_caches() -> None:
    """Forget the cached lamellae and merged topologies."""
    _LAMELLA_CACHE.clear()
    _TOPOLOGY_CACHE.clear()
    _LAST_ANNULUS.clear()


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
        # merge(parts).faces without joining the points (the caller does that every frame),
        # written in place: a new annulus' megabytes are slow to allocate
        counts = [part.n_faces for part in parts]
        faces = np.empty((sum(counts), 3), dtype=np.int64)
        start, offset = 0, 0
        for part, count in zip(parts, counts, strict=True):
            np.add(part.faces, offset, out=faces[start:start + count])
            start, offset = start + count, offset + part.n_points
        lamella_ids = np.repeat(np.arange(1, len(parts) + 1), counts)
        cells = {"lamella": lamella_ids, "fibre_sign": np.repeat(fibre_sign(np.arange(len(parts))), counts)}
        for array in (faces, *cells.values()):
            array.setflags(write=False)
        found = _TOPOLOGY_CACHE[key] = (faces, cells)
    return found


GapKey = tuple[float, float, float, float] | None


def _gap_keys(gaps: list[LamellaGap | None]) -> list[GapKey]:
    """The keys of ``gaps``: each value rounded as ``round`` rounds it (a gap's angles come
    as numpy or Python floats, which ``round`` rounds each its own way).
    """
    # every frame asks again for the same (immutable) gaps: rounding them is the cost, and
    # numpy's ``round`` of one number costs as much as of forty at once
    out: list[GapKey] = []
    fresh: list[tuple[int, LamellaGap]] = []
    for gap in gaps:
        found = _GAP_KEYS.get(id(gap)) if gap is not None else None
        if found is not None and found[0] is gap:
            out.append(found[1])
        else:
            if gap is not None:
                fresh.append((len(out), gap))
            out.append(None)
    if not fresh:
        return out
    angles = [value for _, gap in fresh for value in (gap.centre, gap.minus, gap.plus)]
    numpy_at = [i for i, value in enumerate(angles) if type(value) is np.float64]
    rounded = [value if type(value) is np.float64 else round(value, 9) for value in angles]
    if numpy_at:  # np.round of an array: the very loop np.float64.__round__ runs on one
        for i, value in zip(numpy_at, np.round(np.array([angles[i] for i in numpy_at]), 9), strict=True):
            rounded[i] = value
    if len(_GAP_KEYS) > 1024:
        _GAP_KEYS.clear()
    for j, (index, gap) in enumerate(fresh):
        key = (*rounded[3 * j:3 * j + 3], round(gap.fray, 6))
        _GAP_KEYS[id(gap)] = (gap, key)  # the gap kept alive: its id is not reused meanwhile
        out[index] = key
    return out


_GAP_KEYS: dict[int, tuple[LamellaGap, GapKey]] = {}


_LAMELLA_CACHE: OrderedDict[tuple, Surface] = OrderedDict()
_LAMELLA_CACHE_SIZE = 120  # six annuli of 20 lamellae (about 120 kB each): the frame before, steps at rest


def _owned(surface: Surface) -> Surface:
    """``surface`` with its own point arrays: built together, the lamellae are views into one
    array, which a single cached lamella would otherwise keep alive whole.
    """
    return Surface(surface.points.copy(), surface.faces, surface.cell_data,
                   {name: values.copy() for name, values in surface.point_data.items()})


def _lamellae(layout: DiscLayout, wanted: list[tuple[int, GapKey, GapKey]],
              shift: AnnulusShift) -> tuple[list[Surface], dict[str, np.ndarray]]:
    """Surfaces of the ``(lamella, gap, full gap)`` asked for, their sections in one pass
    (views into one array each of points, ``fibre_uv`` and ``depth``: those arrays, joined,
    come with them).

    ``shift`` may be given for all: it leaves the lamellae it does not affect in place.
    """
    frame = layout.frame
    gaps = [(LamellaGap(*gap) if gap else None, LamellaGap(*full) if full else None)
            for _, gap, full in wanted]
    plans = [lamella_pieces(layout, lamella, gap, full)
             for (lamella, _, _), (gap, full) in zip(wanted, gaps, strict=True)]
    thetas = [theta for plan in plans for theta, _ in plan]
    sizes = [theta.size for theta in thetas]
    ids = [request[0] for request in wanted]
    lamellae = np.repeat([lamella for lamella, plan in zip(ids, plans, strict=True) for _ in plan], sizes)
    fray = _frays([(lamella, plan, gap) for lamella, plan, (gap, _) in zip(ids, plans, gaps, strict=True)],
                  sum(sizes))
    sections, share = _sections(layout, lamellae, np.concatenate(thetas), shift, fray)
    points = sections.reshape(-1, 3)
    # fibre texture coordinates: arc length around the disc at this point's radius
    theta_pt = angle_of(points[:, :2])
    radius = length(points[:, :2])
    sign = np.repeat(fibre_sign(lamellae), frame.n_profile)
    fibre_uv = np.stack([sign * theta_pt * radius, points[:, 2]], 1)
    depth = np.clip(share.reshape(-1), 0.0, 1.0)
    m = frame.n_profile
    out: list[Surface] = []
    start = 0
    for plan in plans:
        count = sum(theta.size for theta, _ in plan) * m
        span = slice(start, start + count)
        faces = _plan_faces(tuple((theta.size, closed) for theta, closed in plan), m)
        out.append(Surface(points[span], faces, {}, {"fibre_uv": fibre_uv[span], "depth": depth[span]}))
        start += count
    return out, {"points": points, "fibre_uv": fibre_uv, "depth": depth}


@lru_cache(maxsize=256)
def _plan_faces(plan: tuple[tuple[int, bool], ...], m: int) -> np.ndarray:
    """Faces (read-only, shared) of a lamella whose pieces have these section counts and are
    whole rings or not: most lamellae of every frame have one of a few such plans.
    """
    strip = wall_indices(m)
    faces, count = [], 0
    for n, closed in plan:
        faces.append((ring_faces(n, m) if closed else arc_faces(n, m, strip)) + count)
        count += n * m
    merged = np.concatenate(faces)
    merged.setflags(write=False)
    return merged


def _frays(pieces: list[tuple[int, list[tuple[np.ndarray, bool]], LamellaGap | None]],
           count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Per section of the pieces of every (lamella, plan, gap), in order: (taper, tip), the
    taper below 1 only at an end that borders the tear (ragged ends), the tip 0.5 elsewhere
    in a piece that has one and 0 in the others; or None when no piece has one.
    """
    taper = tip = None
    start = 0
    for lamella, plan, gap in pieces:
        for theta, _ in plan:
            ends = _frayed_ends(lamella, theta, gap)
            if ends:
                if taper is None or tip is None:
                    taper, tip = np.ones(count), np.zeros(count)
                tip[start:start + theta.size] = 0.5
                for index, narrowed, towards in ends:
                    taper[start + index], tip[start + index] = narrowed, towards
            start += theta.size
    return None if taper is None or tip is None else (taper, tip)


def _frayed_ends(lamella: int, theta: np.ndarray, gap: LamellaGap | None) -> list[tuple[int, float, float]]:
    """The sections of one piece that narrow at an end bordering the tear: (index, taper,
    tip) each; none when the piece has no frayed end. Plain floats: the lamellae have many
    pieces, each with two ends to look at.
    """
    if gap is None or gap.fray <= 0.0 or theta.size < 4:
        return []
    last = theta.size - 1
    out = []
    for end, nxt, edge, side in ((0, 1, gap.centre + gap.plus, 1.0),
                                 (last, last - 1, gap.centre - gap.minus, -1.0)):
        if abs(_wrap_angle(theta[end] - edge)) < 1e-7:
            tip = fray_tip(lamella, side)
            out += [(end, 1.0 - gap.fray * (1.0 - FRAY_END), tip),
                    (nxt, min(1.0, 1.0 - gap.fray * (1.0 - FRAY_NEXT)), tip)]
    return out if any(narrowed < 1.0 for _, narrowed, _ in out) else []


def lamella_pieces(layout: DiscLayout, lamella: int, gap: LamellaGap | None,
                   full: LamellaGap | None) -> list[tuple[np.ndarray, bool]]:
    """The angle grids of one lamella's pieces, each with whether it is a whole ring.

    The piece count and each grid's size depend only on the full gaps, so a lamella keeps
    its topology while its gap opens or closes. The grids are read-only and shared: the
    lamella meshes and the shapes fitted to their walls ask for the same ones every frame.
    """
    cache: dict = layout.__dict__.setdefault("_pieces_memo", {})
    key = (lamella, gap, full)
    found = cache.get(key)
    if found is None:
        if len(cache) > 512:
            cache.clear()
        found = cache[key] = _pieces(layout, lamella, gap, full)
        for theta, _ in found:
            theta.setflags(write=False)
    return list(found)


def _pieces(layout: DiscLayout, lamella: int, gap: LamellaGap | None,
            full: LamellaGap | None) -> list[tuple[np.ndarray, bool]]:
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
    order = sorted(range(len(groups)), key=lambda g: spans_full[g][0] % TAU)
    pieces = []
    for k in range(len(order)):
        this, nxt = order[k], order[(k + 1) % len(order)]
        start = spans_now[this][1]
        if len(order) == 1:
            end = spans_now[this][0] + TAU
            full_len = TAU - (spans_full[this][1] - spans_full[this][0])
        else:
            end = start + (spans_now[nxt][0] - start) % TAU
            full_len = (spans_full[nxt][0] - spans_full[this][1]) % TAU
        count = max(4, math.ceil(full_len / angle_step) + 1)
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
    p_in, p_out = layout.edges_xy(theta)
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
