"""Nerves and granulation tissue.

- ``nerve-endings``: in a painful disc, nociceptive fibres grow in from the outer annulus
  along the fissure, deep into the inner third and up to the nucleus (Freemont 1997, Lancet
  350:178), inside a strip of vascularised granulation tissue lining the fissure's walls from
  the outer annulus to the nucleus (Peng 2005, JBJS Br 87:62). Drawn as a branching network:
  ``nerves.count`` main fibres, each with side branches and twigs.
- ``inflammation``: that strip along both walls, with small blood vessels running in it beside
  the fibres (vessels travel with the nerves: Freemont 2002, J Pathol 197:286). Point array
  ``tissue``: 0 granulation tissue, 1 blood vessel.
- ``native-nerves``: the sparse free endings of a healthy disc, fine fibres in the outer third
  of the posterior and posterolateral annulus only (Bogduk 1981, J Anat 132:39).

Fibres are drawn far thicker than the micrometres they are (about 0.1 mm), thick enough to be
seen at the focused views. On repair the probe passes from the outer annulus inward: what it
has passed turns pale (point array ``ablation``) and shrinks to nothing.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from discviz.geometry.disc.annulus import annulus_xyz, annulus_zeta
from discviz.geometry.pathology.fissure import Tear
from discviz.geometry.pathology.phase import Phase, window
from discviz.geometry.pathology.sweep import (
    MIN_SCALE,
    TubeSet,
    grown,
    profile_loop,
    smooth,
    sweep,
    tube_point_values,
)
from discviz.geometry.primitives import merge, tubes
from discviz.geometry.surface import Surface

MAIN_POINTS, BRANCH_POINTS, TWIG_POINTS = 28, 12, 7
MAIN_RADIUS = (0.075, 0.045)  # mm at the outer annulus, at the tip: >= 2 px in the close-ups
BRANCH_RADIUS = (0.05, 0.037)
TWIG_RADIUS = (0.04, 0.035)
NATIVE_RADIUS = 0.075
NUCLEUS_CLEARANCE = 0.3  # mm the deepest fibre tips stay off the nucleus
STRIP_INTO_CRACK = 0.24  # mm the granulation strip reaches into the crack from its wall
STRIP_INTO_WALL = 0.2  # mm it reaches into the lamella behind the wall
STRIP_STATIONS = 34
VESSEL_RADIUS = 0.06
ABLATION_BAND = 0.12  # share of the annulus over which the probe's pass shrinks a fibre
MAX_SPREAD = 3.5  # mm the ingrown network and its strip reach beside the crack at the surface


def ablation_front(amount: float) -> float:
    """Share of the annulus thickness the probe's pass (``Phase.ablation``, or the shrinking
    behind it, ``Phase.vanish``) has reached, from outside (above 1) inward.
    """
    return 1.08 - 1.2 * amount


class Nerves:
    """The ingrown network, its granulation strip and the native endings."""

    def __init__(self, tear: Tear) -> None:
        self.tear = tear
        self.site = tear.site
        self.layout = tear.layout
        self.sides = self.layout.frame.tube_sides

    # -- where the fibres run ---------------------------------------------------------------

    @cached_property
    def deepest(self) -> float:
        """Share (from the nucleus) the deepest tips reach: 1 - nerves.reach, never into the nucleus."""
        reach = self.layout.params.f("nerves.reach")
        return max(1.0 - reach, NUCLEUS_CLEARANCE / self.site.thickness)

    def _place(self, shares: np.ndarray, offset: np.ndarray, zeta: np.ndarray | None = None,
               z: np.ndarray | None = None) -> np.ndarray:
        """Points at ``shares``, ``offset`` mm across the fissure line and height ``zeta``
        (-1..1 between the faces) or ``z`` (mm, clipped inside them), among the lamellae as
        the fully torn disc has them (domed over a volcano).
        """
        site = self.site
        theta = site.angle(offset, shares)
        lamella = np.clip(site.lamella_at(shares), 0, site.n)
        if zeta is None:
            zeta = np.clip(annulus_zeta(self.layout, theta, shares, lamella, z), -0.85, 0.85)
        return annulus_xyz(self.layout, theta, shares, zeta, lamella, self.full_shift)

    @cached_property
    def full_shift(self):
        """The lamellae's displacement when the nerves are fully grown."""
        return self.tear.shift(Phase.of("nerve-ingrowth", 1.0))

    def _wall_offset(self, shares: np.ndarray, side: float, depth: np.ndarray) -> np.ndarray:
        """Mm across the fissure line of a point ``depth`` (mm) behind the crack's wall on
        ``side``, smoothed over the crack's steps.
        """
        offset, half = self.site.crack_line(shares)
        raw = offset + side * (half + depth)
        kernel = np.array([0.25, 0.5, 0.25])
        padded = np.concatenate([raw[..., :1], raw, raw[..., -1:]], axis=-1)
        return kernel[0] * padded[..., :-2] + kernel[1] * padded[..., 1:-1] + kernel[2] * padded[..., 2:]

    @cached_property
    def network(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, tuple[float, float]]]:
        """Per kind (main, branch, twig): paths (b, k, 3), radii (b, k), shares (b, k) and the
        part of the growth (start, end) in which they grow. Every fibre's random draws at once:
        main fibres (count, ...), their three side branches and a twig on each (count, 3, ...).
        """
        site = self.site
        rng = np.random.default_rng(site.seed + 2)
        count = int(self.layout.params["nerves.count"])
        thickness = site.thickness
        outside = 1.0 + 0.12 / thickness
        deepest = self.deepest
        # a thin annulus or a small disc gets a narrower network
        fit = min(1.0, thickness / 5.0, float(site.speed(np.array([1.0]))[0]) / 18.0)
        t_main = np.linspace(0, 1, MAIN_POINTS)
        u, v = np.linspace(0, 1, BRANCH_POINTS), np.linspace(0, 1, TWIG_POINTS)

        def draw(low: float, high: float, *shape: int) -> np.ndarray:
            return rng.uniform(low, high, (count, *shape))

        def sign(*shape: int) -> np.ndarray:
            return rng.choice([-1.0, 1.0], (count, *shape))

        side = np.where(np.arange(count) % 2 == 0, 1.0, -1.0)[:, None]  # (count, 1)
        # the first two reach the deepest; the others stop somewhere in the inner part
        end = deepest + np.where(np.arange(count) < 2, 0.0, draw(0.0, 0.45)) * (1.0 - deepest)
        shares = outside + (end - outside)[:, None] * t_main  # (count, MAIN_POINTS)
        # in the granulation strip along the wall: mostly in the crack's lining, some just
        # behind the wall
        wander = np.sin(draw(2.5, 6.0, 1) * t_main + draw(0.0, 6.0, 1))
        depth = draw(-0.3, 0.05, 1) + 0.16 * wander
        # they arrive from the plexus on the disc's surface spread out, and gather along the
        # crack's walls as they grow in
        spread = smooth((shares - end[:, None]) / np.maximum(1.0 - end, 1e-3)[:, None]) ** 2
        arrive = draw(0.3, 1.3, 1) * fit * side * spread
        offset = self._wall_offset(shares, side, depth) + arrive
        # mostly just under mid-height: an axial section, the usual view, runs through them
        z = -draw(0.06, 0.3, 1) + 0.07 * np.sin(draw(3.0, 7.0, 1) * t_main + draw(0.0, 6.0, 1))
        # side branches, three a fibre: splaying off deeper, across the crack or into the wall
        at = rng.integers(3, MAIN_POINTS - 5, (count, 3))
        rows = np.arange(count)[:, None]
        b_shares = np.maximum(shares[rows, at][..., None] - u * (draw(0.6, 1.6, 3, 1) / thickness), deepest)
        swing = sign(3, 1) * draw(0.35, 0.8, 3, 1) * fit
        b_offset = offset[rows, at][..., None] + side[..., None] * np.sin(u * np.pi / 2) * swing
        b_z = z[rows, at][..., None] - u * draw(0.0, 0.3, 3, 1)
        # a twig off each branch
        t_at = rng.integers(4, BRANCH_POINTS - 3, (count, 3, 1))
        t_shares, t_offset, t_z = (np.take_along_axis(a, t_at, axis=2) for a in (b_shares, b_offset, b_z))
        t_shares = np.maximum(t_shares - v * (draw(0.2, 0.6, 3, 1) / thickness), deepest)
        t_offset = t_offset + v * sign(3, 1) * draw(0.2, 0.45, 3, 1) * fit
        t_z = t_z - v * draw(0.0, 0.2, 3, 1)
        kinds = (("main", (shares, offset, z), MAIN_RADIUS, (0.0, 0.75)),
                 ("branch", (b_shares, b_offset, b_z), BRANCH_RADIUS, (0.3, 0.9)),
                 ("twig", (t_shares, t_offset, t_z), TWIG_RADIUS, (0.5, 1.0)))
        # every kind's points placed in one pass: (shares, offsets, heights) of each, flat
        flat = [np.concatenate([parts[i].ravel() for _, parts, _, _ in kinds]) for i in range(3)]
        placed = self._place(flat[0], flat[1], z=flat[2])
        out = {}
        start = 0
        for kind, (kind_shares, _, _), radius, window_ in kinds:
            kind_shares = kind_shares.reshape(-1, kind_shares.shape[-1])
            paths = placed[start:start + kind_shares.size].reshape(*kind_shares.shape, 3)
            start += kind_shares.size
            radii = np.broadcast_to(np.linspace(*radius, kind_shares.shape[1]), kind_shares.shape).copy()
            out[kind] = (paths, radii, kind_shares, window_)
        return out

    # -- nerve endings ------------------------------------------------------------------------

    def endings(self, phase: Phase) -> Surface:
        """The ingrown network grown to ``phase.nerves``, ablated as far as the probe went."""
        cache: dict = self.__dict__.setdefault("_endings_cache", {})
        key = (phase.nerves, phase.ablation, phase.vanish)
        if cache.get("key") != key:
            cache["key"], cache["surface"] = key, self._endings(phase)
        return cache["surface"]

    def _endings(self, phase: Phase) -> Surface:
        front, gone = ablation_front(phase.ablation), ablation_front(phase.vanish)
        parts, ablated = [], []
        for kind, (paths, radii, shares, (start, end)) in self.network.items():
            amount = window(phase.nerves, start, end) if end < 1.0 or start > 0 else phase.nerves
            grown_paths, grown_shares = self._grown(kind, paths, shares, amount)
            passed = smooth((grown_shares - gone) / ABLATION_BAND)
            thin = max(min(1.0, 0.25 + amount), MIN_SCALE)
            scale = np.maximum(thin * (1.0 - passed), MIN_SCALE)
            if amount >= 1.0:  # fully grown (the repair ablates it): only the radii change
                parts.append(self._full_tubes(kind, grown_paths).surface(radii * scale))
            else:
                parts.append(tubes(grown_paths, radii * scale, self.sides))
            ablated.append(tube_point_values(smooth((grown_shares - front + 0.1) / 0.1), self.sides))
        surface = merge(parts)
        surface.point_data["ablation"] = np.concatenate(ablated)
        return surface

    def _grown(self, kind: str, paths: np.ndarray, shares: np.ndarray,
               amount: float) -> tuple[np.ndarray, np.ndarray]:
        """``grown(paths, amount, shares)``; fully grown, kept per kind (read-only): every frame
        of the repair asks for them while the probe ablates them.
        """
        kept: dict[str, tuple[np.ndarray, np.ndarray]] = self.__dict__.setdefault("_fully_grown", {})
        if amount < 1.0 or kind not in kept:
            now, now_shares = grown(paths, amount, shares)
            assert now_shares is not None
            if amount < 1.0:
                return now, now_shares
            now.setflags(write=False)
            now_shares.setflags(write=False)
            kept[kind] = (now, now_shares)
        return kept[kind]

    def _full_tubes(self, kind: str, paths: np.ndarray) -> TubeSet:
        """The fully grown tubes of one kind of fibre (or of the vessels), frames kept."""
        kept: dict[str, TubeSet] = self.__dict__.setdefault("_tube_sets", {})
        if kind not in kept:
            kept[kind] = TubeSet(paths, self.sides)
        return kept[kind]

    # -- granulation tissue ---------------------------------------------------------------------

    @cached_property
    def strip(self) -> tuple[np.ndarray, np.ndarray]:
        """Sections (2 * stations, profile, 3) of the granulation strip on both walls from the
        outer annulus inward, and the share of each station.
        """
        site = self.site
        rng = np.random.default_rng(site.seed + 3)
        inner = max(NUCLEUS_CLEARANCE * 0.5 / site.thickness, 0.02)
        shares = np.linspace(1.0 - 0.02, inner, STRIP_STATIONS)
        u, v = profile_loop(12, 0.5)
        # both walls at once: (side, station, profile point)
        lumps = 1 + 0.25 * rng.uniform(-1, 1, (2, STRIP_STATIONS))
        middle = (STRIP_INTO_WALL - STRIP_INTO_CRACK) / 2
        half = (STRIP_INTO_WALL + STRIP_INTO_CRACK) / 2 * lumps
        centre = self._wall_offset(shares, np.array([[-1.0], [1.0]]), np.full(STRIP_STATIONS, middle))
        offset = centre[..., None] + half[..., None] * u
        zeta = np.clip(0.8 * v * (0.85 + 0.15 * lumps[..., None]), -0.88, 0.88)
        # stations run inward: the loop as made faces outward
        return self._place(np.broadcast_to(shares[:, None], offset.shape), offset, zeta), shares

    @cached_property
    def vessels(self) -> tuple[np.ndarray, np.ndarray]:
        """Paths (b, k, 3) of small blood vessels in the strip, and their shares (b, k)."""
        site = self.site
        rng = np.random.default_rng(site.seed + 5)
        _, shares = self.strip
        # three a wall, at these heights; each vessel's draws: depth, its waviness, its height's
        sides = np.repeat([-1.0, 1.0], 3)[:, None]
        levels = np.tile([-0.2, -0.7, -1.3], 2)[:, None]
        draws = np.array([[rng.uniform(-0.1, 0.08), rng.uniform(4, 8), rng.uniform(3, 6), rng.uniform(0, 6)]
                          for _ in range(6)])
        depth = (-0.12 + draws[:, :1]) + 0.06 * np.sin(np.linspace(0, draws[:, 1], len(shares), axis=-1))
        wave = np.linspace(0, draws[:, 2], len(shares), axis=-1) + draws[:, 3:]
        all_shares = np.broadcast_to(shares, (6, len(shares)))
        offsets = self._wall_offset(shares, sides, depth)
        return self._place(all_shares, offsets, z=levels + 0.12 * np.sin(wave)), all_shares

    def inflammation(self, phase: Phase) -> Surface:
        """The strip and its vessels, grown inward to ``phase.nerves``, ablated by the probe."""
        cache: dict = self.__dict__.setdefault("_inflammation_cache", {})
        key = (phase.nerves, phase.ablation, phase.vanish)
        if cache.get("key") != key:
            cache["key"], cache["surface"] = key, self._inflammation(phase)
        return cache["surface"]

    def _inflammation(self, phase: Phase) -> Surface:
        amount = max(float(smooth(phase.nerves / 0.9)), MIN_SCALE)
        sprout = max(float(smooth(amount / 0.25)), MIN_SCALE)  # from nothing: thin at first
        front, gone = ablation_front(phase.ablation), ablation_front(phase.vanish)
        sections, shares = self.strip
        parts = []
        for side in range(2):
            part = _resample_with(sections[side], shares, amount)
            now, now_shares = part
            passed = smooth((now_shares - gone) / ABLATION_BAND)
            centre = now.mean(axis=1, keepdims=True)
            shrink = np.maximum((1.0 - passed) * sprout, MIN_SCALE)[:, None, None]
            parts.append(sweep(centre + (now - centre) * shrink, reverse=False))
        paths, vessel_shares = self.vessels
        grown_paths, grown_shares = self._grown("vessels", paths, vessel_shares, amount)
        passed = smooth((grown_shares - gone) / ABLATION_BAND)
        radius = VESSEL_RADIUS * np.maximum(1.0 - passed, MIN_SCALE) * max(min(1.0, 0.3 + amount), MIN_SCALE)
        vessels = (self._full_tubes("vessels", grown_paths).surface(radius) if amount >= 1.0
                   else tubes(grown_paths, radius, self.sides))
        surface = merge([*parts, vessels])
        strip_points = sum(p.n_points for p in parts)
        surface.point_data["tissue"] = np.concatenate([np.zeros(strip_points), np.ones(vessels.n_points)])
        all_shares = np.concatenate([*(_station_values(_resample_with(sections[s], shares, amount)[1],
                                                   sections.shape[2]) for s in range(2)),
                                     tube_point_values(grown_shares, self.sides)])
        surface.point_data["ablation"] = smooth((all_shares - front + 0.1) / 0.1)
        return surface

    # -- native nerves ----------------------------------------------------------------------------

    @cached_property
    def native_paths(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Groups of paths (b, k, 3) and radii (b, k) of the normal endings: from the disc's
        surface a little way into the outer third, at the posterior and posterolateral annulus,
        clear of the fissure (where the ingrown network and its granulation tissue are).
        """
        layout, site = self.layout, self.site
        rng = np.random.default_rng(site.seed + 4)
        thickness = site.thickness
        spread = MAX_SPREAD / float(site.speed(np.array([1.0]))[0]) + site.wander
        clear = max(spread, site.dallas.spread if site.kind == "circumferential" else 0.0) + np.radians(6)
        angles = np.radians(np.array([115, 135, 152, 176, 198, 220, 242], dtype=float))
        angles = angles[np.abs(np.mod(angles - site.phi + np.pi, 2 * np.pi) - np.pi) >= clear]
        count = len(angles)
        if count == 0:
            angles, count = np.array([site.phi + np.pi]), 1  # a fissure everywhere: one ending opposite
        u = np.linspace(0, 1, 14)
        sweep = rng.uniform(-1, 1, count) * np.radians(rng.uniform(3, 7, count))
        theta = angles[:, None] + u[None, :] * sweep[:, None]
        shares = 1.0 + 0.04 + u[None, :] * (-0.04 - rng.uniform(0.18, 0.28, count))[:, None]
        # just under mid-height, like the ingrown fibres: an axial section shows them
        level = -rng.uniform(0.08, 0.3, count)[:, None]
        level = level + 0.05 * np.sin(5 * u[None, :] + rng.uniform(0, 6, (count, 1)))
        zeta = self._zeta_of(theta, shares, level)
        main = annulus_xyz(layout, theta, shares, zeta, self._lamella_of(theta, shares))
        at = rng.integers(3, 9, (count, 2))
        v = np.linspace(0, 1, 7)[None, None, :]
        turn = rng.uniform(-1, 1, (count, 2)) * np.radians(3)
        b_theta = np.take_along_axis(theta, at, 1)[..., None] + v * turn[..., None]
        b_start = np.take_along_axis(shares, at, 1)[..., None]
        b_shares = np.maximum(b_start - v * rng.uniform(0.4, 1.0, (count, 2))[..., None] / thickness, 0.7)
        sink = rng.uniform(0.0, 0.12, (count, 2))[..., None]
        b_zeta = np.clip(np.take_along_axis(zeta, at, 1)[..., None] - v * sink, -0.8, 0.8)
        b_theta, b_shares, b_zeta = (x.reshape(2 * count, 7) for x in (b_theta, b_shares, b_zeta))
        branches = annulus_xyz(layout, b_theta, b_shares, b_zeta, self._lamella_of(b_theta, b_shares))
        return [(main, np.broadcast_to(np.linspace(NATIVE_RADIUS, 0.7 * NATIVE_RADIUS, 14), (count, 14))),
                (branches, np.broadcast_to(np.linspace(0.8, 0.6, 7) * NATIVE_RADIUS, (2 * count, 7)))]

    def _lamella_of(self, theta: np.ndarray, shares: np.ndarray) -> np.ndarray:
        """The lamella each point (rows of theta, shares) falls in, by its row's first angle."""
        inner = self.layout.bounds(theta[:, 0])[:, :, 0].T  # (rows, n)
        index = (shares[:, :, None] >= inner[:, None, :]).sum(axis=2) - 1
        return np.clip(index, 0, self.site.n - 1)

    def _zeta_of(self, theta: np.ndarray, shares: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Heights -1..1 between the faces of the points at height ``z`` (mm)."""
        zeta = annulus_zeta(self.layout, theta, shares, self._lamella_of(theta, shares), z)
        return np.clip(zeta, -0.8, 0.8)

    def native(self) -> Surface:
        """The normal nerve endings (unchanged by the story)."""
        return merge([tubes(paths, radii, self.sides) for paths, radii in self.native_paths])


def _resample_with(sections: np.ndarray, shares: np.ndarray, amount: float) -> tuple[np.ndarray, np.ndarray]:
    """The first ``amount`` of a sweep and the share at each resampled station."""
    from discviz.geometry.pathology.sweep import resample

    count = len(shares)
    where = np.linspace(0, count - 1, count) * max(amount, MIN_SCALE)
    return resample(sections, amount, (0.4, 0.75)), np.interp(where, np.arange(count), shares)


def _station_values(values: np.ndarray, profile: int) -> np.ndarray:
    """Per-station values as the point array of a strip-capped sweep."""
    return np.repeat(values, profile)
