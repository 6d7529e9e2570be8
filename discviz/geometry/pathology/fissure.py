"""The tear itself: how it opens the lamellae, moves them, and the ``fissure`` surface.

- radial: every torn lamella gets its own gap (the crack steps and narrows, see ``site``),
  its torn ends fray; the gaps open from the nucleus outward as the tip advances. Where the
  crack stepped, two lamellae stay separated a little way (a branch). A tear into the outer
  third that stops short of the surface domes the intact outer lamellae over a pool
  (the volcano); grade 4 also delaminates the outer third over more than 30 degrees.
- circumferential: a delamination between two lamellae, irregular along its length.
- rim: the outer lamellae's top edge torn off the ring apophysis beside the upper endplate:
  a wedge-shaped cleft, widest at the disc's surface, under the vertebra.

Every shape keeps its point count and faces for all progress values of a transition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from discviz.geometry.disc.annulus import (
    DiscLayout,
    LamellaGap,
    _sections,
    annulus_xyz,
    lamella_pieces,
    wall_indices,
    wrap,
)
from discviz.geometry.disc.outline import GAP
from discviz.geometry.disc.shift import AnnulusShift
from discviz.geometry.pathology.annulotomy import Annulotomy
from discviz.geometry.pathology.phase import Phase
from discviz.geometry.pathology.site import DOME_SPAN, FissureSite
from discviz.geometry.pathology.sweep import MIN_SCALE, bump, profile_loop, smooth, sweep
from discviz.geometry.primitives import merge, swept_arc
from discviz.geometry.surface import Surface

CLOSED_GAP = 0.004  # mm: a lamella that is not torn yet shows no visible seam
OPEN_RAMP = 0.1  # share of annulus thickness over which a lamella opens as the tip passes
SEAM_HALF = 0.28  # mm: half the width of the healed seam the scar fills
RIM_SPAN = np.radians(12.0)
ARM_WIDTH = 0.5  # mm a grade 4 delamination opens
DELAMINATION_BOW = 0.3  # share of a delamination's opening it also bows the lamellae outside it
LINING = 0.09  # mm: thickness of the tear's dark lining (walls and floor)
# share of a lamella's band next to each edge in which the crack keeps what it shares with the
# neighbour's gap: it steps sideways well inside the band, clear of the edges' curvature
EDGE = 0.2
# the lining's end caps: a U-shaped band between its outer and inner outline (see channel_loop)
CHANNEL_CAPS = (tuple(range(0, 7)), tuple(range(13, 6, -1)))


def channel_loop(width: np.ndarray, fill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per station, a U open at the top (u across, v up, each -1..1, counter-clockwise): the
    tear's lining, LINING mm thick for a section ``width`` mm half-wide and ``fill`` high.
    Outer outline left-top down, across and up to right-top; inner outline back.
    """
    tu = np.clip(LINING / np.maximum(width, 1e-6), 0.05, 0.45)[:, None]
    tv = np.clip(LINING / np.maximum(fill * 3.0, 1e-6), 0.03, 0.3)[:, None]
    one = np.ones_like(tu)
    u = np.concatenate([-one, -one, -one, 0 * one, one, one, one,
                        one - tu, one - tu, one - tu, 0 * one, -one + tu, -one + tu, -one + tu], axis=1)
    v = np.concatenate([one, 0 * one, -one, -one, -one, 0 * one, one,
                        one, 0 * one, -one + tv, -one + tv, -one + tv, 0 * one, one], axis=1)
    return u, v


@dataclass(frozen=True)
class Slab:
    """One slab between two lamellae (see ``Tear.slab``)."""

    boundary: int
    theta: np.ndarray
    fill: float
    thinning: float
    cover: int | None = None
    margin: float = 0.0


