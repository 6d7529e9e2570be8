"""The geometric guarantees of docs/structures-and-parameters.md, over the full parameter ranges
of every preset."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import example, given, settings

from discviz.geometry import Params, build_surfaces
from discviz.geometry.disc.annulus import OUTER_BULGE, DiscLayout
from discviz.geometry.instruments.operation import INSTRUMENTS
from discviz.geometry.instruments.trajectory import ApproachError, check_approach
from discviz.geometry.pathology.herniation import herniated_params
from discviz.geometry.pathology.lesions import Pathology, Phase
from discviz.geometry.presets import load_preset
from discviz.geometry.structures import ALLOWED_OVERLAPS, ANY_STATE, STATE_STRUCTURES, STATES, STRUCTURES
from tests.geometry.measure import angles, component_points, ray_shares
from tests.geometry.meshcheck import (
    assert_rebuilt_identically,
    component_volumes,
    is_closed_manifold,
    points_inside,
    triangle_quality,
)
from tests.geometry.strategies import examples, params

#: the instruments and the skin they go through: their designed overlaps (the probe and forceps in
#: the scope's channel, the cannula through the skin, the probe in the tear) and their clearance
#: of bone, roots and sac are tested in test_instruments.py, over drawn parameters too
TOOLS = frozenset((*INSTRUMENTS, "skin"))


#: A circumferential fissure in a tall L4-L5-sized disc at low quality (hypothesis found it).
FOUND = Params({
    "disc.width": 47.0, "disc.depth": 32.9, "disc.height_anterior": 11.0, "disc.height_posterior": 8.0,
    "endplate.concavity_lower": 0.7, "nerves.reach": 0.7, "fissure.type": "circumferential",
    "fissure.position": 160.0, "fissure.depth": 0.125, "quality": "low",
})

#: A full-depth rim lesion at the front midline (hypothesis found it): its wedge has no point
#: on its centre line (its sections' sides pair up; the line runs through its middle).
FRONT_RIM = load_preset("L3-L4").update({"fissure.type": "rim", "fissure.position": 0.0,
                                         "fissure.depth": 1.0, "quality": "low"})


def check_surfaces(parts: dict) -> None:
    for name, surface in parts.items():
        assert np.isfinite(surface.points).all(), name
        assert surface.faces.min() >= 0 and surface.faces.max() < surface.n_points, name
        assert is_closed_manifold(surface), f"{name} is not a closed manifold"
        volumes = component_volumes(surface)
        assert (volumes > 0).all(), f"{name}: a component faces inward ({volumes.min():g})"
        assert triangle_quality(surface).min() > 1e-5, f"{name} has a degenerate triangle"


def expected_structures(state: str, p: Params) -> tuple[str, ...]:
    """The state's structures and, while ``instruments.insertion`` > 0, the operation's
    (docs/operation.md: in any state), in drawing order.
    """
    present = set(STATE_STRUCTURES[state])
    if p.f("instruments.insertion") > 0:
        present |= set(ANY_STATE)
    return tuple(name for name in STRUCTURES if name in present)


def no_approach(p: Params, state: str) -> str | None:
    """The planner's words when instruments are in but no path reaches the disc in ``state``
    (the herniated state's path also clears the root and sac the herniation moves), else None.
    """
    if p.f("instruments.insertion") <= 0:
        return None
    try:
        if state == "herniated":
            check_approach(herniated_params(p), herniated=True)
        else:
            check_approach(p)
    except ApproachError as error:
        return str(error)
    return None


# found by HYPOTHESIS_PROFILE=explore: instruments in (any state has them while inserted)
@example(load_preset("L3-L4").update({"instruments.insertion": 1.0, "quality": "low"}))
# a low L3-L4 segment: the extrusion's neck both on the annulus' wall and at the bodies' height
@example(load_preset("L3-L4").update({"vertebra.height": 15.0, "quality": "low"}))
@settings(max_examples=examples(15))
@given(params())
def test_every_structure_is_closed_manifold_outward_and_clean(p: Params) -> None:
    for state in STATES:
        refused = no_approach(p, state)
        if refused is not None:  # the planner says why, in every state
            with pytest.raises(ApproachError) as caught:
                build_surfaces(state, p)
            assert str(caught.value) == refused
            continue
        parts = build_surfaces(state, p)
        assert tuple(parts) == expected_structures(state, p)
        check_surfaces(parts)


@settings(max_examples=examples(10))
@given(params())
def test_transitions_keep_topology_and_stay_clean(p: Params) -> None:
    for state in STATES[1:]:
        frames = [build_surfaces(state, p, t) for t in (0.0, 0.3, 0.7, 0.99)]
        for name in frames[0]:
            faces = [f[name].faces for f in frames]
            counts = {f[name].n_points for f in frames}
            assert len(counts) == 1, f"{state}/{name}: point count changes during the transition"
            assert all(np.array_equal(faces[0], other) for other in faces[1:]), f"{state}/{name}"
        for frame in frames[1:]:
            for name, surface in frame.items():
                assert np.isfinite(surface.points).all()
                assert is_closed_manifold(surface), f"{state}/{name}"


# found by HYPOTHESIS_PROFILE=explore: the slab's walls must follow the lamella mesh's chords
@example(FOUND.update({"annulus.lamellae": 21, "nucleus.offset": 2.0, "fissure.depth": 0.8}))
# a 1.5 mm posterior annulus: nerves bent along the lamellae, a thinner granulation sheath
@example(FOUND.update({"disc.depth": 25.0, "nucleus.offset": 3.0, "nucleus.hydration": 0.0,
                       "fissure.type": "radial", "fissure.depth": 0.8}))
# a rim lesion on a coarse (low) grid: the torn lamellae's mesh stands above their smooth sunk
# edge between its angles, and the wedge fitted to the smooth edge cut into it
@example(load_preset("L3-L4").update({"disc.width": 35.0, "fissure.type": "rim", "fissure.depth": 0.5,
                                      "quality": "low"}))
@settings(max_examples=examples(25))
@given(params())
def test_structures_do_not_overlap_beyond_the_story(p: Params) -> None:
    checked: set[tuple[int, int]] = set()  # static structures are the same surfaces in every state
    alive = []  # keep every state's surfaces alive, so that an id is never reused
    for state in STATES:
        parts = build_surfaces(state, p)
        alive.append(parts)
        for a, b in itertools.permutations(parts, 2):
            if frozenset((a, b)) in ALLOWED_OVERLAPS or {a, b} & TOOLS:
                continue
            pair = (id(parts[a]), id(parts[b]))
            if pair in checked:
                continue
            checked.add(pair)
            inside = points_inside(parts[a], parts[b])
            assert inside == 0, f"{state}: {inside} points of {a} inside {b}"


@settings(max_examples=30)
@given(params())
def test_annulus_carries_exactly_the_lamella_ids(p: Params) -> None:
    annulus = build_surfaces("nerve-ingrowth", p)["annulus"]
    ids = np.unique(annulus.cell_data["lamella"])
    assert ids.tolist() == list(range(1, int(p["annulus.lamellae"]) + 1))
    assert set(np.unique(annulus.cell_data["fibre_sign"])) == {-1.0, 1.0}


def _line_shares(p: Params, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Angle (deg) and share along the fissure's own inner-to-outer line (radial, rim, nerves)."""
    path = Pathology(DiscLayout(p))
    share = (points[:, :2] - path.site.p_in) @ path.site.outward / path.site.thickness
    angle = np.degrees(np.mod(np.arctan2(points[:, 0], -points[:, 1]), 2 * np.pi))
    return angle, share


def _angle_diff(a: np.ndarray, b: float) -> np.ndarray:
    return np.abs((a - b + 180) % 360 - 180)


@example(FOUND)  # a wide delamination near the nucleus: its middle lies well outside the depth
@example(FRONT_RIM)
@settings(max_examples=30)
@given(params())
def test_fissure_lies_at_its_position_and_depth(p: Params) -> None:
    fissure = build_surfaces("ruptured", p)["fissure"]
    centre = fissure.points.mean(axis=0)
    angle, share = _line_shares(p, fissure.points)
    path = Pathology(DiscLayout(p))
    centre_angle = np.degrees(np.mod(np.arctan2(centre[0], -centre[1]), 2 * np.pi))
    assert _angle_diff(np.array([centre_angle]), p.f("fissure.position"))[0] <= 10
    depth = path.site.depth  # fissure.depth, or the depth of the Dallas grade when one is set
    kind = p["fissure.type"]
    if kind == "radial":  # from the nucleus out to the depth, through whole lamellae
        channel = ray_shares(path.layout, component_points(fissure))
        lamella = float(np.diff(path.site.bounds, axis=1).max())
        assert channel.min() <= 0.05
        assert -0.05 <= channel.max() - depth <= lamella + 0.05
    elif kind == "circumferential":  # a delamination at the depth, opening outward from it
        spacing = float(np.diff(path.site.bounds[:, 1]).max())  # one lamella at the position
        near = _angle_diff(angle, p.f("fissure.position")) <= 2  # where the line measure holds
        bulge = OUTER_BULGE / path.site.thickness  # the slab follows the wall's mid-height bulge
        boundary = path.site.bounds[path.site.delamination_boundary, 1]
        # between complete lamellae: the nearest such boundary may be a few lamellae away
        assert abs(boundary - depth) <= 3 * spacing + 0.05
        # its inner face at that boundary; the slab is up to fissure.width thick outward
        assert boundary - 0.05 <= share[near].min() <= boundary + 0.05 + bulge
        assert share[near].max() <= boundary + p.f("fissure.width") / path.site.thickness + 0.05 + bulge
    else:  # rim: from the outer edge inward, across its own line
        beside = (fissure.points[:, :2] - path.site.p_in) @ path.site.tangent
        assert beside.min() < 0.0 < beside.max()
        # like the cleft, the wedge follows the lamellae: its depth on each point's own ray
        wedge = ray_shares(path.layout, fissure.points)
        assert wedge.max() >= 0.95
        assert abs(wedge.min() - (1 - max(0.15, depth / 3))) <= 0.05


@settings(max_examples=30)
@given(params())
def test_nerve_endings_follow_the_fissure_and_reach(p: Params) -> None:
    parts = build_surfaces("nerve-ingrowth", p)
    path = Pathology(DiscLayout(p))
    # like the cleft, the endings are bent along the lamellae: depth on each point's own ray
    points = parts["nerve-endings"].points
    share = ray_shares(path.layout, points)
    assert _angle_diff(angles(points), p.f("fissure.position")).max() <= 15
    thickness = path.site.thickness
    shift = path.shift(Phase.of("nerve-ingrowth", 1.0))  # a volcano or a delamination domes the surface
    around = np.radians(p.f("fissure.position") + np.linspace(-20, 20, 81))
    dome = float(shift.dome[1](around).max()) if shift.dome is not None else 0.0
    assert share.max() <= 1 + (0.3 + dome) / thickness  # from the surface
    deepest = path.nerves.deepest
    assert share.min() >= deepest - 0.05
    assert share.min() <= 1 - 0.5 * p.f("nerves.reach")  # they do grow in
    native_share = ray_shares(path.layout, parts["native-nerves"].points)
    assert native_share.min() >= 0.6  # native endings: the outer third only (with branch slack)


@settings(max_examples=10)
@given(params())
def test_same_parameters_give_identical_meshes(p: Params) -> None:
    assert_rebuilt_identically("nerve-ingrowth", p, 0.6)


def test_a_transition_starts_where_the_previous_state_ends() -> None:
    p = Params({"quality": "low"})
    start = build_surfaces("ruptured", p, 0.0)
    assert np.ptp(start["fissure"].points, axis=0).min() < 0.5  # a stub, not yet a tear
    end = build_surfaces("repaired", p, 1.0)
    assert "nerve-endings" not in end and "repair" in end
    leaving = build_surfaces("repaired", p, 0.5)
    assert {"nerve-endings", "inflammation", "fissure", "nucleus-tract", "repair"} <= set(leaving)


def test_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown state 'torn'"):
        build_surfaces("torn", Params())
