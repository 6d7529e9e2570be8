"""The herniated state's guarantees (docs/pathology.md, "The herniated state"): the material
comes out of the annulus through its tear (one piece with the gel in it, or a separate
fragment), presses on the right root for its position (Fardon 2014), touches that root
without entering it, pushes it aside, and stays out of bone; the root stays out of bone too.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discviz.geometry import Params, build_surfaces
from discviz.geometry.model import _herniated
from discviz.geometry.pathology.herniation import Herniation, herniated_params, pressed_root
from discviz.geometry.pathology.phase import Phase
from discviz.geometry.presets import PRESET_NAMES, load_preset
from discviz.geometry.report import Report, derive, report_params
from discviz.geometry.segment.build import layout_of
from discviz.geometry.structures import STATE_STRUCTURES, previous_state
from discviz.geometry.surface import Surface
from tests.geometry.meshcheck import (
    assert_rebuilt_identically,
    components,
    points_inside,
    signed_distance,
    winding_number,
)

TYPES = ("protrusion", "extrusion", "sequestration")
BONES = ("vertebra-upper", "vertebra-lower", "facet-joints")


@st.composite
def herniations(draw: st.DrawFn) -> Params:
    """A preset with a herniation of any type anywhere around the disc."""
    base = load_preset(draw(st.sampled_from(PRESET_NAMES)))
    return base.update({
        "herniation.type": draw(st.sampled_from(TYPES)),
        "herniation.position": draw(st.floats(0.0, 360.0, allow_nan=False)),
        "fissure.position": draw(st.floats(0.0, 360.0, allow_nan=False)),
        "quality": "low",
    })


def _herniation(p: Params) -> Herniation:
    build_surfaces("herniated", p)
    return _herniated(herniated_params(p)).herniation


def _root_points(roots: Surface, name: str) -> np.ndarray:
    return roots.points[np.unique(roots.faces[roots.cell_data["root"] == name])]


def _cloud(points: np.ndarray) -> Surface:
    return Surface(points, np.zeros((0, 3), np.int64))


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.min(np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1)))


@settings(max_examples=12, deadline=None)
@given(herniations())
def test_the_material_comes_out_of_the_annulus_through_its_tear(p: Params) -> None:
    parts = build_surfaces("herniated", p)
    gel = parts["herniation"]
    h = _herniation(p)
    # outside the annulus, but for the base in the tear (within a few mm of where it comes out)
    away = gel.points[np.linalg.norm(gel.points - h.exit, axis=1) > 3.0 + 0.5 * h.width]
    assert points_inside(_cloud(away), parts["annulus"]) == 0
    tract = parts["nucleus-tract"]
    if p["herniation.type"] == "sequestration":  # a fragment with no continuity to the disc
        assert len(np.unique(components(gel))) == 1
        assert _distance(gel.points, parts["annulus"].points) >= 1.0
        assert _distance(gel.points, tract.points) >= 1.0
    else:  # one piece with the gel in the tear (itself one piece with the nucleus)
        assert points_inside(tract, gel) + points_inside(gel, tract) > 0
        assert (np.linalg.norm(gel.points[:, :2], axis=1) > np.linalg.norm(h.exit[:2]) + 2.0).any()


@settings(max_examples=12, deadline=None)
@given(herniations())
def test_the_material_presses_on_its_root_without_entering_it(p: Params) -> None:
    parts = build_surfaces("herniated", p)
    healthy = build_surfaces("ruptured", p)["nerve-roots"]
    gel, roots = parts["herniation"], parts["nerve-roots"]
    name = _herniation(p).root_name
    pressed = _root_points(roots, name)
    assert points_inside(gel, roots) == 0
    assert points_inside(roots, gel) == 0
    assert _distance(gel.points, pressed) <= 0.5  # touching
    moved = np.linalg.norm(pressed - _root_points(healthy, name), axis=1)
    assert moved.max() >= 1.5  # pushed aside, visibly
    others = roots.cell_data["root"] != name
    still = np.unique(roots.faces[others])
    assert np.array_equal(roots.points[still], healthy.points[still])
    inflamed = roots.point_data["inflamed"]
    assert inflamed[np.unique(roots.faces[~others])].max() == pytest.approx(1.0)
    assert inflamed[still].max() == 0.0


@settings(max_examples=10, deadline=None)
@given(herniations())
def test_neither_the_material_nor_the_pushed_root_goes_into_bone(p: Params) -> None:
    parts = build_surfaces("herniated", p)
    for bone in BONES:
        assert points_inside(parts["herniation"], parts[bone]) == 0, bone
        assert points_inside(parts[bone], parts["herniation"]) == 0, bone
        assert points_inside(parts["nerve-roots"], parts[bone]) == 0, bone


@pytest.mark.parametrize(("level", "position", "fissure", "root"), [
    ("L4-L5", 160.0, 160.0, "L5-left"),  # left paracentral: the traversing root
    ("L4-L5", 200.0, 160.0, "L5-right"),
    ("L4-L5", 130.0, 160.0, "L4-left"),  # left foraminal: the exiting root
    ("L4-L5", 255.0, 160.0, "L4-right"),  # right extraforaminal
    ("L4-L5", 180.0, 200.0, "L5-right"),  # central: the side the tear leans to
    ("L4-L5", 180.0, 180.0, "L5-left"),
    ("L5-S1", 160.0, 160.0, "S1-left"),
    ("L5-S1", 130.0, 160.0, "L5-left"),
    ("L3-L4", 200.0, 160.0, "L4-right"),
])
def test_the_position_decides_the_root(level: str, position: float, fissure: float, root: str) -> None:
    p = load_preset(level).update({"herniation.position": position, "fissure.position": fissure,
                                   "quality": "low"})
    assert pressed_root(p, tuple(level.split("-"))) == root  # type: ignore[arg-type]
    roots = build_surfaces("herniated", p)["nerve-roots"]
    hot = np.isin(roots.faces, np.flatnonzero(roots.point_data["inflamed"] > 0)).any(axis=1)
    names = set(roots.cell_data["root"][hot])
    assert names == {root}


def test_the_material_presses_the_dural_sac_in_at_a_paracentral_herniation() -> None:
    p = Params({"quality": "low", "herniation.position": 165.0, "herniation.type": "extrusion"})
    before = build_surfaces("ruptured", p)["dural-sac"]
    after = build_surfaces("herniated", p)["dural-sac"]
    assert np.array_equal(before.faces, after.faces)
    assert np.linalg.norm(after.points - before.points, axis=1).max() >= 1.0
    assert points_inside(build_surfaces("herniated", p)["herniation"], after) == 0


@pytest.mark.parametrize("kind", ["protrusion", "extrusion"])
@pytest.mark.parametrize("position", [180.0, 160.0, 130.0, 230.0])  # central, paracentral, foraminal
@pytest.mark.parametrize("level", ["L4-L5", "L5-S1"])
def test_the_sac_is_indented_where_the_material_meets_it_never_dragged_across_it(
        level: str, position: float, kind: str) -> None:
    """The gel presses the sac's wall in as far as it reaches into the sac (and the sleeve
    along with the root it wraps): a foraminal herniation heading out away from the canal must
    not pull the sac's wall across itself into the foramen.
    """
    p = load_preset(level).update({"quality": "low", "herniation.position": position,
                                   "herniation.type": kind})
    parts = build_surfaces("herniated", p)
    healthy, sac = build_surfaces("ruptured", p)["dural-sac"], parts["dural-sac"]
    gel = parts["herniation"]
    assert points_inside(gel, sac) == 0 and points_inside(sac, gel) == 0  # touches, does not enter
    # how far the gel reaches into the healthy sac along the push: back along it from each of
    # its points inside the sac, to where it comes out of the sac
    push = _herniation(p).full.push
    steps = np.arange(0.0, 16.0, 0.2)
    probe = gel.points[:, None, :] - steps[None, :, None] * push
    inside = signed_distance(healthy, probe.reshape(-1, 3)).reshape(probe.shape[:2]) < 0.0
    reach = float(np.where(inside[:, 0], steps[np.argmin(inside, axis=1)], 0.0).max())
    moved = np.linalg.norm(sac.points - healthy.points, axis=1)
    assert moved.max() <= reach + 2.0  # the wall goes before the gel as far as it reaches, no further
    _assert_not_dragged_into_the_foramen(p, healthy, sac)


@pytest.mark.parametrize("position", [180.0, 160.0, 130.0, 230.0])
@pytest.mark.parametrize("level", ["L4-L5", "L5-S1"])
def test_a_sequestered_fragment_indents_the_sac_and_stays_out_of_it(level: str, position: float) -> None:
    """A fragment migrates from the tear to the root: the sac's wall it meets on its way goes
    before it (a central one used to sit inside the sac, its wall left behind the fragment's back).
    """
    p = load_preset(level).update({"quality": "low", "herniation.position": position,
                                   "herniation.type": "sequestration"})
    parts = build_surfaces("herniated", p)
    healthy, sac = build_surfaces("ruptured", p)["dural-sac"], parts["dural-sac"]
    gel = parts["herniation"]
    assert points_inside(gel, sac) == 0 and points_inside(sac, gel) == 0
    assert max(winding_number(sac, q) for q in gel.points) < 0.5  # exact: not a point of it inside
    moved = np.linalg.norm(sac.points - healthy.points, axis=1)
    if position in (180.0, 160.0):  # in front of the sac: its wall is pressed in
        assert moved.max() >= 1.0
        assert _distance(sac.points[moved > 0.5], gel.points) <= 1.0  # where the fragment lies
    _assert_not_dragged_into_the_foramen(p, healthy, sac)


def _assert_not_dragged_into_the_foramen(p: Params, healthy: Surface, sac: Surface) -> None:
    """No point of the sac ends in the foramen (lateral of the pedicles' medial walls) that did
    not lie there (a sleeve's end) before; the pressed root's sleeve goes a little with it.
    """
    layout = layout_of(p)
    pedicle = min(layout.upper.pedicle_medial_x, layout.lower.pedicle_medial_x)
    outward = np.abs(sac.points[:, 0]) - np.maximum(np.abs(healthy.points[:, 0]), pedicle)
    assert outward.max() <= 2.0


@pytest.mark.parametrize("kind", TYPES)
def test_the_types_keep_to_their_definitions(kind: str) -> None:
    """Fardon 2014: a protrusion's dome is never wider than its base; an extrusion is wider
    than its neck; a sequestration has no continuity with the disc.
    """
    p = Params({"quality": "low", "herniation.type": kind, "herniation.position": 160.0})
    h = _herniation(p)
    sections = h.full.sections
    tangent = np.gradient(sections.mean(axis=1), axis=0)
    side = np.cross([0.0, 0.0, 1.0], tangent)
    side /= np.linalg.norm(side, axis=1, keepdims=True)
    widths = np.ptp(np.einsum("skc,sc->sk", sections, side), axis=1)  # each across its own path
    outside = widths[3:]  # the first sections lie in the tear
    if kind == "protrusion":
        assert outside.max() <= outside[0] + 1e-6
    elif kind == "extrusion":
        assert outside.max() >= 2.0 * outside[0]
    else:
        assert _distance(sections.reshape(-1, 3), h.exit[None]) >= 2.0


def test_the_transition_pushes_out_with_constant_topology() -> None:
    assert previous_state("herniated") == "ruptured"
    assert set(STATE_STRUCTURES["herniated"]) >= {"herniation", "nerve-roots", "dural-sac"}
    p = Params({"quality": "low"})
    frames = [build_surfaces("herniated", p, t) for t in (0.0, 0.2, 0.5, 0.8, 1.0)]
    for name in frames[0]:
        assert all(np.array_equal(frames[0][name].faces, f[name].faces) for f in frames), name
        assert len({f[name].n_points for f in frames}) == 1, name
    reach = [float(np.linalg.norm(f["herniation"].points[:, :2], axis=1).max()) for f in frames]
    assert all(a < b for a, b in itertools.pairwise(reach[1:]))  # it comes out
    name = _herniation(p).root_name
    moved = [np.abs(_root_points(f["nerve-roots"], name) - _root_points(frames[0]["nerve-roots"], name)).max()
             for f in frames]
    assert moved[0] == 0.0 and moved[-1] > moved[3] > 0.0  # the root is pushed aside as it comes
    assert Phase.of("herniated", 0.0).herniation == 0.0 and Phase.of("herniated", 1.0).herniation == 1.0


def test_same_parameters_give_identical_herniations() -> None:
    p = Params({"quality": "low", "herniation.type": "sequestration", "herniation.position": 130.0})
    assert_rebuilt_identically("herniated", p, 0.7)


def test_the_pushed_root_lies_outside_the_material_by_winding_number() -> None:
    """Ray casting can be fooled near a flattened face: the exact winding number settles it."""
    p = Params({"quality": "low", "herniation.type": "extrusion", "herniation.position": 160.0})
    parts = build_surfaces("herniated", p)
    pressed = _root_points(parts["nerve-roots"], _herniation(p).root_name)
    near = pressed[np.linalg.norm(pressed - parts["herniation"].points.mean(axis=0), axis=1) < 8.0]
    assert len(near) > 10
    assert max(winding_number(parts["herniation"], q) for q in near) < 0.5


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("zone", ["paracentral", "foraminal", "extraforaminal"])
def test_a_patients_report_presses_the_root_its_words_name(side: str, zone: str) -> None:
    """The patient panel's herniation (side and zone) -> parameters -> the root that is pressed
    and inflamed: the traversing one for paracentral, the exiting one further out (Fardon 2014).
    """
    level = load_preset("L4-L5").update({"quality": "low"})
    report = Report(level="L4-L5", herniation="protrusion", herniation_side=side, herniation_zone=zone)
    p = derive(level, report_params(report, level))
    roots = build_surfaces("herniated", p)["nerve-roots"]
    hot = np.isin(roots.faces, np.flatnonzero(roots.point_data["inflamed"] > 0)).any(axis=1)
    expected = ("L5" if zone == "paracentral" else "L4") + f"-{side}"
    assert set(roots.cell_data["root"][hot]) == {expected}