class Tear:
    """Gaps, lamella displacements and the fissure surface of one parameter set."""

    def __init__(self, site: FissureSite) -> None:
        self.site = site
        self.layout: DiscLayout = site.layout
        rng = np.random.default_rng(site.seed + 1)
        self.jitter = rng.uniform(0.0, 0.35, (site.n, 2))  # uneven walls either side
        self.wave = rng.uniform(0, 2 * np.pi, 3)

    # -- how far each torn lamella is open --------------------------------------------------

    def opened(self, tear: float) -> np.ndarray:
        """Per torn lamella, 0 (closed) .. 1 (fully open) at tip advance ``tear``: radial tears
        open from the nucleus outward, rim lesions from the surface inward. Read-only: the
        last is kept (a frame asks for it again and again).
        """
        kept = self.__dict__.get("_opened_kept")
        if kept is None or kept[0] != tear:
            found = self._opened(tear)
            found.setflags(write=False)
            kept = self.__dict__["_opened_kept"] = (tear, found)
        return kept[1]

    def _opened(self, tear: float) -> np.ndarray:
        site = self.site
        torn = site.torn
        if tear <= 0.0 or not len(torn):
            return np.zeros(len(torn))
        if site.kind == "rim":
            edge = site.bounds[torn, 1]
            front = 1.0 - (1.0 - edge.min() + OPEN_RAMP) * tear
            return smooth((edge - front) / OPEN_RAMP)
        edge = site.bounds[torn, 0]
        front = (edge.max() + OPEN_RAMP) * tear
        return smooth((front - edge) / OPEN_RAMP)

    def half_widths(self, phase: Phase) -> np.ndarray:
        """Per torn lamella, the gap's half width (mm) at this phase: the tear's own width
        while open, drawn together to the scar's seam on repair.
        """
        _, half = self.site.crack
        seam = np.minimum(SEAM_HALF, half)
        now = half + (seam - half) * self._zipper(phase.closing)
        return CLOSED_GAP + self.opened(phase.tear) * (now - CLOSED_GAP)

    def _zipper(self, closing: float) -> np.ndarray:
        """How far each torn lamella's walls have closed: from the nucleus outward."""
        count = len(self.site.torn)
        if count < 2 or closing <= 0.0:
            return np.full(count, smooth(np.array(closing)).item())
        order = np.arange(count) / (count - 1)
        return smooth((closing - 0.8 * order) / 0.2)  # a few lamellae at a time

    def gaps(self, phase: Phase) -> dict[int, LamellaGap]:
        """Open angles of the torn lamellae (radial tears only)."""
        key = (phase.tear, phase.closing)
        kept = self.__dict__.get("_gaps_kept")
        if kept is None or kept[0] != key:
            kept = self.__dict__["_gaps_kept"] = (key, self._gaps(phase))
        return kept[1]

    def _gaps(self, phase: Phase) -> dict[int, LamellaGap]:
        site = self.site
        if site.kind != "radial":
            return {}
        offset, _ = site.crack
        half = self.half_widths(phase)
        opened = self.opened(phase.tear)
        centre = site.angle(offset, site.bounds[site.torn].mean(axis=1))
        fray = opened * (1 - 0.75 * self._zipper(phase.closing))
        # every torn lamella at once (site.half_angle each), the gaps' numbers as one by one
        angle = site.half_angles(site.torn, half)
        minus = angle * (1 + opened * self.jitter[site.torn, 0])
        plus = angle * (1 + opened * self.jitter[site.torn, 1])
        out = {i: LamellaGap(c, low, high, f) for i, c, low, high, f
               in zip(site.torn.tolist(), centre.tolist(), minus, plus, fray.tolist(), strict=True)}
        # a lamella that tapers out here has no station of the crack's own: it opens over both
        # neighbours' gaps, so the crack passes it without cutting into it
        stationed = set(int(i) for i in site.stations_lamellae)
        for j, i in enumerate(site.torn):
            if int(i) in stationed:
                continue
            around = [out[int(k)] for k in site.torn[max(j - 1, 0):j + 2] if int(k) in stationed]
            if not around:
                continue
            lo = min(g.centre - g.minus for g in around)
            hi = max(g.centre + g.plus for g in around)
            half_angle = (hi - lo) / 2 * 1.05
            out[int(i)] = LamellaGap((lo + hi) / 2, half_angle, half_angle, float(fray[j]))
        # the surgeon's opening in the outer lamellae over the tear (none without instruments)
        if self.annulotomy.made:
            out.update(self.annulotomy.gaps(self.annulotomy.amount(phase, float(opened[-1]))))
        return out

    @cached_property
    def annulotomy(self) -> Annulotomy:
        """The opening over the tear's outer end while the instruments are docked."""
        return Annulotomy(self.site, self.tip_centre)

    @cached_property
    def full(self) -> dict[int, LamellaGap]:
        """The gaps when fully torn (and the surgeon's opening fully open): they fix the
        annulus topology.
        """
        return {**self.gaps(Phase.of("nerve-ingrowth", 1.0)), **self.annulotomy.gaps(1.0)}

    # -- how the lamellae move ------------------------------------------------------------

    def shift(self, phase: Phase) -> AnnulusShift:
        """Branch separations, the volcano's dome, a delamination or a rim lesion's drop."""
        key = (phase.tear, phase.closing, phase.pool)
        kept = self.__dict__.get("_shift_kept")
        if kept is None or kept[0] != key:
            kept = self.__dict__["_shift_kept"] = (key, self._shift(phase))
        return kept[1]

    def _shift(self, phase: Phase) -> AnnulusShift:
        site = self.site
        closing = float(smooth(np.array(phase.closing)))
        squeeze = None
        splits = []
        dome = None
        drop = None
        if site.kind == "radial" and len(site.torn):
            opened = self.opened(phase.tear)
            for branch in site.branches:  # closed first, before the walls draw together
                j = int(np.searchsorted(site.torn, branch.boundary))
                amount = float(opened[j]) * (1 - float(smooth(np.array(phase.closing / 0.25))))
                if amount > 0:
                    splits.append((branch.boundary, self._branch_opening(branch, amount), amount))
            if site.dome_boundary is not None:
                height = site.dome_height * phase.pool
                centre = self.tip_centre
                dome = (site.dome_boundary,
                        lambda theta: height * bump(wrap(theta - centre) / DOME_SPAN), height)
                if site.dallas.spread > 0:  # grade 4: the outer third delaminates around
                    arms = ARM_WIDTH * float(opened[-1]) * (1 - float(smooth(np.array(phase.closing / 0.25))))
                    squeeze = (site.dome_boundary, self._arms(arms), arms)
        elif site.kind == "circumferential":
            amount = max(phase.tear, 0.0) * (1 - 0.7 * closing)
            opening = self._delamination(amount)
            k = site.delamination_boundary
            squeeze = (k, opening, amount)
            # the outer lamellae also bow out a little at mid-height: room to open where few
            # lamellae lie outside it
            dome = (k, lambda theta: DELAMINATION_BOW * opening(theta), amount)
        elif site.kind == "rim":
            drop = (frozenset(int(i) for i in site.torn), self._drop(phase),
                    phase.tear + closing)  # unique: the tear is complete before it closes
        return AnnulusShift(squeeze, tuple(splits), dome, drop)

    @cached_property
    def tip_centre(self) -> float:
        """Angle of the crack's centre at its outermost lamella."""
        site = self.site
        offset, _ = site.crack
        if not len(offset):
            return site.phi
        return float(site.angle(offset[-1], site.bounds[site.torn[-1]].mean()))

    def _branch_opening(self, branch, amount: float):
        site = self.site
        j = int(np.searchsorted(site.torn, branch.boundary))
        full = self.full
        lamellae = [int(site.torn[j])] + ([int(site.torn[j + 1])] if j + 1 < len(site.torn) else [])
        gaps = [full[i] for i in lamellae]
        a0 = float(np.mean([g.centre for g in gaps]))
        edge = max(branch.side * (g.centre - a0) + (g.plus if branch.side > 0 else g.minus) for g in gaps)
        edge = max(edge, 1e-3)
        width = branch.width * amount
        reach = edge + branch.length

        def opening(theta: np.ndarray) -> np.ndarray:
            v = branch.side * wrap(theta - a0)
            return width * smooth((reach - v) / (0.7 * branch.length)) * smooth((v + edge) / edge)

        return opening

    def _arms(self, width: float):
        site = self.site
        centre, spread = self.tip_centre, site.dallas.spread
        wave = self.wave

        def opening(theta: np.ndarray) -> np.ndarray:
            off = wrap(theta - centre) / spread
            lumpy = 1 + 0.25 * np.sin(4.3 * off + wave[0]) + 0.15 * np.sin(9.1 * off + wave[1])
            return width * bump(off) ** 0.5 * lumpy

        return opening

    def _delamination(self, amount: float):
        site = self.site
        span, width, wave = site.dallas.spread, site.width, self.wave

        def opening(theta: np.ndarray) -> np.ndarray:
            off = wrap(theta - site.phi) / span
            lumpy = 1 + 0.22 * np.sin(3.7 * off + wave[0]) + 0.12 * np.sin(8.3 * off + wave[2])
            return width * bump(off) * lumpy * amount

        return opening

    @cached_property
    def rim_inner(self) -> float:
        """Share where the rim lesion's wedge ends inside the annulus."""
        return float(self.site.span[0])

    def rim_drop_height(self) -> float:
        """Mm the torn lamellae's top edge sinks at the disc's surface when fully torn."""
        frame = self.layout.frame
        height = float(frame.height(np.array([self.site.p_out[1]]))[0])
        return float(min(0.45 * self.site.width + 0.5, 0.28 * height))

    def _drop(self, phase: Phase):
        site = self.site
        closing = float(smooth(np.array(phase.closing)))
        amount = self.rim_drop_height() * max(phase.tear, 0.0) * (1 - 0.8 * closing)
        lo = self.rim_inner
        front = 1.0 - (1.0 - lo) * max(phase.tear, MIN_SCALE)

        def drop(theta: np.ndarray, share: np.ndarray) -> np.ndarray:
            depth = smooth((share - front) / max(1.0 - front, 1e-3)) ** 0.8
            return amount * bump(wrap(theta - site.phi) / RIM_SPAN) * depth

        return drop

    # -- shapes -----------------------------------------------------------------------------

    def stations(self, nucleus: float | None = None, outside: tuple[float, ...] = (),
                 start: float = 0.0) -> list[tuple[int, float]]:
        """The crack's stations (lamella, position): four per torn lamella (across its band,
        0 inner edge .. 1 outer edge; the first from ``start``), optionally one in the
        nucleus and some outside the disc (lamella -1 or n, position = share of the annulus
        thickness).
        """
        out: list[tuple[int, float]] = []
        if nucleus is not None:
            out.append((-1, nucleus))
        for index, i in enumerate(self.site.stations_lamellae):
            first = start if index == 0 else 0.0
            second = EDGE if first < EDGE else (first + 1 - EDGE) / 2
            out += [(int(i), first), (int(i), second), (int(i), 1 - EDGE), (int(i), 1.0)]
        out += [(self.site.n, share) for share in outside]
        return out

    def per_station(self, stations: list[tuple[int, float]], values: np.ndarray) -> np.ndarray:
        """Per-torn-lamella ``values`` at each station (its lamella's, or the nearest end's)."""
        torn = self.site.torn
        lamella = np.clip([s[0] for s in stations], torn[0], torn[-1])
        return np.asarray(values)[np.searchsorted(torn, lamella)]

    def crack_sections(self, stations: list[tuple[int, float]], gaps: dict[int, LamellaGap],
                       shift: AnnulusShift, inset: float, fill: np.ndarray, profile: int | str,
                       widen: np.ndarray | None = None, roundness: float = 0.35,
                       joined: bool = True) -> np.ndarray:
        """Sections (stations, points, 3) filling each station's lamella gap, ``inset`` mm
        from its walls and ``fill`` (per station) of the lamella's height; ``widen`` (per
        station, mm) adds width beyond the gap (outside the disc). ``profile``: the number of
        points of a rounded section (``roundness``: 0 a box .. 1 an ellipse), or "channel": the
        tear's lining, a U open at the top. ``joined``: the stations make one crack, which
        crosses from lamella to lamella where their gaps meet (else each keeps its own gap).
        """
        site, layout = self.site, self.layout
        count = len(stations)
        lamella = np.array([s[0] for s in stations])
        position = np.array([s[1] for s in stations], dtype=float)
        inside = (lamella >= 0) & (lamella < site.n)
        centre, half = self._ranges(lamella, position, inside & joined, gaps)
        approx = np.where(inside, site.bounds[np.clip(lamella, 0, site.n - 1), 0]
                          + position * np.diff(site.bounds[np.clip(lamella, 0, site.n - 1)], axis=1)[:, 0],
                          position)
        speed = site.speed(approx)
        reach = np.maximum(half - inset / speed, 0.4 * CLOSED_GAP / speed)
        if widen is not None:
            reach = reach + widen / speed
        fill = np.asarray(fill, dtype=float)
        if profile == "channel":
            u, v = channel_loop(reach * speed, fill)
        else:
            u, v = (np.broadcast_to(a, (count, len(a))) for a in profile_loop(int(profile), roundness))
        points_per = u.shape[1]
        theta = centre[:, None] + reach[:, None] * u
        zeta = fill[:, None] * v
        flat_theta = theta.ravel()
        lam = np.repeat(lamella, points_per)
        share = np.repeat(position, points_per)
        hit = np.repeat(inside, points_per)
        if hit.any():
            bounds = site.bounds_at(flat_theta[hit], lam[hit])
            share[hit] = bounds[:, 0] + share[hit] * (bounds[:, 1] - bounds[:, 0])
        # heights change between the lamellae under the endplate and those reaching the bone:
        # a section at a lamella's inner edge keeps the lower height of the one before it, so
        # the step happens inside its own gap, never across a neighbour
        offsets = layout.face_offset(np.clip(lamella, 0, site.n - 1))
        lower = np.flatnonzero((position == 0.0) & inside)
        lower = lower[lower > 0]
        height = lamella.copy()
        lower = lower[offsets[lower - 1] > offsets[lower]]
        height[lower] = lamella[lower - 1]
        points = annulus_xyz(layout, flat_theta, share, zeta.ravel(), np.repeat(height, points_per), shift)
        # (tangent, up) counter-clockwise seen from outside: reverse for outward faces
        return points.reshape(count, points_per, 3)[:, ::-1, :]

    def _ranges(self, lamella: np.ndarray, position: np.ndarray, inside: np.ndarray,
                gaps: dict[int, LamellaGap]) -> tuple[np.ndarray, np.ndarray]:
        """Centre and half-angle of each station's section: its lamella's gap, and at a
        lamella's edge only what it shares with the neighbour's gap across that edge, so the
        crack crosses between two lamellae straight outward and steps sideways only inside
        a gap (never through a lamella whose edge curves away between them).
        """
        torn = self.site.torn
        # each torn lamella's gap edges, then each station's (its lamella's, or the nearest end's)
        edges = np.array([(gaps[int(i)].centre - gaps[int(i)].minus, gaps[int(i)].centre + gaps[int(i)].plus)
                          for i in torn])
        index = np.searchsorted(torn, np.clip(lamella, torn[0], torn[-1]))
        lo, hi = edges[index, 0], edges[index, 1]
        out_lo, out_hi = lo.copy(), hi.copy()
        count = len(lamella)
        # the neighbour across each edge: the nearest station of another lamella before (after)
        index = np.arange(count)
        differs = lamella[1:] != lamella[:-1]
        new_run, run_end = np.ones(count, dtype=bool), np.ones(count, dtype=bool)
        new_run[1:], run_end[:-1] = differs, differs
        before = np.maximum.accumulate(np.where(new_run, index, 0)) - 1
        after = np.minimum.accumulate(np.where(run_end, index, count - 1)[::-1])[::-1] + 1
        for k, near in ((before, position <= EDGE), (after, position >= 1 - EDGE)):
            valid = (k >= 0) & (k < count)
            j = np.flatnonzero(inside & near & valid)
            j = j[inside[k[j]]]
            out_lo[j], out_hi[j] = np.maximum(lo[j], lo[k[j]]), np.minimum(hi[j], hi[k[j]])
        narrow = out_hi - out_lo < 0.2 * (hi - lo)  # no overlap: a thread where they are nearest
        middle = (np.maximum(out_lo, out_hi) + np.minimum(out_lo, out_hi)) / 2
        spare = 0.1 * (hi - lo)
        out_lo = np.where(narrow, middle - spare, out_lo)
        out_hi = np.where(narrow, middle + spare, out_hi)
        return (out_lo + out_hi) / 2, (out_hi - out_lo) / 2

    def slab(self, boundary: int, theta: np.ndarray, shift: AnnulusShift, gaps: dict[int, LamellaGap],
             fill: float, thinning: float, cover: int | None = None, margin: float = 0.0) -> Surface:
        """A thin curved slab between lamella ``boundary`` and the next (or ``cover``), built
        from their facing walls themselves so it fits the opening exactly (delamination,
        branch, pool); ``margin`` mm more from each wall where the walls bend fast between
        the angles their meshes are built on (a dome), which their triangles cut short.
        """
        return self.slabs([Slab(boundary, theta, fill, thinning, cover, margin)], shift, gaps)[0]

    def slabs(self, specs: list[Slab], shift: AnnulusShift, gaps: dict[int, LamellaGap]) -> list[Surface]:
        """Several slabs, their walls' sections computed in one pass."""
        layout = self.layout
        mids = (layout.frame.n_profile - 4) // 2
        outer_wall, inner_wall = (np.asarray(side) for side in wall_indices(layout.frame.n_profile))
        requests = []
        for spec in specs:
            cover = spec.boundary + 1 if spec.cover is None else spec.cover
            requests += [(spec.boundary, spec.theta), (cover, spec.theta)]
        walls = self._wall_sections(requests, shift, gaps)
        m = mids + 2
        # both walls of every slab at the heights it fills, on the lamella meshes' own
        # triangles, all in one pass: lamella k's outer wall, then the next one's inner wall
        rows = [len(u) for _, _, u in walls]
        heights = np.linspace(-1, 1, m)
        place = np.repeat(np.array([(spec.fill * heights + 1) / 2 * (mids + 1)
                                    for spec in specs for _ in (0, 1)]), rows, axis=0)
        index = np.repeat(np.array([outer_wall, inner_wall] * len(specs)), rows, axis=0)
        low, high, u = (np.concatenate(part) for part in zip(*walls, strict=True))
        on_walls = np.split(self._on_wall(low, high, u, index, place), np.cumsum(rows)[:-1])
        out = []
        for number, spec in enumerate(specs):
            inner, outer = on_walls[2 * number], on_walls[2 * number + 1]
            centre = (inner + outer) / 2
            across = outer - inner
            width = np.linalg.norm(across, axis=-1, keepdims=True)
            half = np.maximum(width / 2 - 3 * GAP - spec.margin, 0.002) * spec.thinning
            unit = across / np.maximum(width, 1e-9)
            # counter-clockwise in (outward, up): outer side upward, then inner side downward
            ring = np.concatenate([(centre + half * unit), (centre - half * unit)[:, ::-1]], axis=1)
            sides = (tuple(range(m)), tuple(range(2 * m - 1, m - 1, -1)))  # strip caps: no centroid fan
            out.append(swept_arc(ring, sides))
        return out

    def _wall_sections(self, requests: list[tuple[int, np.ndarray]], shift: AnnulusShift,
                       gaps: dict[int, LamellaGap]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """For each (lamella, angles): the lamella's mesh sections at the angles it is built
        on just below and above each wanted angle, and how far between them it lies.
        """
        found, lamellae, angles = [], [], []
        for lamella, theta in requests:
            needed, slot, u = self._wall_grid(lamella, theta, gaps.get(lamella))
            found.append((sum(len(a) for a in angles), slot, u))
            lamellae.append(np.full(len(needed), lamella))
            angles.append(needed)
        sections = _sections(self.layout, np.concatenate(lamellae), np.concatenate(angles), shift)[0]
        out = []
        for start, slot, u in found:
            count = len(u)
            out.append((sections[start + slot[:count]], sections[start + slot[count:]], u))
        return out

    def _wall_grid(self, lamella: int, theta: np.ndarray,
                   gap: LamellaGap | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The angles of the lamella's mesh just below and above each wanted angle, which of
        them each wanted angle lies between (slot: below ones, then above ones) and how far.
        The same while the lamella's gap is: kept (read-only) for the frames that move others.
        """
        cache: dict = self.__dict__.setdefault("_wall_grids", {})
        key = (lamella, gap, self.full.get(lamella), theta.tobytes())
        found = cache.get(key)
        if found is not None:
            return found
        pieces = lamella_pieces(self.layout, lamella, gap, self.full.get(lamella))
        grid = np.concatenate([piece for piece, _ in pieces])
        centre = float(np.mean(theta))
        along = wrap(grid - centre)
        wanted = wrap(theta - centre)
        # the grid's nearest angles either side of each wanted one, also across a gap
        order = np.argsort(along)
        grid, along = grid[order], along[order]
        j = np.clip(np.searchsorted(along, wanted) - 1, 0, len(along) - 2)
        needed, slot = np.unique(np.concatenate([j, j + 1]), return_inverse=True)
        u = np.clip((wanted - along[j]) / np.maximum(along[j + 1] - along[j], 1e-12), 0, 1)
        found = (grid[needed], slot, u)
        for array in found:
            array.setflags(write=False)
        if len(cache) > 256:
            cache.clear()
        cache[key] = found
        return found

    def _on_wall(self, low: np.ndarray, high: np.ndarray, u: np.ndarray, index: np.ndarray,
                 place: np.ndarray) -> np.ndarray:
        """Points (len(u), places, 3) on lamellae's walls (profile points ``index``, bottom to
        top; ``place`` fractional positions along them; each for all rows or one per row)
        exactly on the mesh's triangles between the sections ``low`` and ``high`` (``u`` of the
        way): an opening bends faster between the mesh's angles than its flat triangles follow,
        so a shape fitted to the smooth wall would cut into them.
        """
        # the mesh's quads between profile points p and p + 1 (mod m), split along the diagonal
        # from (section i, p) to (section i + 1, p + 1) (primitives.arc_faces)
        m = self.layout.frame.n_profile
        index = np.broadcast_to(index, (len(u), np.shape(index)[-1]))
        place = np.broadcast_to(place, (len(u), np.shape(place)[-1]))
        below = np.clip(np.floor(place).astype(int), 0, index.shape[1] - 2)
        w = place - below
        p0, p1 = np.take_along_axis(index, below, 1), np.take_along_axis(index, below + 1, 1)
        rising = p1 == (p0 + 1) % m
        first, second = np.where(rising, p0, p1), np.where(rising, p1, p0)
        t = np.where(rising, w, 1 - w)[:, :, None]
        u = u[:, None, None]
        row = np.arange(len(low))[:, None]
        a, b = low[row, first], low[row, second]
        d, e = high[row, first], high[row, second]
        return np.where(u >= t, a + u * (d - a) + t * (e - d), a + t * (b - a) + u * (e - b))

    def arc(self, centre: float, half: float, count: int) -> np.ndarray:
        """``count`` angles over centre +- half."""
        return centre + np.linspace(-1, 1, count) * half

    # -- the fissure --------------------------------------------------------------------------

    def fissure(self, phase: Phase) -> Surface:
        """The closed volume of the tear (what a cut shows as the dark crack)."""
        site = self.site
        scale = max(phase.fissure_scale, MIN_SCALE)
        shift = self.shift(phase)
        if site.kind == "circumferential":
            part = self.slab(site.delamination_boundary, self.arc(site.phi, 0.92 * site.dallas.spread, 49),
                             shift, {}, 0.75 * scale, 0.85 * scale)
            return _with_dye(part, 0.0)
        if site.kind == "rim":
            return _with_dye(self.rim_wedge(phase, shift, 0.0, 1.0, scale), 0.0)
        gaps = self.gaps(phase)
        opened = self.opened(phase.tear)
        stations = self.stations(nucleus=0.004)
        fill = 0.9 * scale * (0.03 + 0.97 * self.per_station(stations, opened))  # a hairline till torn
        sections = self.crack_sections(stations, gaps, shift, 2 * GAP, fill, "channel")
        parts = [swept_arc(sections, CHANNEL_CAPS)]
        parts += self._openings(phase, shift, gaps, scale)
        return _with_dye(merge(parts), 1.0)

    def _openings(self, phase: Phase, shift: AnnulusShift, gaps: dict[int, LamellaGap],
                  scale: float) -> list[Surface]:
        """The slabs where lamellae came apart: branches and grade 4's arms (the volcano's pool
        holds the gel only: nothing of the fissure may lie inside the gel, or a cut would
        show the fissure's inside instead of the gel).
        """
        thinning = 1.0
        site = self.site
        opened = self.opened(phase.tear)
        specs = []
        for branch in site.branches:
            j = int(np.searchsorted(site.torn, branch.boundary))
            # from just inside the crack's farther wall on that side (it joins the crack without
            # crossing the gel in the neighbouring lamella's gap)
            beside = [self.full[int(i)] for i in site.torn[j:j + 2]]
            edge = max(branch.side * (g.centre + (g.plus if branch.side > 0 else -g.minus)) for g in beside)
            start = branch.side * edge - branch.side * 0.1 * min(g.minus + g.plus for g in beside)
            end = start + branch.side * branch.length
            theta = np.linspace(start, end, 13) if branch.side > 0 else np.linspace(end, start, 13)
            grow = max(float(opened[j]) * (1 - float(smooth(np.array(phase.closing / 0.25)))), MIN_SCALE)
            specs.append(Slab(branch.boundary, theta, 0.7 * scale * (0.05 + 0.95 * grow), thinning * scale))
        if site.dome_boundary is not None and site.dallas.spread > 0:  # either side of the pool
            inner, outer = 0.75 * DOME_SPAN, 0.94 * site.dallas.spread
            for side in (-1.0, 1.0):
                theta = self.tip_centre + side * np.linspace(inner, outer, 25)
                specs.append(Slab(site.dome_boundary, theta if side > 0 else theta[::-1], 0.55 * scale,
                                  thinning * scale, site.dome_cover))
        return self.slabs(specs, shift, gaps) if specs else []

    def rim_wedge(self, phase: Phase, shift: AnnulusShift, inset: float, fill: float, scale: float,
                  profile: int = 16, stations: int = 12) -> Surface:
        """The rim lesion's cleft: between the torn lamellae's sunken top edge and the
        vertebra, from where it ends inside the annulus out to the disc's surface.
        """
        site, layout = self.site, self.layout
        front = 1.0 - (1.0 - self.rim_inner) * max(phase.tear, MIN_SCALE)
        shares = np.linspace(front + 0.02 * (1 - front), 1.0, stations)
        u, v = profile_loop(profile, 0.5)
        theta = site.phi + (u[None, :] * 0.85 * RIM_SPAN * fill) * np.ones((stations, 1))
        share = np.repeat(shares[:, None], profile, axis=1)
        lam = np.maximum(site.lamella_at(share), int(site.torn[0]) if len(site.torn) else 0)
        top = annulus_xyz(layout, theta, share, np.ones_like(theta), lam)[..., 2]  # under the vertebra
        sunk = annulus_xyz(layout, theta, share, np.ones_like(theta), lam, shift)[..., 2]
        sunk = np.maximum(sunk, self._mesh_top(theta, share[:, 0], lam[:, 0], shift))
        gap = np.maximum(top - sunk - 2 * GAP - inset, 0.004)
        mid = sunk + GAP + inset / 2 + gap / 2
        half = gap / 2 * (0.25 + 0.75 * scale)
        points = annulus_xyz(layout, theta, share, np.ones_like(theta), lam)
        points[..., 2] = mid + v[None, :] * half
        return sweep(points[:, ::-1, :])


    def _mesh_top(self, theta: np.ndarray, share: np.ndarray, lamella: np.ndarray,
                  shift: AnnulusShift) -> np.ndarray:
        """Heights (stations, angles) of the sunk lamellae's top as their mesh has it, for each
        station's ``share`` and ``lamella``: flat triangles between the angles the lamella is
        built on, which stand above the smooth sunk edge where the drop bends between them (a
        wedge fitted to the smooth edge cut into the mesh on a coarse grid).
        """
        mids = (self.layout.frame.n_profile - 4) // 2
        top_edge = np.array([3 + mids, 2 + mids])  # the top's inner and outer corner (annulus._profile)
        bounds = self.site.bounds
        requests = [(int(k), row) for k, row in zip(lamella, theta, strict=True)]
        out = np.empty(theta.shape)
        for station, (low, high, u) in enumerate(self._wall_sections(requests, shift, {})):
            inner, outer = bounds[min(int(lamella[station]), len(bounds) - 1)]
            if outer - inner < 1e-6:  # a lamella that has ended here: no top under the station
                out[station] = -np.inf
                continue
            place = np.clip((share[station] - inner) / (outer - inner), 0.0, 1.0)
            out[station] = self._on_wall(low, high, u, top_edge, np.array([place]))[:, 0, 2]
        return out


def _with_dye(surface: Surface, dye: float) -> Surface:
    """Point array ``dye``: where contrast injected into the nucleus reaches (1) or not (0)."""
    surface.point_data["dye"] = np.full(surface.n_points, dye)
    return surface
