"""``repair``: the scar where the tear was.

Radiofrequency annuloplasty does not plug the tear: it shrinks and coagulates the collagen
of its walls (Tsou, Yeung and Yeung 2004, Spine J 4:564). So on repair the walls are drawn
together (``Tear.half_widths`` closes each gap to a narrow seam, the dome subsides, branches
close) and the scar grows into the seam that is left: annulus tissue, shaped like the crack
it closes. Point array ``scar`` (0..1): how heat-shrunk the tissue is, for the renderer's
slightly different texture; ``depth`` as on the annulus, so it takes the annulus' colour.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.disc.outline import GAP
from discviz.geometry.pathology.fissure import Tear
from discviz.geometry.pathology.phase import Phase
from discviz.geometry.pathology.sweep import MIN_SCALE, sweeps
from discviz.geometry.surface import Surface

PROFILE = 20


def scar(tear: Tear, phase: Phase) -> Surface:
    """The scar at this phase of the repair."""
    site = tear.site
    grow = max(phase.scar, MIN_SCALE)
    shift = tear.shift(phase)
    if site.kind == "circumferential":
        surface = tear.slab(site.delamination_boundary, tear.arc(site.phi, 0.9 * site.dallas.spread, 49),
                            shift, {}, 0.85 * grow, 0.9 * grow)
    elif site.kind == "rim":
        surface = tear.rim_wedge(phase, shift, 0.02, 0.95, grow, PROFILE, 12)
    else:
        # one seam per torn lamella: drawn together, the crack's steps no longer meet
        gaps = tear.gaps(phase)
        lamellae = [int(i) for i in site.stations_lamellae]
        stations = [(i, position) for i in lamellae for position in (0.06, 0.94)]
        stations[0] = (lamellae[0], 0.25)  # clear of the nucleus' curved edge
        fill = np.full(len(stations), 0.9 * grow)
        sections = tear.crack_sections(stations, gaps, shift, 1.5 * GAP, fill, PROFILE, joined=False)
        centre = sections.mean(axis=1, keepdims=True)
        # it grows from nothing once the gel is out (anything inside the gel would show
        # through it on a cut)
        sections = centre + (sections - centre) * grow
        surface = sweeps(sections, 2)
    share = _shares(tear, surface.points)
    surface.point_data["depth"] = np.clip(share, 0.0, 1.0)
    surface.point_data["scar"] = np.full(surface.n_points, grow)
    return surface


def _shares(tear: Tear, points: np.ndarray) -> np.ndarray:
    """Share of the annulus thickness along the fissure line (for the annulus colour ramp)."""
    site = tear.site
    return (points[:, :2] - site.p_in) @ site.outward / site.thickness
