"""The motion segment around the disc (docs/segment.md): whole vertebrae, facet joints, dural sac
and nerve roots, over every preset and the parameter ranges. Inside tests use the generalised
winding number: the bone is one shell, but the roots run inside the sac, and ray tests are
fooled by nested shells.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from discviz.geometry import Params, build_surfaces, model
from discviz.geometry.presets import PRESET_NAMES, load_preset
from discviz.geometry.segment.build import layout_of, segment_surfaces
from discviz.geometry.segment.layout import SegmentLayout
from discviz.geometry.segment.roots import root_tube
from discviz.geometry.segment.vertebra import PARTS
from discviz.geometry.surface import Surface
from tests.geometry.meshcheck import component_volumes, is_closed_manifold, triangle_quality
from tests.geometry.strategies import params

BONES = ("vertebra-upper", "vertebra-lower")


def winding(surface: Surface, points: np.ndarray, chunk: int = 64) -> np.ndarray:
    """Generalised winding number of a closed surface around each point (1 inside, 0 outside)."""
    tri = surface.points[surface.faces]
    out = np.empty(len(points))
    for start in range(0, len(points), chunk):
        p = points[start:start + chunk, None, None, :]
        a, b, c = (tri[None, :, i, :] - p[:, :, 0, :] for i in range(3))
        la, lb, lc = (np.linalg.norm(v, axis=-1) for v in (a, b, c))
        det = np.einsum("pfi,pfi->pf", a, np.cross(b, c))
        div = (la * lb * lc + np.einsum("pfi,pfi->pf", a, b) * lc + np.einsum("pfi,pfi->pf", b, c) * la
               + np.einsum("pfi,pfi->pf", c, a) * lb)
        out[start:start + chunk] = (2 * np.arctan2(det, div)).sum(axis=1) / (4 * np.pi)
    return out


def sample(surface: Surface, count: int, seed: int = 0) -> np.ndarray:
    """``count`` of a surface's vertices, spread evenly through its point list."""
    index = np.linspace(0, surface.n_points - 1, min(count, surface.n_points)).astype(int)
    return surface.points[index]


def near(points: np.ndarray, surface: Surface, pad: float = 1.0) -> np.ndarray:
    """The points within the surface's bounding box (the others cannot be inside)."""
    lo, hi = surface.points.min(axis=0) - pad, surface.points.max(axis=0) + pad
    return points[((points >= lo) & (points <= hi)).all(axis=1)]


def preset(name: str, quality: str = "low") -> Params:
    return load_preset(name).update({"quality": quality})


def _check_clean(name: str, surface: Surface) -> None:
    assert np.isfinite(surface.points).all(), name
    assert is_closed_manifold(surface), f"{name} is not a closed manifold"
    volumes = component_volumes(surface)
    assert (volumes > 0).all(), f"{name}: a component faces inward ({volumes.min():g})"
    assert triangle_quality(surface).min() > 1e-5, f"{name} has a degenerate triangle"


@settings(max_examples=6, deadline=None)
@given(params(changed=8))
def test_segment_is_clean_and_soft_tissue_stays_out_of_bone(p: Params) -> None:
    parts = segment_surfaces(p)
    for name, surface in parts.items():
        _check_clean(name, surface)
    upper, lower = parts["vertebra-upper"], parts["vertebra-lower"]
    # no bone in the other bone
    for a, b in ((upper, lower), (lower, upper)):
        candidates = near(sample(a, 600), b)
        if len(candidates):
            assert winding(b, candidates).max() < 0.5, "one vertebra runs into the other"
    # roots, sac and facet joints never inside bone
    for soft in ("nerve-roots", "dural-sac", "facet-joints"):
        points = sample(parts[soft], 300)
        for bone in (upper, lower):
            candidates = near(points, bone)
            if len(candidates):
                inside = winding(bone, candidates)
                assert inside.max() < 0.5, f"{soft} enters bone at {candidates[inside.argmax()]}"


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_parts_and_roots_are_named_for_the_level(name: str) -> None:
    p = preset(name)
    parts = segment_surfaces(p)
    level = str(p["segment.level"])
    upper_name, lower_name = level.split("-")
    for bone in BONES:
        names = set(np.unique(parts[bone].cell_data["part"]))
        assert names == set(PARTS), f"{name}/{bone}: {sorted(names)}"
    roots = set(np.unique(parts["nerve-roots"].cell_data["root"]))
    assert roots == {f"{upper_name}-left", f"{upper_name}-right", f"{lower_name}-left", f"{lower_name}-right"}
    layout = layout_of(p)
    assert layout.lower.sacrum == (lower_name == "S1")
    sides = set(np.unique(parts["facet-joints"].cell_data["side"]))
    assert sides == {"left", "right"}


