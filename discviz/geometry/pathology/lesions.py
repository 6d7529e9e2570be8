"""The story's pathology for one parameter set, in one object the model asks.

The parts live in their own modules: ``site`` (where the fissure is and how its crack runs),
``grades`` (the modified Dallas grade), ``fissure`` (the tear, its gaps and displacements),
``annulotomy`` (the surgeon's opening over a tear under the outer lamellae),
``material`` (nucleus material in it), ``nerves`` (ingrown and native nerves, granulation
tissue) and ``repair`` (the scar). Every builder takes a :class:`Phase` and keeps its point
count and faces for all progress values of a transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from discviz.geometry.disc.annulus import DiscLayout, LamellaGap
from discviz.geometry.disc.shift import AnnulusShift
from discviz.geometry.pathology.fissure import Tear
from discviz.geometry.pathology.material import NucleusMaterial
from discviz.geometry.pathology.nerves import Nerves
from discviz.geometry.pathology.phase import Phase, ease, window
from discviz.geometry.pathology.repair import scar
from discviz.geometry.pathology.site import FissureSite
from discviz.geometry.surface import Surface

__all__ = ["Pathology", "Phase", "ease", "window"]


class Pathology:
    """Fissure, nucleus material, nerves, granulation tissue and repair of one disc."""

    def __init__(self, layout: DiscLayout) -> None:
        self.layout = layout
        self.site = FissureSite(layout)
        self.tear = Tear(self.site)
        self.material = NucleusMaterial(self.tear)
        self.nerves = Nerves(self.tear)
        self._kept: dict[str, tuple[tuple[float, ...], Surface]] = {}

    # -- the annulus, torn --------------------------------------------------------------------

    def lamella_gaps(self, phase: Phase) -> dict[int, LamellaGap]:
        """Open angles of the torn lamellae at this phase."""
        return self.tear.gaps(phase)

    def full_gaps(self) -> dict[int, LamellaGap]:
        """The gaps when fully torn: they fix the annulus topology."""
        return self.tear.full

    def shift(self, phase: Phase) -> AnnulusShift:
        """How the lamellae move at this phase."""
        return self.tear.shift(phase)

    # -- structures ---------------------------------------------------------------------------

    def _last(self, name: str, key: tuple[float, ...], build: Callable[[], Surface]) -> Surface:
        """The surface built last for ``name`` while the phase values it depends on are the
        same (most frames of a transition move only some structures).
        """
        kept = self._kept.get(name)
        if kept is None or kept[0] != key:
            kept = self._kept[name] = (key, build())
        return kept[1]

    def fissure(self, phase: Phase) -> Surface:
        """``fissure``."""
        # the pool moves the fissure only where grade 4's delamination runs under the dome
        pool = phase.pool if self.site.dallas.spread > 0 or self.site.kind != "radial" else 0.0
        key = (phase.tear, phase.closing, phase.fissure_scale, pool)
        return self._last("fissure", key, lambda: self.tear.fissure(phase))

    def nucleus_tract(self, phase: Phase) -> Surface:
        """``nucleus-tract``."""
        key = (phase.tear, phase.pool, phase.seep)
        if self.site.kind != "radial":
            key += (phase.closing, phase.fissure_scale)
        return self._last("nucleus-tract", key, lambda: self.material.surface(phase))

    def nerve_endings(self, phase: Phase) -> Surface:
        """``nerve-endings``."""
        return self.nerves.endings(phase)

    def inflammation(self, phase: Phase) -> Surface:
        """``inflammation``."""
        return self.nerves.inflammation(phase)

    def repair(self, phase: Phase) -> Surface:
        """``repair``."""
        if phase.scar <= 0.0:  # not grown yet: a speck, whatever the walls do
            phase = replace(phase, closing=0.0, pool=0.0)
        key = (phase.tear, phase.closing, phase.scar)
        return self._last("repair", key, lambda: scar(self.tear, phase))

    def native_nerves(self) -> Surface:
        """``native-nerves``."""
        return self.nerves.native()
