"""The pathology's colours: the repair looks like annulus (no plug), the gel like the nucleus,
ablated fibres turn pale, and the discogram look whitens only where contrast reaches.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry import Params, build_surfaces
from discviz.render.materials import DYE, MATERIALS
from discviz.render.renderer import point_colours

PARAMS = Params({"quality": "low"})


def _mean(name: str, state: str, progress: float = 1.0, contrast: float = 0.0) -> np.ndarray:
    surface = build_surfaces(state, PARAMS, progress)[name]
    return point_colours(name, surface, PARAMS, contrast).mean(axis=0) / 255


def test_the_repair_is_annulus_coloured_not_a_green_plug() -> None:
    scar, annulus = _mean("repair", "repaired"), _mean("annulus", "repaired")
    assert np.abs(scar - annulus).max() < 0.12
    assert scar[1] <= scar[0] + 0.02  # no green cast


def test_the_gel_in_the_tear_is_the_nucleus_gel() -> None:
    assert MATERIALS["nucleus-tract"].color == MATERIALS["nucleus"].color
    assert np.allclose(_mean("nucleus-tract", "ruptured"), _mean("nucleus", "ruptured"), atol=0.02)


def test_the_probe_leaves_pale_fibres_behind_before_they_go() -> None:
    before = _mean("nerve-endings", "repaired", 0.0)
    during = _mean("nerve-endings", "repaired", 0.3)
    assert during[2] > before[2] + 0.05  # yellow fades toward pale grey


def test_contrast_whitens_where_the_dye_reaches_and_greys_the_rest() -> None:
    dyed = _mean("nucleus-tract", "ruptured", contrast=1.0)
    assert np.allclose(dyed, DYE, atol=0.02)
    plain, greyed = _mean("annulus", "ruptured"), _mean("annulus", "ruptured", contrast=1.0)
    assert greyed.mean() < plain.mean() - 0.2 and np.ptp(greyed) < 0.08
    circumferential = PARAMS.update({"fissure.type": "circumferential"})
    fissure = build_surfaces("ruptured", circumferential)["fissure"]
    colours = point_colours("fissure", fissure, circumferential, 1.0).mean(axis=0) / 255
    assert colours.mean() < 0.5  # a delamination does not fill from the nucleus


def test_the_herniated_material_is_the_nucleus_gel_and_the_pressed_root_turns_red() -> None:
    assert MATERIALS["herniation"].color == MATERIALS["nucleus"].color
    assert np.allclose(_mean("herniation", "herniated"), _mean("nucleus", "herniated"), atol=0.02)
    roots = build_surfaces("herniated", PARAMS)["nerve-roots"]
    colours = point_colours("nerve-roots", roots, PARAMS) / 255
    inflamed = roots.point_data["inflamed"] > 0.9
    assert inflamed.any()
    red, rest = colours[inflamed].mean(axis=0), colours[~inflamed].mean(axis=0)
    assert red[0] > red[1] + 0.3 and red[0] > red[2] + 0.3  # red, not yellow
    assert rest[1] > rest[2] + 0.3  # the other roots stay nerve yellow
