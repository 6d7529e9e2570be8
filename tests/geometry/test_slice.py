"""The synthetic T2 slice: pixel probes placed with the slice's own origin and scale."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discviz.geometry import build_surfaces
from discviz.geometry.disc.annulus import DiscLayout
from discviz.geometry.imaging.section import Grid, Plane, inside
from discviz.geometry.imaging.t2 import SliceImage, t2_slice
from discviz.geometry.presets import load_preset
from discviz.geometry.report import derive
from tests.geometry.meshcheck import winding_number

FAST = {"quality": "low"}


def probe(image: SliceImage, point, radius_mm: float = 0.6) -> float:
    """Mean signal in a small disc of pixels around a world point on the slice."""
    x, y = image.pixel_of(np.asarray(point, dtype=float))
    r = max(radius_mm / image.mm_per_px, 1.0)
    rows, cols = np.mgrid[0:image.pixels.shape[0], 0:image.pixels.shape[1]]
    near = (cols + 0.5 - x) ** 2 + (rows + 0.5 - y) ** 2 <= r * r
    assert near.any(), f"{point} is outside the picture"
    return float(image.pixels[near].mean())


def annulus_point(params, angle: float, share: float) -> np.ndarray:
    """A point at ``share`` of the annulus thickness from the nucleus, at ``angle``, mid-height."""
    layout = DiscLayout(params)
    phi = np.radians([angle])
    inner, outer = layout.inner_xy(phi)[0], layout.outer_xy(phi)[0]
    xy = inner + share * (outer - inner)
    return np.array([xy[0], xy[1], 0.0])


@pytest.mark.parametrize("plane", ["sagittal", "axial"])
def test_the_nucleus_is_bright_in_pfirrmann_1_and_not_in_5(plane: str) -> None:
    for grade, brighter in ((1, True), (5, False)):
        params = derive(load_preset("L4-L5").update(FAST), {"disc.pfirrmann": grade})
        image = t2_slice(params, "healthy", plane=plane)
        nucleus = probe(image, [0.0, 0.0, 0.0], 2.0)
        anterior_annulus = probe(image, annulus_point(params, 0.0, 0.6), 0.6)
        if brighter:
            assert nucleus > anterior_annulus + 0.4, (grade, nucleus, anterior_annulus)
        else:
            assert nucleus < anterior_annulus + 0.05, (grade, nucleus, anterior_annulus)


@settings(max_examples=8)
@given(angle=st.floats(145.0, 215.0), preset=st.sampled_from(["L3-L4", "L4-L5", "L5-S1"]))
def test_a_high_intensity_zone_is_a_bright_spot_at_the_tear(angle: float, preset: str) -> None:
    base = load_preset(preset).update(FAST)
    values = {"fissure.position": angle, "fissure.grade": 3}
    with_hiz = t2_slice(derive(base, {**values, "fissure.hiz": True}), "ruptured", plane="axial")
    without = t2_slice(derive(base, {**values, "fissure.hiz": False}), "ruptured", plane="axial")
    params = derive(base, values)
    spot = annulus_point(params, angle, 0.8)
    nucleus = probe(with_hiz, [0.0, 0.0, 0.0], 2.0)
    assert probe(with_hiz, spot, 0.4) > probe(without, spot, 0.4) + 0.25
    assert probe(with_hiz, spot, 0.4) > 0.8 * nucleus  # as bright as the nucleus or brighter
    # elsewhere in the posterior annulus, 40 degrees away, the annulus stays dark
    away = annulus_point(params, angle + (40.0 if angle < 180 else -40.0), 0.6)
    assert probe(with_hiz, away, 0.4) < 0.35


def test_radiological_orientation() -> None:
    params = load_preset("L4-L5").update(FAST)
    sagittal = t2_slice(params, "healthy", plane="sagittal")
    sac = np.array([0.0, 25.0, 0.0])  # the dural sac, behind the disc: bright fluid
    x, y = sagittal.pixel_of(sac)
    assert x > sagittal.origin_px[0] and abs(y - sagittal.origin_px[1]) < 1  # anterior on the left
    assert probe(sagittal, sac, 1.5) > 0.8
    above = sagittal.pixel_of(np.array([0.0, 0.0, 15.0]))
    assert above[1] < sagittal.origin_px[1]  # superior up
    axial = t2_slice(params, "healthy", plane="axial")
    x, y = axial.pixel_of(sac)
    assert y > axial.origin_px[1] and abs(x - axial.origin_px[0]) < 1  # anterior up, posterior down
    assert probe(axial, sac, 1.5) > 0.8
    left = axial.pixel_of(np.array([10.0, 0.0, 0.0]))
    assert left[0] > axial.origin_px[0]  # seen from below: the patient's left on the right
    # a high-intensity zone on the patient's left (angle 150) appears right of the midline
    hiz = t2_slice(params.update({"fissure.hiz": True, "fissure.position": 150.0}), "ruptured", plane="axial")
    spot = annulus_point(params.update({"fissure.position": 150.0}), 150.0, 0.8)
    assert hiz.pixel_of(spot)[0] > axial.origin_px[0] and probe(hiz, spot, 0.4) > 0.6


def test_same_parameters_same_picture() -> None:
    params = load_preset("L5-S1").update({**FAST, "fissure.hiz": True})
    first = t2_slice(params, "nerve-ingrowth", plane="axial")
    second = t2_slice(params, "nerve-ingrowth", plane="axial")
    assert np.array_equal(first.pixels, second.pixels)
    assert first.origin_px == second.origin_px


def test_the_plane_cut_agrees_with_the_winding_number_of_nested_lamellae() -> None:
    params = load_preset("L4-L5").update(FAST)
    annulus = build_surfaces("ruptured", params)["annulus"]
    rng = np.random.default_rng(3)
    for plane in (Plane(np.zeros(3), np.array([0.0, 1, 0]), np.array([0.0, 0, 1])),  # through vertices
                  Plane(np.array([0, 0, 0.37]), np.array([1.0, 0, 0]), np.array([0.0, -1, 0]))):
        grid = Grid(-26.0, -26.0, 0.5, 104, 104)
        mask = inside(annulus, plane, grid)
        u, v = grid.centres()
        # half of the probes inside the annulus, half anywhere
        picks = np.concatenate([rng.choice(np.flatnonzero(mask), 20), rng.choice(mask.size, 20)])
        for index in picks:
            i, j = divmod(int(index), grid.width)
            point = plane.point(u[i, j], v[i, j])
            assert (winding_number(annulus, point) > 0.5) == mask[i, j], point
