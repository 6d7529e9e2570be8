"""``nucleus-tract``: nucleus material in the tear, the same gel as the nucleus and one piece
with it.

It starts inside the nucleus and fills the crack behind the tip (a tongue of gel along each
step of it). Under a tear into the outer third it spreads between the last torn lamella and
the intact ones, which it domes outward: the volcano, dangerous material under a thin crust.
Through a full-thickness tear (grade 5) it comes out of the annulus as a drop on its surface.
Where the surgeon has opened the crust over the pool (``annulotomy``), the gel wells up from
the pool into the opening, to just under the surface. On repair the loose material is taken
out: the gel withdraws into the nucleus.

The gel's full shape is built once; a phase only resamples it along its length, so its
point count and faces never change within a transition.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from discviz.geometry.disc.annulus import annulus_xyz
from discviz.geometry.disc.outline import GAP
from discviz.geometry.pathology.fissure import Tear
from discviz.geometry.pathology.phase import Phase
from discviz.geometry.pathology.site import DOME_SPAN
from discviz.geometry.pathology.sweep import MIN_SCALE, profile_loop, resample, sweep
from discviz.geometry.primitives import merge
from discviz.geometry.surface import Surface

NUCLEUS_TOUCH = 0.3  # mm the gel reaches into the nucleus: one piece with it
LEAK_OUT = 2.0  # mm the leaked drop stands off the disc's surface
LEAK_WIDE = 1.6  # mm the drop spreads beyond the tear on each side
LEAK_STATIONS = 7
GAP_LINING = 0.2  # mm from the torn lamellae: inside the tear's lining (fissure.LINING)
PROFILE = 16
ROUNDNESS = 0.6  # section shape: a gel rounds the crack's corners
WELL_FILL = 0.82  # share of the lamellae's height the gel takes in the surgeon's opening
WELL_TOP = 0.05  # mm the welling gel stays under the disc's surface (it does not run out)
WELL_STATIONS = 10
WELL_APEX = 0.55  # mm its rounded top stays under the middle of the domed crust: the granulation
# tissue and the nerves along the tear's walls show through it
WELL_FRONT = (0.97, 0.9, 0.7)  # its top rounded off


class NucleusMaterial:
    """The gel in the tear."""

    def __init__(self, tear: Tear) -> None:
        self.tear = tear
        self.site = tear.site

    @cached_property
    def channel(self) -> np.ndarray:
        """Sections of the gel along the whole crack when fully seeped (radial tears)."""
        tear, site = self.tear, self.site
        phase = Phase.of("nerve-ingrowth", 1.0)
        shift = tear.shift(phase)
        start = -(GAP + NUCLEUS_TOUCH) / site.thickness  # the annulus starts GAP outside the nucleus
        outside: tuple[float, ...] = ()
        widen = None
        drop = np.linspace(0, 1, LEAK_STATIONS + 1)[1:]
        if site.dallas.leak:  # a drop on the surface: round in both directions
            outside = tuple(1.0 + (0.3 + drop * LEAK_OUT) / site.thickness)
        stations = tear.stations(nucleus=start, outside=outside)
        pool = site.dome_boundary is not None
        if pool:  # on into the volcano's pool (placed below)
            stations.append((site.dome_cover, 0.0))
        count = len(stations)
        fill = np.full(count, 0.72)
        fill[0] = 0.5  # inside the nucleus' rounded edge
        if site.dallas.leak:
            round_ = np.sin(np.pi * (0.15 + 0.85 * drop)) ** 0.6
            fill[-LEAK_STATIONS:] = 0.2 + 0.45 * round_
            widen = np.zeros(count)
            widen[-LEAK_STATIONS:] = LEAK_WIDE * round_
        sections = tear.crack_sections(stations, tear.full, shift, GAP_LINING, fill, PROFILE, widen=widen,
                                       roundness=ROUNDNESS)
        if pool:  # half way between the last torn lamella and the domed one over it
            ends = tear.crack_sections([(site.dome_boundary, 1.0), (site.dome_cover, 0.0)], tear.full, shift,
                                       GAP_LINING, fill[-2:], PROFILE, roundness=ROUNDNESS)
            sections[-1] = ends.mean(axis=0)
        return sections

    def surface(self, phase: Phase) -> Surface:
        """The gel at this phase."""
        site, tear = self.site, self.tear
        scale = max(phase.fissure_scale, MIN_SCALE)
        amount = max(phase.seep, MIN_SCALE)
        # a concentric fissure or a rim lesion does not open to the nucleus: only a trace of
        # material (tissue fluid) lies deep in it, which the cut barely shows
        if site.kind == "circumferential":
            part = tear.slab(site.delamination_boundary, tear.arc(site.phi, 0.5 * site.dallas.spread, 25),
                             tear.shift(phase), {}, 0.3 * scale * amount, 0.2 * scale)
            return _dyed(part, 0.0)
        if site.kind == "rim":
            part = tear.rim_wedge(phase, tear.shift(phase), 0.1, 0.25 * amount, 0.12 * scale, PROFILE, 10)
            return _dyed(part, 0.0)
        channel = sweep(resample(self.channel, amount))
        parts = [channel]
        if site.dome_boundary is not None:
            pool = max(phase.pool, MIN_SCALE)
            shift = tear.shift(phase)
            arc = tear.arc(tear.tip_centre, 0.7 * DOME_SPAN * (0.4 + 0.6 * pool), 23)
            parts.append(tear.slab(site.dome_boundary, arc, shift, tear.full, 0.7 * pool, 0.75,
                                   site.dome_cover, margin=0.03))
            if tear.annulotomy.made:
                parts.append(self.welling(phase, parts[-1].points.mean(axis=0)))
        return _dyed(merge(parts), 1.0)

    def welling(self, phase: Phase, pool_centre: np.ndarray) -> Surface:
        """The gel welling up from the pool into the surgeon's opening in the crust over it:
        one piece with the pool, it sinks back into it (``pool_centre``) as the opening closes
        or the pool drains.
        """
        site, tear = self.site, self.tear
        cut = tear.annulotomy
        shift = tear.shift(phase)
        cover = site.dome_cover
        amount = cut.amount(phase, float(tear.opened(phase.tear)[-1]))
        top = 1.0 - WELL_TOP / site.thickness
        shares = np.linspace(site.bounds[cover, 0], top, WELL_STATIONS)
        lamella = np.clip(site.lamella_at(shares), cover, site.n - 1)
        inset = GAP_LINING / site.speed(shares)
        half = np.array([cut.half_angle(int(k), amount) for k in lamella]) - inset
        half = np.maximum(half, 0.1 * np.array([cut.half_angle(int(k), 1.0) for k in lamella]))
        u, v = profile_loop(PROFILE, ROUNDNESS)
        theta = cut.centre + half[:, None] * u[None, :]
        zeta = np.full((WELL_STATIONS, 1), WELL_FILL) * v[None, :]
        points = annulus_xyz(site.layout, theta, np.repeat(shares[:, None], PROFILE, axis=1), zeta,
                             np.repeat(lamella[:, None], PROFILE, axis=1), shift)
        # it starts in the pool: half way between the last torn lamella and the crust the dome lifts
        below = annulus_xyz(site.layout, theta[0], np.full(PROFILE, site.bounds[site.dome_boundary, 1]),
                            zeta[0], np.full(PROFILE, site.dome_boundary), shift)
        points[0] = (points[0] + below) / 2
        # the top rounded off toward its middle, which the dome lifts most (a flat cap between
        # the sections' rims would stay under the middle of the domed crust)
        apex = annulus_xyz(site.layout, np.array([cut.centre]), np.array([top - WELL_APEX / site.thickness]),
                           np.array([0.0]),
                           np.array([site.n - 1]), shift)
        front = np.asarray(WELL_FRONT)
        own = points[-len(front):].mean(axis=1, keepdims=True)
        toward = apex[None] - own
        outward = np.array([apex[0, 0], apex[0, 1], 0.0]) / np.hypot(apex[0, 0], apex[0, 1])
        # never back inward (under a low dome the apex lies below the top's rim): no fold
        toward -= np.minimum(toward @ outward, 0.0)[..., None] * outward
        centre = own + toward * np.linspace(0.4, 1.0, len(front))[:, None, None]
        points[-len(front):] = centre + (points[-len(front):] - own) * front[:, None, None]
        # as much of it as the opening lets through and the pool still holds
        rise = max(amount * phase.pool, MIN_SCALE)
        points = pool_centre + (points - pool_centre) * rise
        return sweep(points[:, ::-1, :])  # (tangent, up) counter-clockwise from outside: outward faces

def _dyed(surface: Surface, dye: float) -> Surface:
    surface.point_data["dye"] = np.full(surface.n_points, dye)
    return surface
