"""The story's pathology: the fissure and how it tears the lamellae, nucleus material in it,
ingrown nerve endings with their granulation tissue, the sparse native nerves, and the repair.

How ``fissure.depth`` (d) applies to each type, as a share of the annulus thickness at
``fissure.position`` measured from the nucleus outward:
- radial: the cleft runs from the nucleus out to d (grade 1, 2, 3 reach d = 1/3, 2/3, 1);
- circumferential: a delamination between the two lamellae at d, spanning 50 degrees;
- rim: a cleft at the ring apophysis beside the upper endplate, from the outer edge inward
  through max(0.15, d / 3) of the annulus.

Every function takes the transition progress and keeps its point count and faces for all
progress values: the tear tip advances, lamellae open inner-first, nucleus seeps in behind,
nerves grow along precomputed paths, and on repair they shrink while the walls close.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from discviz.geometry.disc.annulus import (
    OUTER_BULGE,
    DiscLayout,
    Extra,
    LamellaGap,
    lamella_pieces,
    lamella_sections,
    wall_indices,
    wrap,
)
from discviz.geometry.disc.outline import GAP, direction
from discviz.geometry.primitives import merge, swept_arc, tubes
from discviz.geometry.surface import Surface

CLOSED_GAP = 0.004  # mm: a lamella that is not torn yet shows no visible seam
OPEN_RAMP = 0.12  # share of annulus thickness over which a lamella opens ahead of the tip
CIRCUMFERENTIAL_SPAN = np.radians(25.0)
REPAIR_SHARE = 0.45  # the sealed zone keeps this share of the fissure's width
MIN_SCALE = 0.02  # growing or shrinking structures never collapse completely
# mm: free nerve endings are a few micrometres thick; drawn thick enough to be seen in a whole-disc view
NATIVE_RADIUS = 0.22


def ease(p: float) -> float:
    """Smooth 0..1 ramp."""
    p = min(max(p, 0.0), 1.0)
    return p * p * (3 - 2 * p)


def window(p: float, start: float, end: float) -> float:
    """Eased progress of the part of [0, 1] between ``start`` and ``end``."""
    return ease((p - start) / (end - start))


@dataclass(frozen=True)
class Phase:
    """How far each part of the story is, for one state and progress."""

    tear: float  # 0..1 tip advance
    seep: float  # nucleus material in the fissure
    nerves: float  # ingrown nerves and inflammation
    fissure_scale: float  # 1 while torn, shrinks to nothing on repair
    repair: float  # the sealed zone grows

    @classmethod
    def of(cls, state: str, progress: float) -> Phase:
        """The phase of ``state`` at ``progress`` of the transition into it."""
        p = min(max(progress, 0.0), 1.0)
        if state == "healthy":
            return cls(0.0, 0.0, 0.0, 1.0, 0.0)
        if state == "ruptured":
            return cls(window(p, 0.0, 0.75), window(p, 0.3, 1.0), 0.0, 1.0, 0.0)
        if state == "nerve-ingrowth":
            return cls(1.0, 1.0, ease(p), 1.0, 0.0)
        if state == "repaired":
            return cls(1.0, 1.0 - window(p, 0.1, 0.6), 1.0 - window(p, 0.0, 0.5),
                       1.0 - window(p, 0.3, 0.9), window(p, 0.3, 1.0))
        raise ValueError(f"unknown state {state!r}")


class Pathology:
    """The fissure's frame at ``fissure.position`` and everything built in it."""

    def __init__(self, layout: DiscLayout) -> None:
        self.layout = layout
        params = layout.params
        self.kind = str(params["fissure.type"])
        self.phi = float(np.radians(params.f("fissure.position")))
        self.depth = params.f("fissure.depth")
        self.width = params.f("fissure.width")
        rng = np.random.default_rng(int(params["seed"]) + 1)
        self.jitter = rng.uniform(0.0, 0.45, (layout.n_lamellae, 2))  # torn, staircase walls
        self.wall_noise = rng.uniform(0.72, 1.0, (64, 64))
        self.rng_nerves = np.random.default_rng(int(params["seed"]) + 2)
        phi = np.array([self.phi])
        self.p_in = layout.inner_xy(phi)[0]
        self.p_out = layout.outer_xy(phi)[0]
        self.bounds = layout.bounds(phi)[:, 0, :]  # (n, 2) shares at the fissure
        seg = self.p_out - self.p_in
        self.thickness = float(np.linalg.norm(seg))
        self.outward = seg / self.thickness
        self.tangent = np.array([-self.outward[1], self.outward[0]])

    # -- where things are -------------------------------------------------------------------

    def point(self, share: np.ndarray) -> np.ndarray:
        """Xy (k, 2) on the fissure's mid-line at shares of the annulus thickness."""
        return self.p_in + np.asarray(share)[:, None] * (self.p_out - self.p_in)

    def z_range(self, xy: np.ndarray, outer: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Z limits inside the annulus at xy: under the endplates, or (outer) to the rim."""
        frame = self.layout.frame
        off = 3 * GAP if outer else 3 * GAP + frame.endplate
        return frame.lower_face(xy) + off, frame.upper_face(xy) - off

    @cached_property
    def span(self) -> tuple[float, float]:
        """Inner and outer share of the annulus the fissure spans when fully torn."""
        if self.kind == "radial":
            return 0.0, self.depth
        if self.kind == "rim":
            return 1.0 - max(0.15, self.depth / 3), 1.0
        k = self.delamination_boundary
        mid = (self.bounds[k, 1] + self.bounds[k + 1, 0]) / 2
        return float(mid), float(mid)

    @cached_property
    def torn(self) -> np.ndarray:
        """Indices of the lamellae the fissure cuts through (radial and rim)."""
        if self.kind == "circumferential":
            return np.array([], dtype=int)
        lo, hi = self.span
        return np.flatnonzero((self.bounds[:, 1] > lo) & (self.bounds[:, 0] < hi))

    def place(self, shares: np.ndarray, across: np.ndarray) -> np.ndarray:
        """Xy (n, k, 2) at ``shares`` (n,) and ``across`` (n, k) mm beside the mid-line, bent
        along the lamellae: a point keeps its share on its own inner-to-outer segment, so the
        cleft's walls meet the torn lamellae where they open, even in the concave notch.
        """
        angle = (self.phi + across / self._speed(shares)[:, None]).ravel()
        start = self.layout.inner_xy(angle)
        xy = start + np.repeat(shares, across.shape[1])[:, None] * (self.layout.outer_xy(angle) - start)
        return xy.reshape(*across.shape, 2)

    @cached_property
    def delamination_boundary(self) -> int:
        """0-based lamella k: the delamination opens between lamella k and k + 1."""
        edges = self.bounds[:-1, 1]
        miss = np.abs(edges - self.depth)
        # between two complete lamellae: an incomplete one tapers to nothing beside the cleft
        incomplete = np.isin(np.arange(len(edges)), self.layout.incomplete)
        miss = miss + 0.5 * (incomplete | np.roll(incomplete, -1))
        return int(np.clip(np.argmin(miss), 0, self.layout.n_lamellae - 2))

    def _tip(self, tear: float) -> tuple[float, float]:
        """Shares (start, end) of the torn stretch at ``tear`` (0..1)."""
        lo, hi = self.span
        if self.kind == "rim":  # a rim lesion tears from the periphery inward
            return hi - (hi - lo) * max(tear, MIN_SCALE), hi
        return lo, lo + (hi - lo) * max(tear, MIN_SCALE)

    def _half_angle(self, lamella: int, half_width: float) -> float:
        """Angle that opens at least ``half_width`` mm across the whole lamella (the opening
        per radian shrinks outward where the outline is concave, so take the smallest).
        """
        return 1.15 * half_width / float(self._slowest[lamella])

    @cached_property
    def _slowest(self) -> np.ndarray:
        """Per lamella, the smallest tangential speed (mm per radian) over its inner and
        outer edge at the fissure: computed once, every frame's gaps reuse it.
        """
        return self._speed(np.asarray(self.bounds)).min(axis=1)

    @cached_property
    def _edge_rates(self) -> tuple[float, float]:
        """How fast (mm per radian, across the cleft) the annulus' inner edge and its
        inner-to-outer segment move at the fissure; a point at share s moves at their sum.
        """
        d = 1e-3
        theta = np.array([self.phi, self.phi + d])
        p_in, p_out = self.layout.inner_xy(theta), self.layout.outer_xy(theta)
        inner = float((p_in[1] - p_in[0]) @ self.tangent) / d
        segment = float(((p_out[1] - p_in[1]) - (p_out[0] - p_in[0])) @ self.tangent) / d
        return inner, segment

    def _speed(self, shares: np.ndarray) -> np.ndarray:
        """Tangential speed (mm per radian) of points at ``shares`` of the annulus thickness."""
        inner, segment = self._edge_rates
        return np.abs(inner + np.asarray(shares) * segment)

    # -- the annulus, torn ----------------------------------------------------------------

    def lamella_gaps(self, phase: Phase) -> dict[int, LamellaGap]:
        """Open angles of the torn lamellae at this phase."""
        gaps: dict[int, LamellaGap] = {}
        lo, hi = self._tip(phase.tear)
        for i in self.torn:
            if self.kind == "rim":
                reach = self.bounds[i, 1] - lo
            else:
                reach = hi - self.bounds[i, 0]
            opened = ease((reach + OPEN_RAMP) / OPEN_RAMP) if phase.tear > 0 else 0.0
            closing = 1.0 - (1.0 - REPAIR_SHARE) * self._zipper(int(i), phase.repair)
            half = CLOSED_GAP + opened * closing * (self.width / 2)
            minus = self._half_angle(int(i), half) * (1 + opened * self.jitter[i, 0])
            plus = self._half_angle(int(i), half) * (1 + opened * self.jitter[i, 1])
            gaps[int(i)] = LamellaGap(self.phi, minus, plus)
        return gaps

    def _zipper(self, lamella: int, repair: float) -> float:
        """How far lamella's walls have closed: the seal closes from the nucleus outward."""
        if len(self.torn) < 2 or repair <= 0.0:
            return ease(repair)
        order = float(np.searchsorted(self.torn, lamella)) / (len(self.torn) - 1)
        return window(repair, 0.6 * order, 0.6 * order + 0.4)

    def full_gaps(self) -> dict[int, LamellaGap]:
        """The gaps when fully torn: they fix the annulus topology."""
        return self.lamella_gaps(Phase.of("nerve-ingrowth", 1.0))

    def delamination(self, phase: Phase) -> Extra | None:
        """Extra space between two lamellae (circumferential fissures), as a function of angle."""
        if self.kind != "circumferential":
            return None
        k = self.delamination_boundary
        return lambda theta: (k, self.extra_width(theta, phase))

    def delamination_key(self, phase: Phase) -> float:
        """A number that changes whenever the delamination's shape does (for caching)."""
        return float(self.extra_width(np.array([self.phi]), phase)[0])

    def extra_width(self, theta: np.ndarray, phase: Phase) -> np.ndarray:
        """Mm added between the delaminated lamellae at ``theta``."""
        off = np.abs(wrap(theta - self.phi)) / CIRCUMFERENTIAL_SPAN
        bump = np.clip(1 - off**2, 0, 1) ** 2
        closing = 1.0 - (1.0 - REPAIR_SHARE) * phase.repair
        return self.width * bump * max(phase.tear, 0.0) * closing

    # -- the cleft and what fills it -----------------------------------------------------

    def _cleft(self, shares: np.ndarray, half_width: np.ndarray, fill: float, noise: bool,
               outer: bool, profile: int) -> Surface:
        """A radial cleft: rounded sections across the fissure along ``shares``."""
        xy = self.point(shares)
        low, high = self.z_range(xy, outer)
        if self.kind == "rim":  # only the upper part, against the ring apophysis
            low = (low + high) / 2
        mid, half_h = (low + high) / 2, (high - low) / 2 * fill
        a = np.linspace(0, 2 * np.pi, profile, endpoint=False)
        # superellipse: a slot with rounded ends, counter-clockwise in (tangent, up)
        ct, st = np.cos(a), np.sin(a)
        shape_t = np.sign(ct) * np.abs(ct) ** 0.5
        shape_z = np.sign(st) * np.abs(st) ** 0.5
        scale = np.ones((len(shares), profile))
        if noise:
            scale = self.wall_noise[: len(shares), :profile]
        t_off = half_width[:, None] * shape_t[None] * scale
        z_off = half_h[:, None] * shape_z[None] * np.sqrt(scale)
        points = self.place(shares, t_off)
        z = mid[:, None] + z_off
        # the lamellae bulge outward at mid-height (disc.lamella_sections): follow them
        lower, upper = self.layout.frame.faces(xy)
        zeta = np.clip((z - ((upper + lower) / 2)[:, None]) / ((upper - lower) / 2)[:, None], -1, 1)
        bulge = OUTER_BULGE * shares[:, None] ** 2 * (1 - zeta**2)
        points = points + bulge[..., None] * self.outward
        sections = np.concatenate([points, z[..., None]], -1)
        # sections run outward; (tangent, up) counter-clockwise seen from outside -> reverse
        return swept_arc(sections[:, ::-1, :])

    def _arc_cleft(self, phase: Phase, fill: float, thinning: float) -> Surface:
        """A circumferential delamination: a thin curved slab between two lamellae, built from
        the facing walls of those lamellae themselves, so it fits the gap exactly.
        """
        layout = self.layout
        k = self.delamination_boundary
        theta = self.phi + np.linspace(-1, 1, 49) * CIRCUMFERENTIAL_SPAN * 0.9
        mids = (layout.frame.n_profile - 4) // 2
        outer_wall, inner_wall = (np.asarray(side) for side in wall_indices(layout.frame.n_profile))
        inner = self._wall(k, theta, phase, outer_wall)  # lamella k's outer wall, bottom to top
        outer = self._wall(k + 1, theta, phase, inner_wall)  # lamella k + 1's inner wall
        # resample both walls at the heights the slab fills (linear along the wall polyline,
        # exactly as the lamella mesh runs between its profile points)
        place = (fill * np.linspace(-1, 1, mids + 2) + 1) / 2 * (mids + 1)
        below = np.clip(np.floor(place).astype(int), 0, mids)
        w = (place - below)[None, :, None]
        inner = inner[:, below] * (1 - w) + inner[:, below + 1] * w
        outer = outer[:, below] * (1 - w) + outer[:, below + 1] * w
        centre = (inner + outer) / 2
        across = outer - inner
        width = np.linalg.norm(across, axis=-1, keepdims=True)
        half = np.maximum(width / 2 - 3 * GAP, 0.002) * thinning
        unit = across / np.maximum(width, 1e-9)
        # counter-clockwise in (outward, up): outer side upward, then inner side downward
        ring = np.concatenate([(centre + half * unit), (centre - half * unit)[:, ::-1]], axis=1)
        m = mids + 2
        return swept_arc(ring, (np.arange(m), np.arange(2 * m - 1, m - 1, -1)))  # no centroid fan

    def _wall(self, lamella: int, theta: np.ndarray, phase: Phase, index: np.ndarray) -> np.ndarray:
        """Profile points ``index`` of a delaminated lamella's wall at ``theta``, linear in angle
        between the angles the lamella's mesh is built on: the mesh runs in straight chords
        between them, and the opening's bump bends faster than a chord follows.
        """
        layout = self.layout
        grid = np.concatenate([angles for angles, _ in lamella_pieces(layout, lamella, None, None)])
        along = wrap(grid - self.phi)
        wanted = wrap(theta - self.phi)
        step = 2 * np.pi / layout.frame.n_around
        pick = (along >= wanted.min() - 1.5 * step) & (along <= wanted.max() + 1.5 * step)
        order = np.argsort(along[pick])
        grid, along = grid[pick][order], along[pick][order]
        sections = lamella_sections(layout, lamella, grid, self.delamination(phase))[:, index]
        j = np.clip(np.searchsorted(along, wanted) - 1, 0, len(along) - 2)
        u = ((wanted - along[j]) / (along[j + 1] - along[j]))[:, None, None]
        return sections[j] * (1 - u) + sections[j + 1] * u

    def _stations(self, lo: float, hi: float, count: int = 14) -> np.ndarray:
        return np.linspace(lo, hi, count)

    def _taper(self, shares: np.ndarray, lo: float, hi: float) -> np.ndarray:
        """Width profile along the cleft: full at its root, narrow at the tip."""
        u = (shares - lo) / max(hi - lo, 1e-6)
        if self.kind == "rim":
            u = 1 - u
        return np.clip(1 - 0.75 * u**2, 0.15, 1)

    def fissure(self, phase: Phase) -> Surface:
        """The closed volume lining the tear."""
        scale = max(phase.fissure_scale, MIN_SCALE)
        if self.kind == "circumferential":
            return self._arc_cleft(phase, 0.7 * scale, 0.8 * scale)
        lo, hi = self._inset(*self._tip(phase.tear))
        if hi - lo < 0.02:  # a tear just starting: a short stub, never inside out
            lo, hi = (hi - 0.02, hi) if self.kind == "rim" else (lo, lo + 0.02)
        shares = self._stations(lo, hi)
        half = (self.width / 2 - 2 * GAP) * self._taper(shares, lo, hi) * scale
        growth = min(1.0, (hi - lo) * self.thickness / 1.0)  # grows from nothing
        return self._cleft(shares, half * max(growth, MIN_SCALE), 0.85 * scale * max(growth, 0.2),
                           noise=True, outer=self.kind == "rim", profile=16)

    def _inset(self, lo: float, hi: float) -> tuple[float, float]:
        """Keep a gap from the nucleus and from the outside of the disc."""
        margin = 2 * GAP / self.thickness
        hi = min(hi, 1 - margin)
        torn = self.torn
        if len(torn) and self.kind == "radial" and torn[-1] + 1 < len(self.bounds):
            hi = min(hi, self.bounds[torn[-1] + 1, 0] - margin)  # stop short of the intact lamella
        if len(torn) and self.kind == "rim" and torn[0] > 0:
            lo = max(lo, self.bounds[torn[0] - 1, 1] + margin)
        return max(lo, self.root_share), max(hi, max(lo, self.root_share) + 0.02)

    @cached_property
    def root_share(self) -> float:
        """Where the fissure starts: at the nucleus (the tear opens from inside out, and the
        fissure may touch the nucleus; docs/structures-and-parameters.md lists that overlap).
        """
        return float(2 * GAP / self.thickness)

    @cached_property
    def clear_share(self) -> float:
        """Where the repair may start: clear of the nucleus across its whole width, also
        where the nucleus outline is concave (the kidney's posterior notch).
        """
        layout = self.layout
        centre = np.array([0.0, layout.params.f("nucleus.offset")])
        shares = np.linspace(0.0, 0.5, 101)
        across = np.linspace(-1, 1, 21) * self.width * REPAIR_SHARE / 2
        pts = self.point(shares)[:, None, :] + across[None, :, None] * self.tangent  # (s, t, 2)
        rel = pts - centre
        theta = np.mod(np.arctan2(rel[..., 0], -rel[..., 1]), 2 * np.pi)
        boundary = layout.nucleus_scale * layout.frame.outer_radius(theta) + 3 * GAP
        clear = (np.linalg.norm(rel, axis=-1) > boundary).all(axis=1)
        first = int(np.argmax(clear)) if clear.any() else len(shares) - 1
        return float(max(shares[first], self.root_share))

    def nucleus_tract(self, phase: Phase) -> Surface:
        """Nucleus material in the fissure, seeping outward behind the tip."""
        scale = max(phase.fissure_scale, MIN_SCALE)
        amount = max(phase.seep, MIN_SCALE)
        if self.kind == "circumferential":
            return self._arc_cleft(phase, 0.5 * scale * amount, 0.5 * scale)
        lo, hi = self._inset(*self._tip(1.0))
        length = max((hi - lo) * 0.8 * amount, 0.02)  # a short stub at first, never inside out
        if self.kind == "rim":
            end = hi - 0.05 * (hi - lo)
            shares = self._stations(end - length, end, 10)
        else:
            shares = self._stations(lo, lo + length, 10)
        half = (self.width / 2 - 2 * GAP) * self._taper(shares, lo, hi) * 0.5 * scale * amount
        return self._cleft(shares, half, 0.5 * scale, noise=False,
                           outer=self.kind == "rim", profile=12)

    def repair(self, phase: Phase) -> Surface:
        """The shaped, sealed zone where the fissure was."""
        grow = max(phase.repair, MIN_SCALE)
        if self.kind == "circumferential":
            return self._arc_cleft(phase, 0.9 * grow, grow)
        lo, hi = self._inset(*self._tip(1.0))
        lo = min(max(lo, self.clear_share), hi - 0.02)
        shares = self._stations(lo, hi, 10)
        half = (self.width * REPAIR_SHARE / 2 - 2 * GAP) * grow * self._taper(shares, lo, hi)
        return self._cleft(shares, np.maximum(half, 0.01), 0.9 * grow, noise=False,
                           outer=self.kind == "rim", profile=16)

    # -- nerves --------------------------------------------------------------------------

    @cached_property
    def nerve_paths(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Full-grown paths (k, 3) and radii of every ingrown ending and its branches."""
        params = self.layout.params
        count = int(params["nerves.count"])
        reach = params.f("nerves.reach")
        rng = self.rng_nerves
        deepest = max(1 - reach, 0.8 / self.thickness)
        half_w = self.width / 2 * 0.45
        paths: list[tuple[np.ndarray, np.ndarray]] = []
        for _ in range(count):
            depth_end = deepest + rng.uniform(0, 0.25) * (1 - deepest)
            shares = np.linspace(0.985, depth_end, 16)
            t = rng.uniform(-1, 1) * half_w + 0.12 * np.sin(np.linspace(0, rng.uniform(3, 7), 16))
            t = np.clip(t, -half_w, half_w)
            # bent along the lamellae like the cleft: a share stays a share of its own
            # segment, so no ending reaches the nucleus where the outline is concave
            xy = self.place(shares, t[:, None])[:, 0]
            low, high = self.z_range(xy)
            level = rng.uniform(-0.55, 0.55) + 0.15 * np.sin(np.linspace(0, rng.uniform(2, 6), 16))
            z = (low + high) / 2 + level * (high - low) / 2
            main = np.concatenate([xy, z[:, None]], 1)
            radius = np.linspace(0.16, 0.07, 16)
            paths.append((main, radius))
            for _ in range(2):  # short side branches, mostly up or down the cleft
                j = int(rng.integers(3, 12))
                direction_z = rng.choice([-1.0, 1.0])
                length = rng.uniform(0.8, 2.0)
                u = np.linspace(0, 1, 8)
                branch_shares = np.maximum(shares[j] - 0.5 * u * length / self.thickness, deepest)
                branch_xy = self.place(branch_shares, np.full((8, 1), t[j]))[:, 0]
                branch = np.column_stack([branch_xy, main[j, 2] + direction_z * u * length])
                lo_b, hi_b = self.z_range(branch_xy)
                branch[:, 2] = np.clip(branch[:, 2], lo_b + 0.3, hi_b - 0.3)
                paths.append((branch, np.linspace(0.09, 0.05, 8)))
        return paths

    def _grown(self, paths: np.ndarray, amount: float) -> np.ndarray:
        """The first ``amount`` of each path (b, k, 3), resampled to k points."""
        seg = np.linalg.norm(np.diff(paths, axis=1), axis=-1)
        arc = np.concatenate([np.zeros((paths.shape[0], 1)), np.cumsum(seg, axis=1)], axis=1)
        u = np.linspace(0, 1, paths.shape[1]) * max(amount, MIN_SCALE)
        target = u[None, :] * arc[:, -1:]  # (b, k)
        index = np.clip(np.array([np.searchsorted(a, t) for a, t in zip(arc, target, strict=True)]),
                        1, paths.shape[1] - 1)
        lo = np.take_along_axis(arc, index - 1, 1)
        hi = np.take_along_axis(arc, index, 1)
        w = ((target - lo) / np.maximum(hi - lo, 1e-12))[..., None]
        a = np.take_along_axis(paths, (index - 1)[..., None], 1)
        b = np.take_along_axis(paths, index[..., None], 1)
        return a + w * (b - a)

    def _tube_set(self, is_branch: bool) -> tuple[np.ndarray, np.ndarray]:
        chosen = [(p, r) for p, r in self.nerve_paths if (len(p) == 8) == is_branch]
        return np.stack([p for p, _ in chosen]), np.stack([r for _, r in chosen])

    def _grown_once(self, name: str, amount: float, build: Callable[[], Surface]) -> Surface:
        """The nerves stop changing halfway through the repair: reuse the surface while
        ``amount`` is the same (the last value of each builder is kept).
        """
        cache: dict[str, tuple[float, Surface]] = self.__dict__.setdefault("_grown_cache", {})
        kept = cache.get(name)
        if kept is None or kept[0] != amount:
            kept = cache[name] = (amount, build())
        return kept[1]

    def nerve_endings(self, phase: Phase) -> Surface:
        """Ingrown nerve endings grown to ``phase.nerves`` (main fibres, then side branches)."""
        return self._grown_once("nerve-endings", phase.nerves, lambda: self._nerve_endings(phase.nerves))

    def _nerve_endings(self, g: float) -> Surface:
        sides = self.layout.frame.tube_sides
        parts = []
        for is_branch, amount in ((False, ease(g / 0.8)), (True, window(g, 0.4, 1.0))):
            paths, radii = self._tube_set(is_branch)
            thin = max(min(1.0, 0.2 + amount), MIN_SCALE)
            parts.append(tubes(self._grown(paths, amount), radii * thin, sides))
        return merge(parts)

    def inflammation(self, phase: Phase) -> Surface:
        """Granulation tissue: lumpy sheaths around the ingrown nerves."""
        return self._grown_once("inflammation", phase.nerves, lambda: self._inflammation(phase.nerves))

    def _inflammation(self, g: float) -> Surface:
        sides = self.layout.frame.tube_sides + 2
        paths, _ = self._tube_set(False)
        grown = self._grown(paths[:, :13], ease(g / 0.9))
        lumps = np.random.default_rng(int(self.layout.params["seed"]) + 3).uniform(-1, 1, grown.shape[:2])
        # about 1 mm thick, less where the annulus is thin (a short disc, a far-back nucleus)
        fit = min(1.0, self.thickness / 4.0)
        radius = (0.38 + 0.12 * lumps) * fit * max(ease(g), MIN_SCALE)
        return tubes(grown, radius, sides)

    @cached_property
    def native_nerve_paths(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sparse free endings in the outer third of the posterior and posterolateral annulus."""
        layout = self.layout
        rng = np.random.default_rng(int(layout.params["seed"]) + 4)
        paths: list[tuple[np.ndarray, np.ndarray]] = []
        angles = np.radians(np.array([115, 140, 200, 225, 245, 160, 180]))
        for angle in angles:
            clear = CIRCUMFERENTIAL_SPAN + np.radians(4) if self.kind == "circumferential" else np.radians(14)
            if abs(wrap(angle - self.phi)) < clear:
                continue  # keep clear of the fissure, where the ingrown endings are
            theta = angle + np.linspace(0, rng.uniform(-0.06, 0.06), 10)
            share = np.linspace(0.985, 1 - rng.uniform(0.18, 0.3), 10)
            p_in, p_out = layout.inner_xy(theta), layout.outer_xy(theta)
            xy = p_in + share[:, None] * (p_out - p_in)
            low, high = self.z_range(xy, outer=True)
            level = rng.uniform(-0.5, 0.5)
            z = (low + high) / 2 + level * (high - low) / 2
            z = np.clip(z, low + NATIVE_RADIUS + 0.1, high - NATIVE_RADIUS - 0.1)
            path = np.concatenate([xy, z[:, None]], 1)
            paths.append((path, np.linspace(NATIVE_RADIUS, NATIVE_RADIUS / 2, 10)))
            j = int(rng.integers(2, 6))
            step = np.linspace(0, 1, 6)[:, None] * np.array([0, 0, rng.choice([-1.0, 1.0]) * 1.2])
            branch = path[j] + step + np.linspace(0, 1, 6)[:, None] * np.append(
                -direction(theta[:1])[0] * min(0.6, 0.08 * float(np.linalg.norm(p_out[0] - p_in[0]))), 0)
            b_low, b_high = self.z_range(branch[:, :2], outer=True)
            branch[:, 2] = np.clip(branch[:, 2], b_low + 0.6 * NATIVE_RADIUS + 0.1,
                                   b_high - 0.6 * NATIVE_RADIUS - 0.1)  # thin discs
            paths.append((branch, np.linspace(0.6 * NATIVE_RADIUS, 0.35 * NATIVE_RADIUS, 6)))
        return paths

    def native_nerves(self) -> Surface:
        """The normal nerve endings (unchanged by the story)."""
        sides = self.layout.frame.tube_sides
        groups: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
        for path, radius in self.native_nerve_paths:
            groups.setdefault(len(path), []).append((path, radius))
        return merge([tubes(np.stack([p for p, _ in g]), np.stack([r for _, r in g]), sides)
                      for g in groups.values()])