def _pedicle_points(surface: Surface) -> np.ndarray:
    return surface.points[np.unique(surface.faces[surface.cell_data["part"] == "pedicle"])]


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_roots_run_where_they_should(name: str) -> None:
    p = preset(name)
    layout = layout_of(p)
    parts = segment_surfaces(p)
    roots = parts["nerve-roots"]
    up, low = layout.upper, layout.lower
    for side, sign in (("left", 1.0), ("right", -1.0)):
        exiting = roots.points[np.unique(roots.faces[roots.cell_data["root"] == f"{up.name}-{side}"])]
        traversing = roots.points[np.unique(roots.faces[roots.cell_data["root"] == f"{low.name}-{side}"])]
        x_exit = sign * exiting[:, 0]
        # the exiting root leaves the canal laterally, under the upper pedicle, above the disc's
        # mid-plane, in the foramen (between the pedicles) and goes on beyond the pedicles
        crossing = exiting[np.abs(x_exit - (up.pedicle_medial_x + 3.0)) < 1.5]
        assert len(crossing) > 0
        assert crossing[:, 2].min() > 0.0, f"{name}: exiting root crosses the canal's side below the disc"
        assert crossing[:, 2].max() < up.pedicle_bottom
        assert crossing[:, 2].min() > low.pedicle_top
        assert x_exit.max() > up.pedicle_medial_x + up.pedicle_width + 5.0
        # the traversing root runs down medial to the lower pedicle
        pedicle = _pedicle_points(parts["vertebra-lower"])
        pedicle = pedicle[sign * pedicle[:, 0] > 0]
        quarter = (low.pedicle_top - low.pedicle_bottom) / 4
        band = (low.pedicle_bottom + quarter, low.pedicle_top - quarter)  # the pedicle's middle
        level = traversing[(traversing[:, 2] > band[0]) & (traversing[:, 2] < band[1])]
        assert len(level) > 0, f"{name}: the traversing root does not reach the lower pedicle"
        root_y = level[:, 1].mean()
        beside = np.abs(pedicle[:, 1] - root_y) < 1.5  # the pedicle's wall beside the root
        wall = pedicle[(pedicle[:, 2] > band[0]) & (pedicle[:, 2] < band[1]) & beside]
        assert (sign * level[:, 0]).max() < (sign * wall[:, 0]).min(), f"{name}: root not medial to pedicle"
        assert traversing[:, 2].min() < low.pedicle_bottom  # and on down past it


