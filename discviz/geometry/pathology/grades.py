"""The modified Dallas discogram grade (``fissure.grade``, docs/pathology.md): how deep the
fissure runs and how far injected contrast spreads.

Grades (Sachs 1987, Spine 12:287, for 0-3; grade 4 added by Aprill and Bogduk 1992, Br J
Radiol 65:361; grade 5 by Schellhas 1996, Spine 21:79):
0 contrast stays in the nucleus; 1 into the inner third of the annulus; 2 the middle third;
3 the outer third, within 30 degrees of the circumference; 4 the outer third, spreading
circumferentially over more than 30 degrees; 5 a full-thickness fissure, contrast (and
nucleus material) leaking out of the annulus.

Without a grade (``fissure.grade = -1``) ``fissure.depth`` decides, and the grade is read
off the depth the same way a discogram would be read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discviz.geometry.params import Params

#: Share of the annulus thickness each grade tears, from the nucleus outward: inside its
#: third, clear of the next (a lamella or two of slack either side).
GRADE_DEPTH: dict[int, float] = {0: 0.04, 1: 0.26, 2: 0.58, 3: 0.86, 4: 0.86, 5: 1.0}
GRADE_4_SPREAD = np.radians(24.0)  # half-angle of the outer-third spread: 48 degrees > 30
CIRCUMFERENTIAL_SPREAD = np.radians(25.0)  # a concentric fissure's half-angle (ungraded)
NARROW_SPREAD = np.radians(13.0)  # grades up to 3: within 30 degrees
FULL_THICKNESS = 0.995


@dataclass(frozen=True)
class Dallas:
    """What the grade (given or read off the depth) means for the geometry."""

    grade: int  # 0..5
    depth: float  # share of the annulus thickness torn from the nucleus outward
    spread: float  # radians: half-angle of the circumferential spread in the outer third (0: none)
    leak: bool  # full thickness: nucleus material and contrast leave the annulus
    given: bool  # fissure.grade was set

    @property
    def outer_third(self) -> bool:
        """The tear reaches the outer third (grades 3 and 4: the volcano's dome)."""
        return 2 / 3 <= self.depth < FULL_THICKNESS


def grade_of_depth(depth: float) -> int:
    """The discogram grade a radial fissure of this depth shows (no circumferential spread)."""
    if depth >= FULL_THICKNESS:
        return 5
    if depth >= 2 / 3:
        return 3
    return 2 if depth >= 1 / 3 else 1


def dallas_of(params: Params) -> Dallas:
    """The grade's depth, spread and leak for these parameters."""
    grade = int(params["fissure.grade"])
    kind = str(params["fissure.type"])
    if grade < 0:
        depth = params.f("fissure.depth")
        spread = CIRCUMFERENTIAL_SPREAD if kind == "circumferential" else 0.0
        leak = kind == "radial" and depth >= FULL_THICKNESS
        return Dallas(grade_of_depth(depth), depth, spread, leak, False)
    depth = GRADE_DEPTH[grade]
    if kind == "circumferential":
        spread = CIRCUMFERENTIAL_SPREAD if grade >= 4 else NARROW_SPREAD
    else:
        spread = GRADE_4_SPREAD if grade == 4 else 0.0
    return Dallas(grade, depth, spread, kind == "radial" and grade == 5, True)
