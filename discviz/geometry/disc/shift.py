"""How a tear moves the lamellae away from their healthy places.

Every displacement is a function of the angle around the disc (radians, docs/scene-language.md), so
the lamella meshes and every pathology shape that must fit between them ask the same
question and get the same answer:

- ``squeeze``: a delamination opens ``mm`` between lamella k and k + 1; the lamellae outside
  it are squeezed so the disc keeps its outline (a circumferential fissure);
- ``splits``: lamellae k and k + 1 pull apart locally by thinning each other, nothing else
  moves (a fissure branching between two lamellae);
- ``dome``: the lamellae outside lamella k bow outward by ``mm`` at mid-height and not at
  all at the endplates (the volcano: nucleus material pooled under the outer annulus);
- ``drop``: the top edge of some lamellae sinks away from the vertebra (a rim lesion: the
  fibres torn off the ring apophysis).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Mm = Callable[[np.ndarray], np.ndarray]  # angles (t,) -> millimetres (t,)
DropMm = Callable[[np.ndarray, np.ndarray], np.ndarray]  # angles, shares (broadcast) -> mm


@dataclass(frozen=True)
class AnnulusShift:
    """The displacements of one phase of the story. Each comes with a key (a number that
    changes whenever its shape does), so a lamella is rebuilt only when one that moves it does.
    """

    squeeze: tuple[int, Mm, float] | None = None
    splits: tuple[tuple[int, Mm, float], ...] = ()
    dome: tuple[int, Mm, float] | None = None
    drop: tuple[frozenset[int], DropMm, float] | None = None

    def key_for(self, lamella: int) -> tuple[float, ...]:
        """The keys of the displacements that move lamella (0-based); () when none does."""
        keys: list[float] = []
        if self.squeeze is not None and lamella > self.squeeze[0]:
            keys.append(self.squeeze[2])
        keys += [key for k, _, key in self.splits if lamella in (k, k + 1)]
        if self.dome is not None and lamella > self.dome[0]:
            keys.append(self.dome[2])
        if self.drop is not None and lamella in self.drop[0]:
            keys.append(self.drop[2])
        return tuple(keys)

    def affects(self, lamella: int) -> bool:
        """Whether lamella (0-based) moves at all."""
        return bool(self.key_for(lamella))

    def dome_mm(self, lamella: np.ndarray, theta: np.ndarray) -> np.ndarray | None:
        """Mm each point (lamella, theta) bows outward at mid-height, or None (no dome)."""
        if self.dome is None:
            return None
        k, amount, _ = self.dome
        outside = np.asarray(lamella) > k
        if not outside.any():
            return None
        out = np.zeros(np.shape(theta))
        out[outside] = amount(np.asarray(theta)[outside])
        return out

    def drop_mm(self, lamella: np.ndarray, theta: np.ndarray, share: np.ndarray) -> np.ndarray | None:
        """Mm each point's top sinks (scaled by its height), or None (no drop)."""
        if self.drop is None:
            return None
        torn, amount, _ = self.drop
        lamella, theta, share = np.broadcast_arrays(np.asarray(lamella), np.asarray(theta, float),
                                                    np.asarray(share, float))
        hit = np.isin(lamella, list(torn))
        if not hit.any():
            return None
        out = np.zeros(theta.shape)
        out[hit] = amount(theta[hit], share[hit])
        return out


NO_SHIFT = AnnulusShift()


def dome_profile(zeta: np.ndarray) -> np.ndarray:
    """How much of the dome a point at height ``zeta`` (-1 bottom .. 1 top) gets."""
    return 1.0 - np.asarray(zeta) ** 2


def drop_profile(zeta: np.ndarray) -> np.ndarray:
    """How much of the drop a point at height ``zeta`` gets: the top edge all, the bottom none."""
    return ((np.asarray(zeta) + 1.0) / 2.0) ** 2
