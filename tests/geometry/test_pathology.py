"""The pathology's guarantees (docs/pathology.md), over the parameter ranges of every preset:
the gel is one piece with the nucleus, the Dallas grade decides how deep the tear runs and how
far it spreads, ingrown nerves reach the inner third, native ones stay in the outer third, and
the repaired tear is filled by annulus and scar.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from discviz.geometry import Params, build_surfaces
from discviz.geometry.disc.annulus import DiscLayout, annulus_xyz, lamella_sections, wall_indices
from discviz.geometry.pathology.grades import dallas_of
from discviz.geometry.pathology.lesions import Pathology, Phase
from discviz.geometry.surface import Surface
from tests.geometry.measure import angles, component_points, ray_shares
from tests.geometry.meshcheck import winding_number
from tests.geometry.strategies import params

radial = params().map(lambda p: p.update({"fissure.type": "radial"}))


def _shares(path: Pathology, points: np.ndarray) -> np.ndarray:
    return ray_shares(path.layout, points)


def _component(surface: Surface, index: int = 0) -> np.ndarray:
    return component_points(surface, index)


def _beyond_annulus(path: Pathology, phase: Phase, points: np.ndarray) -> np.ndarray:
    """Mm each point lies outside the annulus' outer surface (the outermost lamella's outer
    wall, as moved at ``phase``) at its angle and height; negative inside it.
    """
    layout = path.layout
    theta = np.radians(_angles(points))
    outer_wall = np.asarray(wall_indices(layout.frame.n_profile)[0])
    wall = lamella_sections(layout, layout.n_lamellae - 1, theta, path.shift(phase))[:, outer_wall]
    radius = np.hypot(wall[..., 0], wall[..., 1])
    surface = np.array([np.interp(p[2], w[:, 2], r) for p, w, r in zip(points, wall, radius, strict=True)])
    return np.hypot(points[:, 0], points[:, 1]) - surface


def _angles(points: np.ndarray) -> np.ndarray:
    return angles(points)


def _spread(angles: np.ndarray, centre: float) -> float:
    """Degrees the angles span around ``centre``."""
    off = (angles - centre + 180) % 360 - 180
    return float(off.max() - off.min())


@settings(max_examples=20, deadline=None)
@given(radial)
def test_nucleus_material_is_one_piece_with_the_nucleus(p: Params) -> None:
    parts = build_surfaces("ruptured", p)
    tract, nucleus = parts["nucleus-tract"], parts["nucleus"]
    path = Pathology(DiscLayout(p))
    channel = _component(tract)
    deepest = channel[np.argsort(_shares(path, channel))[:40]]
    assert any(winding_number(nucleus, point) > 0.5 for point in deepest), \
        "the gel in the tear does not reach into the nucleus"
    # and the same piece runs out along the tear
    depth = path.site.depth
    assert _shares(path, channel).max() >= 0.6 * min(depth, 0.9) - 0.02


@settings(max_examples=8, deadline=None)
@given(radial, st.integers(1, 5))
def test_fissure_depth_and_spread_match_the_dallas_grade(p: Params, grade: int) -> None:
    p = p.update({"fissure.grade": grade})
    parts = build_surfaces("ruptured", p)
    path = Pathology(DiscLayout(p))
    torn = Phase.of("ruptured", 1.0)
    lamella = float(np.diff(path.site.bounds, axis=1).max())  # a tear runs through whole lamellae
    depth = _shares(path, _component(parts["fissure"])).max()  # along the ray through the tear
    gel = parts["nucleus-tract"].points
    tract = _shares(path, gel)
    outermost = gel[np.argsort(tract)[-30:]]
    if grade == 1:
        assert 0.0 < depth <= 1 / 3 + lamella
    elif grade == 2:
        assert 1 / 3 < depth <= 2 / 3 + lamella
    elif grade in (3, 4):
        assert 2 / 3 < depth < 1.0, depth
        assert _beyond_annulus(path, torn, outermost).max() < 0.0, "nucleus material leaks at grade 3 or 4"
    else:
        assert depth >= 1.0 - 0.04
        assert _beyond_annulus(path, torn, outermost).max() > 1.0, "no nucleus material outside the annulus"
    fissure = parts["fissure"].points
    outer = fissure[_shares(path, fissure) > 2 / 3]
    position = p.f("fissure.position")
    if grade == 4:
        assert _spread(_angles(outer), position) > 30
    elif grade == 3:
        outer = np.concatenate([outer, gel[tract > 2 / 3]])
        assert _spread(_angles(outer), position) <= 30


def test_each_grade_looks_different_from_its_neighbours() -> None:
    shapes = []
    for grade in range(6):
        parts = build_surfaces("ruptured", Params({"fissure.grade": grade, "quality": "low"}))
        points = np.concatenate([parts["fissure"].points, parts["nucleus-tract"].points])
        shapes.append(np.ptp(points, axis=0))
    for before, after in itertools.pairwise(shapes):
        assert np.abs(after - before).max() > 0.5, "two neighbouring grades have the same extent"


@settings(max_examples=20, deadline=None)
@given(params())
def test_ingrown_nerves_reach_the_inner_third_and_native_ones_stay_outside_it(p: Params) -> None:
    parts = build_surfaces("nerve-ingrowth", p)
    path = Pathology(DiscLayout(p))
    nerves = _shares(path, parts["nerve-endings"].points)
    reach = p.f("nerves.reach")
    deepest = path.nerves.deepest
    assert nerves.min() <= deepest + 0.03, "no ingrown ending reaches as far as nerves.reach"
    assert nerves.min() >= 0.0, "an ingrown ending enters the nucleus"
    if reach >= 0.7:
        assert nerves.min() < 1 / 3, "ingrown endings stop short of the inner third"
    native = _shares(path, parts["native-nerves"].points)
    assert native.min() >= 2 / 3 - 0.1 / path.site.thickness, "a native ending lies inside the outer third"


@settings(max_examples=15, deadline=None)
@given(radial)
def test_the_repaired_tear_is_filled_by_annulus_and_scar(p: Params) -> None:
    parts = build_surfaces("repaired", p)
    path = Pathology(DiscLayout(p))
    site, tear = path.site, path.tear
    gaps = tear.full  # where the tear was open
    lamellae = np.array([i for i in site.stations_lamellae if i in gaps])
    centre = np.array([gaps[i].centre + (gaps[i].plus - gaps[i].minus) / 2 for i in lamellae])
    share = site.bounds_at(centre, lamellae).mean(axis=1)  # the middle of each lamella there
    probes = np.concatenate([annulus_xyz(path.layout, centre, share, np.full(len(share), z), lamellae)
                             for z in (-0.5, 0.0, 0.5)])
    for point in probes:
        filled = max(winding_number(parts["annulus"], point), winding_number(parts["repair"], point))
        assert filled > 0.5, f"the former tear is open at {point.round(2)}"


def test_the_grade_decides_depth_and_spread() -> None:
    dallas = dallas_of(Params({"fissure.grade": 4}))
    assert 2 / 3 < dallas.depth < 1 and np.degrees(2 * dallas.spread) > 30 and not dallas.leak
    assert dallas_of(Params({"fissure.grade": 5})).leak
    assert dallas_of(Params({"fissure.depth": 0.5})).grade == 2  # no grade: the depth decides
