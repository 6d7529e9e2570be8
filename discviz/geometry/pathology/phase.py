"""How far each part of the story has gone, for one state and transition progress.

A transition is a pure function of its progress (0..1): every pathology shape reads its
numbers from one :class:`Phase`, so the tear, the gel, the nerves and the repair stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass


def ease(p: float) -> float:
    """Smooth 0..1 ramp."""
    p = min(max(p, 0.0), 1.0)
    return p * p * (3 - 2 * p)


def window(p: float, start: float, end: float) -> float:
    """Eased progress of the part of [0, 1] between ``start`` and ``end``."""
    return ease((p - start) / (end - start))


@dataclass(frozen=True)
class Phase:
    """The story's clocks, each 0..1."""

    tear: float = 0.0  # how far the tear tip has advanced
    seep: float = 0.0  # how far nucleus material has filled the tear
    pool: float = 0.0  # the volcano: material pooled under the domed outer lamellae
    nerves: float = 0.0  # ingrown nerves and granulation tissue grown
    ablation: float = 0.0  # the radiofrequency probe's pass, outer annulus to nucleus
    vanish: float = 0.0  # what the probe passed shrinks away, a little behind it
    closing: float = 0.0  # the tear's walls drawn together
    scar: float = 0.0  # the scar grown into the closed tear
    fissure_scale: float = 1.0  # 1 while torn, shrinks to nothing on repair
    herniation: float = 0.0  # nucleus material pushed out through the annulus, the root pushed aside

    @classmethod
    def of(cls, state: str, progress: float) -> Phase:
        """The phase of ``state`` at ``progress`` of the transition into it."""
        p = min(max(progress, 0.0), 1.0)
        if state == "healthy":
            return cls()
        if state == "ruptured":  # the tip runs out, the gel follows, then domes the outer rings
            return cls(tear=window(p, 0.0, 0.65), seep=window(p, 0.25, 0.85), pool=window(p, 0.65, 1.0))
        if state == "nerve-ingrowth":
            return cls(tear=1.0, seep=1.0, pool=1.0, nerves=ease(p))
        if state == "repaired":  # probe pass, loose material out, walls drawn together, scar
            # one after the other: the nerves are gone before the forceps take the loose material
            # (it leaves as they close on it and draw back: the operation's script,
            # instruments.operation), and it is out before the walls start to close; so a frame
            # changes only the few structures of one step
            removal = window(p, 0.34, 0.44)
            return cls(tear=1.0, seep=1.0 - removal, pool=1.0 - window(p, 0.34, 0.42), nerves=1.0,
                       ablation=window(p, 0.0, 0.3), vanish=window(p, 0.12, 0.34),
                       closing=window(p, 0.48, 0.95),
                       scar=window(p, 0.5, 1.0), fissure_scale=1.0 - window(p, 0.48, 0.88))
        if state == "herniated":  # the tear breaks through the outer rings, then the gel pushes out
            return cls(tear=0.75 + 0.25 * window(p, 0.0, 0.3), seep=0.8 + 0.2 * window(p, 0.1, 0.4),
                       herniation=window(p, 0.25, 1.0))
        raise ValueError(f"unknown state {state!r}")
