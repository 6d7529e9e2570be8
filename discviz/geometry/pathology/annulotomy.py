"""The annulotomy: the opening the surgeon makes in the outer lamellae over the tear.

A radial tear into the outer third that stops short of the surface lies under a crust of
intact outer lamellae (the volcano, grade 3 or 4). To work in it, the surgeon opens that crust
over the tear's outer end (Tsou, Yeung and Yeung 2004: the blue-stained nucleus in the tear is
taken out, then its walls are heated): the scope then looks into the open tear, where the
pooled, stained gel wells up into the opening among the granulation tissue and the nerves
grown in along the tear.

It is made while the instruments dock (``instruments.insertion`` above ``OPEN_FROM``: the
probe's tip, coming out of the scope, opens it) and closes with the tear's walls on repair. A
tear that reaches the surface (grade 5) is open already; a shallower one lies too deep for it.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from discviz.geometry.disc.annulus import LamellaGap
from discviz.geometry.pathology.phase import Phase, window
from discviz.geometry.pathology.site import FissureSite
from discviz.geometry.pathology.sweep import smooth

HALF_WIDTH = 1.5  # mm: half the opening's width (the probe's 2.5 mm tip passes through it)
CLOSED = 0.004  # mm: the half width of a closed cut (as a tear not yet open: no seam shows)
FRAY = 0.3  # a cut's edges fray less than a tear's
OPEN_FROM = 0.85  # instruments.insertion at which the opening starts (the probe's tip arrives at 1)
CLOSE_FROM = 0.7  # the repair's closing at which the opening starts to close (the outer walls last)


class Annulotomy:
    """Which lamellae the opening cuts, where, and how far it is open."""

    def __init__(self, site: FissureSite, centre: float) -> None:
        self.site = site
        self.centre = centre  # the angle of the tear's outer end
        self.insertion = site.layout.params.f("instruments.insertion")

    @cached_property
    def lamellae(self) -> np.ndarray:
        """The lamellae over the volcano's pool, which the opening cuts (none: no opening)."""
        site = self.site
        if self.insertion <= 0.0 or site.dome_boundary is None:
            return np.array([], dtype=int)
        return np.arange(site.dome_boundary + 1, site.n)

    @property
    def made(self) -> bool:
        """Whether these parameters have an opening (its topology, open or not)."""
        return len(self.lamellae) > 0

    def amount(self, phase: Phase, outer_open: float) -> float:
        """0 (closed) .. 1 (open): made as the instruments dock, once the tear's outer end is
        open under it (``outer_open``), closed again with the tear's walls.
        """
        if not self.made:
            return 0.0
        closed = float(smooth((phase.closing - CLOSE_FROM) / (1.0 - CLOSE_FROM)))
        return window(self.insertion, OPEN_FROM, 1.0) * outer_open * (1.0 - closed)

    def half_angle(self, lamella: int, amount: float) -> float:
        """The opening's half angle in ``lamella`` at ``amount``."""
        return self.site.half_angle(lamella, CLOSED + amount * (HALF_WIDTH - CLOSED))

    def gaps(self, amount: float) -> dict[int, LamellaGap]:
        """The cut lamellae's gaps at ``amount``."""
        out = {}
        for lamella in self.lamellae:
            half = self.half_angle(int(lamella), amount)
            out[int(lamella)] = LamellaGap(self.centre, half, half, FRAY * amount)
        return out
