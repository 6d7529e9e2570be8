"""Where the fissure is and how it runs: the frame at ``fissure.position`` and the crack's
layout through the lamellae, drawn once per parameter set.

A radial fissure does not cut a straight slot. It starts at the nucleus and steps outward
between the lamellae: it runs straight through a few, then jumps sideways along an
interlamellar plane before breaking through the next ones, narrowing as it goes; where it
ran along a plane the lamellae stay separated for a little way (a branch). Each torn
lamella therefore has its own gap centre (``offset``, mm across the fissure line) and width.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from discviz.geometry.disc.annulus import DiscLayout
from discviz.geometry.pathology.grades import Dallas, dallas_of

MAX_OFFSET = 1.5  # mm: the stepping crack wanders at most this far from the fissure line
BRANCH_WIDTH = 0.55  # mm a branch opens between two lamellae (each gives at most 45 %)
MAX_HALF_ANGLE = np.radians(6.0)  # the crack's half width, at most, seen from the disc's centre
MAX_STEP_ANGLE = np.radians(4.0)  # how far its steps take it from the fissure line, at most
DOME_SPAN = np.radians(9.0)  # half-angle of the volcano's dome: 18 degrees, inside grade 3's 30


@dataclass(frozen=True)
class Branch:
    """A separation between lamella ``boundary`` and the next, running from the crack toward
    ``side`` (+1 growing angle, -1 falling) for ``length`` radians beyond the gap's edge.
    """

    boundary: int
    side: float
    length: float
    width: float


class FissureSite:
    """The fissure's frame and crack layout (numbers only; the shapes live elsewhere)."""

    def __init__(self, layout: DiscLayout) -> None:
        self.layout = layout
        params = layout.params
        self.kind = str(params["fissure.type"])
        self.phi = float(np.radians(params.f("fissure.position")))
        self.dallas: Dallas = dallas_of(params)
        self.depth = self.dallas.depth
        self.width = params.f("fissure.width")
        self.seed = int(params["seed"])
        phi = np.array([self.phi])
        self.p_in = layout.inner_xy(phi)[0]
        self.p_out = layout.outer_xy(phi)[0]
        self.bounds = layout.bounds(phi)[:, 0, :]  # (n, 2) shares at the fissure
        seg = self.p_out - self.p_in
        self.thickness = float(np.linalg.norm(seg))
        self.outward = seg / self.thickness
        self.tangent = np.array([-self.outward[1], self.outward[0]])
        self.n = layout.n_lamellae

    # -- extent ---------------------------------------------------------------------------

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
        """Indices of the lamellae the fissure cuts through (radial) or tears off (rim)."""
        if self.kind == "circumferential":
            return np.array([], dtype=int)
        lo, hi = self.span
        if self.kind != "radial":
            return np.flatnonzero((self.bounds[:, 1] > lo) & (self.bounds[:, 0] < hi))
        # every lamella that starts inside the depth wherever the stepping crack may run (the
        # lamellae's shares vary around the disc where incomplete ones taper out)
        window = self.phi + np.linspace(-1, 1, 9) * self.wander
        inner = self.layout.bounds(window)[:, :, 0].max(axis=1)
        last = int(np.flatnonzero(inner < max(hi, self.bounds[0, 1] * 0.5))[-1])
        if self.dallas.outer_third:
            # the volcano pools on the last torn lamella's outer wall, so that lamella must be
            # there (an incomplete one may be missing at the fissure), with one outside it
            for k in range(last, self.n - 1):
                if self.present(k, self.dome_reach) and self.next_present(k) is not None:
                    last = k
                    break
        return np.arange(last + 1)

    @cached_property
    def dome_reach(self) -> float:
        """Half-angle around the fissure the volcano's pool and a grade 4 spread may cover."""
        return DOME_SPAN + self.dallas.spread + np.radians(5.0)

    def next_present(self, lamella: int) -> int | None:
        """The first lamella outside ``lamella`` present all over the volcano's reach."""
        for k in range(lamella + 1, self.n):
            if self.present(k, self.dome_reach):
                return k
        return None

    @cached_property
    def wander(self) -> float:
        """Half-angle (radians) around the fissure line the stepping crack may cover."""
        widest = min(MAX_OFFSET, 0.3 * self.thickness) + min(self.width / 2, 0.4 * self.thickness)
        return 1.4 * widest / float(self.speed(np.array([0.0]))[0])

    @cached_property
    def _bounds_table(self) -> tuple[float, float, np.ndarray]:
        """The lamellae's bounds (as ``DiscLayout.bounds``) sampled finely around the fissure:
        the crack's sections ask for them at a thousand angles every frame.
        """
        reach = self.wander + self.dallas.spread + DOME_SPAN + 0.2
        theta = self.phi + np.linspace(-reach, reach, 1025)
        return self.phi - reach, theta[1] - theta[0], self.layout.bounds(theta)

    def bounds_at(self, theta: np.ndarray, lamella: np.ndarray) -> np.ndarray:
        """Inner and outer share (k, 2) of ``lamella[i]`` at ``theta[i]`` (healthy layout)."""
        start, step, table = self._bounds_table
        position = (np.mod(np.asarray(theta) - start + np.pi, 2 * np.pi) - np.pi) / step
        if position.min() < 0 or position.max() > table.shape[1] - 1:  # off the table: exact
            return self.layout.bounds(np.asarray(theta))[lamella, np.arange(len(lamella))]
        below = np.clip(np.floor(position).astype(int), 0, table.shape[1] - 2)
        w = (position - below)[:, None]
        return table[lamella, below] * (1 - w) + table[lamella, below + 1] * w

    def present(self, lamella: int, half: float) -> bool:
        """Whether ``lamella`` exists everywhere within ``half`` radians of the fissure."""
        for gap in self.layout.removed_intervals(lamella):
            start = float(np.mod(gap.start - self.phi + np.pi, 2 * np.pi) - np.pi)
            if start <= half and start + (gap.end - gap.start) >= -half:
                return False
        return True

    @cached_property
    def stations_lamellae(self) -> np.ndarray:
        """The torn lamellae the crack's sweep passes through: all but those that taper to
        almost nothing at the fissure (an incomplete lamella ends there).
        """
        torn = self.torn
        band = np.diff(self.bounds[torn], axis=1)[:, 0]
        keep = band > 0.35 * np.median(np.diff(self.bounds, axis=1))
        keep[0] = keep[-1] = True
        return torn[keep]

    @cached_property
    def delamination_boundary(self) -> int:
        """0-based lamella k: a circumferential fissure opens between lamella k and k + 1."""
        edges = self.bounds[:-1, 1]
        miss = np.abs(edges - self.depth)
        # between two complete lamellae: an incomplete one tapers to nothing beside the cleft
        incomplete = np.isin(np.arange(len(edges)), self.layout.incomplete)
        miss = miss + 0.5 * (incomplete | np.roll(incomplete, -1))
        return int(np.clip(np.argmin(miss), 0, self.n - 2))

    @cached_property
    def dome_boundary(self) -> int | None:
        """Lamella k under which the volcano pools (the last torn one), or None: only a radial
        tear that reaches the outer third and stops short of the surface domes it.
        """
        if self.kind != "radial" or not self.dallas.outer_third or not len(self.torn):
            return None
        k = int(self.torn[-1])
        if not self.present(k, self.dome_reach) or self.next_present(k) is None:
            return None
        return k

    @cached_property
    def dome_cover(self) -> int:
        """The lamella the pool lies under (the first one present outside the torn ones)."""
        assert self.dome_boundary is not None
        cover = self.next_present(self.dome_boundary)
        assert cover is not None
        return cover

    @cached_property
    def dome_height(self) -> float:
        """Mm the outer lamellae bow out over the pooled material at mid-height."""
        return float(np.clip(0.55 * self.width, 0.6, 1.6))

    # -- speeds: mm per radian across the fissure ------------------------------------------

    @cached_property
    def _edge_rates(self) -> tuple[np.ndarray, np.ndarray]:
        """How fast (mm per radian) the annulus' inner edge and its inner-to-outer segment
        move at the fissure; a point at share s moves at their sum.
        """
        d = 1e-3
        theta = np.array([self.phi - d, self.phi + d])
        p_in, p_out = self.layout.inner_xy(theta), self.layout.outer_xy(theta)
        inner = (p_in[1] - p_in[0]) / (2 * d)
        segment = ((p_out[1] - p_in[1]) - (p_out[0] - p_in[0])) / (2 * d)
        return inner, segment

    def speed(self, shares: np.ndarray) -> np.ndarray:
        """Speed (mm per radian) along the lamella of points at ``shares`` of the annulus
        thickness: how far a point moves when its angle changes.
        """
        inner, segment = self._edge_rates
        velocity = inner[None, :] + np.asarray(shares, dtype=float).reshape(-1, 1) * segment[None, :]
        return np.maximum(np.hypot(velocity[:, 0], velocity[:, 1]), 1.0).reshape(np.shape(shares))

    @cached_property
    def slowest(self) -> np.ndarray:
        """Per lamella, the smaller tangential speed of its two edges at the fissure."""
        return self.speed(np.asarray(self.bounds)).min(axis=1)

    def half_angle(self, lamella: int, half_width: float) -> float:
        """Angle that opens at least ``half_width`` mm across the whole lamella."""
        return 1.1 * half_width / float(self.slowest[lamella])

    def half_angles(self, lamellae: np.ndarray, half_widths: np.ndarray) -> np.ndarray:
        """:meth:`half_angle` of each lamella and half width."""
        return 1.1 * np.asarray(half_widths, dtype=float) / self.slowest[lamellae]

    def lamella_at(self, shares: np.ndarray) -> np.ndarray:
        """The lamella (0-based) each share falls in at the fissure (-1 nucleus, n outside)."""
        shares = np.asarray(shares)
        index = np.searchsorted(self.bounds[:, 0], shares, side="right") - 1
        return np.where(shares > 1.0, self.n, index)

    # -- the crack's layout ----------------------------------------------------------------

    @cached_property
    def crack(self) -> tuple[np.ndarray, np.ndarray]:
        """Per torn lamella: gap centre offset (mm across the fissure line) and half width
        (mm), when fully torn. A radial crack steps and narrows; the others stay straight.
        """
        torn = self.torn
        count = len(torn)
        if self.kind != "radial" or count == 0:
            return np.zeros(count), np.full(count, self.width / 2)
        rng = np.random.default_rng(self.seed + 11)
        mid = self.bounds[torn].mean(axis=1)
        u = np.clip(mid / max(self.depth, 1e-3), 0.0, 1.0)
        floor = 0.55 if self.dallas.leak else 0.3  # a leaking tear stays open to the surface
        widest = min(self.width / 2, 0.4 * self.thickness)  # a thin annulus gets a narrow crack
        half = widest * np.maximum(1 - (1 - floor) * u**1.2, floor) * rng.uniform(0.82, 1.12, count)
        half = np.maximum(half, min(0.18, widest))
        # around a small nucleus a millimetre is many degrees: keep the crack near its line
        reach = self.speed(mid)
        half = np.minimum(half, reach * MAX_HALF_ANGLE)
        offset = np.zeros(count)
        run = int(rng.integers(2, 4))
        limit = np.minimum(min(MAX_OFFSET, 0.3 + 0.4 * self.width, 0.3 * self.thickness),
                           reach * MAX_STEP_ANGLE)
        for j in range(1, count):
            run -= 1
            if run <= 0:  # a step sideways along an interlamellar plane
                size = rng.uniform(0.45, 0.85) * min(half[j - 1], half[j])
                back = abs(offset[j - 1]) > 0.5 * limit[j]  # far out: step back toward the line
                side = -np.sign(offset[j - 1]) if back else rng.choice([-1.0, 1.0])
                step = side * size
                run = int(rng.integers(2, 5))
            else:  # straight on through this lamella, with a little wander
                step = rng.normal(0.0, 0.03)
            offset[j] = np.clip(offset[j - 1] + step, -limit[j], limit[j])
        return offset, half

    @cached_property
    def branches(self) -> tuple[Branch, ...]:
        """Where the crack's steps left two lamellae separated, plus a forked tip for a tear
        that ends inside the annulus without a dome over it.
        """
        torn = self.torn
        if self.kind != "radial" or len(torn) < 3:
            return ()
        rng = np.random.default_rng(self.seed + 12)
        offset, _ = self.crack
        out: list[Branch] = []
        steps = [j for j in range(1, len(torn)) if abs(offset[j] - offset[j - 1]) > 0.08]
        reach = np.radians(10.0) + MAX_OFFSET / float(self.speed(np.array([0.0]))[0])
        for j in steps:
            k = int(torn[j - 1])
            if len(out) >= 2 or rng.uniform() > 0.7 or k >= self.n - 2:
                continue
            if not (self.present(k, reach) and self.present(k + 1, reach)):
                continue
            side = float(np.sign(offset[j] - offset[j - 1]))
            out.append(Branch(int(torn[j - 1]), side, float(np.radians(rng.uniform(4.0, 8.0))), BRANCH_WIDTH))
        tip = int(torn[-1])
        if (self.dome_boundary is None and not self.dallas.leak and tip < self.n - 2
                and self.present(tip, reach) and self.present(tip + 1, reach)):
            for side in (-1.0, 1.0):
                out.append(Branch(tip, side, float(np.radians(rng.uniform(3.0, 6.0))), BRANCH_WIDTH))
        return tuple(out)

    def crack_line(self, shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Offset and half width (mm) of the crack at ``shares``: the torn lamella's own
        values inside it, the nearest torn lamella's beyond the tear's ends.
        """
        offset, half = self.crack
        if not len(offset):
            return np.zeros(np.shape(shares)), np.full(np.shape(shares), self.width / 2)
        lamella = np.clip(self.lamella_at(shares), self.torn[0], self.torn[-1])
        index = np.clip(np.searchsorted(self.torn, lamella), 0, len(self.torn) - 1)
        return offset[index], half[index]

    def angle(self, offset_mm: np.ndarray, shares: np.ndarray) -> np.ndarray:
        """Angle (radians) of points ``offset_mm`` across the fissure line at ``shares``."""
        return self.phi + np.asarray(offset_mm) / self.speed(shares)