def _first_hit(surface: Surface, start: np.ndarray, direction: np.ndarray, reach: float,
               inside: bool) -> float:
    """Distance along a ray to the first sample whose inside-ness is ``inside`` (0.25 mm steps)."""
    t = np.arange(0.0, reach, 0.25)
    flags = winding(surface, start + t[:, None] * direction) > 0.5
    hits = np.flatnonzero(flags == inside)
    return float(t[hits[0]]) if len(hits) else np.inf


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_canal_foramen_and_sac_measure_as_published(name: str) -> None:
    p = preset(name, "medium")
    layout: SegmentLayout = layout_of(p)
    parts = segment_surfaces(p)
    up = layout.upper
    bone = parts["vertebra-upper"]
    centre = up.pedicle_centre
    # canal width between the pedicles (Panjabi 1992: 24.3-27.1 mm; CT 22.1-29.6)
    start = np.array([0.0, centre[1], centre[2]])
    width = 2 * _first_hit(bone, start, np.array([1.0, 0.0, 0.0]), 25.0, True)
    assert 21.0 <= width <= 31.0, f"{name}: canal width {width:.1f} mm"
    assert abs(width - up.canal_width) < 2.0
    # canal depth at mid-vertebra, posterior body wall to laminae (Panjabi 1992: 17.5-19.7 mm)
    mid_z = up.world_z(up.wall_y, up.height / 2)
    wall = _first_hit(bone, np.array([0.0, 0.0, mid_z]), np.array([0.0, 1.0, 0.0]), 40.0, False)
    back = _first_hit(bone, np.array([0.0, wall + 0.5, mid_z]), np.array([0.0, 1.0, 0.0]), 40.0, True)
    assert 15.0 <= back + 0.5 <= 23.0, f"{name}: canal depth {back + 0.5:.1f} mm"
    # foramen height: from the lower pedicle up to the upper one (17.5 mm; normal >= 15)
    low = layout.lower
    x = up.pedicle_medial_x + 3.0
    y = up.wall_y + 3.0
    top = _first_hit(bone, np.array([x, y, 0.0]), np.array([0.0, 0.0, 1.0]), 40.0, True)
    floor = _first_hit(parts["vertebra-lower"], np.array([x, y, 0.0]), np.array([0.0, 0.0, -1.0]), 40.0, True)
    height = top + floor
    assert 14.0 <= height <= 24.0, f"{name}: foramen height {height:.1f} mm"
    del low
    # the dural sac's cross-section at the disc (152 +- 54 mm2 in controls)
    sac = parts["dural-sac"]
    step = 0.5
    xs = np.arange(-12.0, 12.0, step)
    ys = np.arange(layout.sac_centre_y - 9.0, layout.sac_centre_y + 9.0, step)
    grid = np.stack(np.meshgrid(xs, ys, indexing="ij"), -1).reshape(-1, 2)
    points = np.column_stack([grid, np.zeros(len(grid))])
    area = float((winding(sac, points, 256) > 0.5).sum() * step * step)
    assert 98.0 <= area <= 206.0, f"{name}: sac area {area:.0f} mm2"


def test_the_segment_is_built_once_per_parameter_set() -> None:
    p = Params({"quality": "low"})
    model.clear_caches()
    first = build_surfaces("healthy", p)
    # a new fissure or nerve count does not rebuild the bone: the same surfaces come back
    other = build_surfaces("nerve-ingrowth", p.update({"fissure.depth": 0.4, "nerves.count": 3}), 0.5)
    for name in ("vertebra-upper", "vertebra-lower", "facet-joints", "nerve-roots", "dural-sac"):
        assert other[name] is first[name], name
    changed = build_surfaces("healthy", p.update({"canal.depth": 16.0}))
    assert changed["vertebra-upper"] is not first["vertebra-upper"]


def test_layout_exposes_landmarks_and_a_bent_root_keeps_its_topology() -> None:
    layout = layout_of(Params({"quality": "low"}))
    root = layout.roots["L5-left"]
    assert root.path.shape == (len(root.radius), 3)
    assert layout.roots["L4-right"].path[0, 0] == -layout.roots["L4-left"].path[0, 0]
    assert layout.joint.sap_tip.shape == (3,)
    assert layout.canal_outline().shape[1] == 2 and layout.sac_outline().shape[1] == 2
    straight = root_tube(root.path, root.radius, 10)
    bent_path = root.path + np.array([2.0, 0.0, 0.0]) * np.sin(np.linspace(0, np.pi, len(root.path)))[:, None]
    bent = root_tube(bent_path, root.radius, 10)
    assert np.array_equal(straight.faces, bent.faces)
    assert not np.allclose(straight.points, bent.points)
