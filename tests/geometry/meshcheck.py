"""Mesh invariants used by the geometry tests (plain numpy)."""

from __future__ import annotations

import weakref

import numpy as np

from discviz.geometry.params import Params
from discviz.geometry.segment.sdf import vertex_components
from discviz.geometry.surface import Surface


def directed_edges(faces: np.ndarray) -> np.ndarray:
    return np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])


def is_closed_manifold(surface: Surface) -> bool:
    """Every edge borders exactly two faces, traversed once in each direction."""
    edges = directed_edges(surface.faces)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    if (counts != 1).any():  # a directed edge used twice: inconsistent orientation or non-manifold
        return False
    undirected = np.sort(edges, axis=1)
    _, counts = np.unique(undirected, axis=0, return_counts=True)
    return bool((counts == 2).all())


def components(surface: Surface) -> np.ndarray:
    """Component label per face (the lowest vertex index of its component)."""
    return vertex_components(surface.n_points, surface.faces)[surface.faces[:, 0]]


def component_volumes(surface: Surface) -> np.ndarray:
    tri = surface.points[surface.faces]
    vol = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])) / 6.0
    labels = components(surface)
    _, inverse = np.unique(labels, return_inverse=True)
    return np.bincount(inverse, weights=vol)


def triangle_quality(surface: Surface) -> np.ndarray:
    """Twice the area over the longest edge squared: 0 for a degenerate triangle."""
    tri = surface.points[surface.faces]
    area2 = np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    longest = np.max(np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2), axis=1)
    return area2 / np.maximum(longest, 1e-300) ** 2


def points_inside(a: Surface, b: Surface, tolerance: float = 0.03) -> int:
    """How many vertices of ``a`` lie inside ``b`` deeper than ``tolerance`` (mm). Both VTK
    tests must agree: the signed implicit distance (its sign is unreliable far from thin slabs)
    and ray casting (noisy between thin nested shells), asked only about what the first flags.
    """
    import pyvista as pv

    lo, hi = b.points.min(axis=0), b.points.max(axis=0)
    candidates = a.points[((a.points >= lo) & (a.points <= hi)).all(axis=1)]
    candidates = candidates[within_slab_boxes(b, candidates)]
    if len(candidates) == 0:
        return 0
    deep = candidates[signed_distance(b, candidates) < -tolerance]
    if len(deep) == 0:
        return 0
    probe = pv.PolyData(np.ascontiguousarray(deep, dtype=float))
    inside = probe.select_interior_points(_polydata(b), method="cell_locator", check_surface=False)
    flagged = deep[np.asarray(inside["selected_points"], dtype=bool)]
    # both are fooled near sheets a few micrometres thin (a closing delamination): the
    # generalised winding number settles each flagged point (too slow for all of them)
    return int(sum(winding_number(b, point) > 0.5 for point in flagged))


# One distance function per surface, reused while the surface lives and keeps its points:
# a static structure is the target of dozens of pairs, and building the locator is the cost.
_DISTANCES: dict[int, tuple[weakref.ref, np.ndarray, object]] = {}


def signed_distance(surface: Surface, points: np.ndarray) -> np.ndarray:
    """VTK's signed implicit distance of ``points`` to ``surface`` (negative inside)."""
    from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
    from vtkmodules.vtkCommonCore import vtkDoubleArray
    from vtkmodules.vtkFiltersCore import vtkImplicitPolyDataDistance

    entry = _DISTANCES.get(id(surface))
    if entry is None or entry[0]() is not surface or not np.array_equal(entry[1], surface.points):
        for key in [key for key, (alive, _, _) in _DISTANCES.items() if alive() is None]:
            del _DISTANCES[key]
        function = vtkImplicitPolyDataDistance()
        function.SetInput(_polydata(surface))
        entry = (weakref.ref(surface), surface.points.copy(), function)
        _DISTANCES[id(surface)] = entry
    values = vtkDoubleArray()
    entry[2].FunctionValue(numpy_to_vtk(np.ascontiguousarray(points, dtype=float), deep=True), values)
    return vtk_to_numpy(values).copy()


def _polydata(surface: Surface):  # -> pv.PolyData
    import pyvista as pv

    return pv.PolyData(surface.points, np.column_stack([np.full(len(surface.faces), 3), surface.faces]))


def within_slab_boxes(surface: Surface, points: np.ndarray, slab: float = 2.0) -> np.ndarray:
    """Which points can be inside ``surface`` at all: inside a closed surface, a point's
    horizontal neighbours at its height lie within the x-y box of the triangles that reach that
    height. Cheap and conservative: it only spares the exact tests the points far off.
    """
    if len(points) == 0:
        return np.zeros(0, bool)
    tri = surface.points[surface.faces]
    z_lo, z_hi = tri[..., 2].min(axis=1), tri[..., 2].max(axis=1)
    base = float(z_lo.min())
    count = int(np.ceil((float(z_hi.max()) - base) / slab)) + 1
    first = np.floor((z_lo - base) / slab).astype(int)
    last = np.floor((z_hi - base) / slab).astype(int)
    boxes = np.full((count, 4), [np.inf, np.inf, -np.inf, -np.inf])
    xy_lo, xy_hi = tri[..., :2].min(axis=1), tri[..., :2].max(axis=1)
    for k in range(int((last - first).max()) + 1):  # a triangle spans a few slabs at most
        index = np.minimum(first + k, last)
        np.minimum.at(boxes[:, 0], index, xy_lo[:, 0])
        np.minimum.at(boxes[:, 1], index, xy_lo[:, 1])
        np.maximum.at(boxes[:, 2], index, xy_hi[:, 0])
        np.maximum.at(boxes[:, 3], index, xy_hi[:, 1])
    k = np.clip(np.floor((points[:, 2] - base) / slab).astype(int), 0, count - 1)
    box = boxes[k]
    return ((points[:, 0] >= box[:, 0]) & (points[:, 0] <= box[:, 2])
            & (points[:, 1] >= box[:, 1]) & (points[:, 1] <= box[:, 3]))


def winding_number(surface: Surface, point: np.ndarray) -> float:
    """Generalised winding number of a closed surface around ``point`` (1 inside, 0 outside):
    the solid angles of all triangles (Van Oosterom and Strackee), exact for any thickness.
    """
    a, b, c = (surface.points[surface.faces[:, i]] - point for i in range(3))
    la, lb, lc = (np.linalg.norm(v, axis=1) for v in (a, b, c))
    det = np.einsum("ij,ij->i", a, np.cross(b, c))
    div = (la * lb * lc + np.einsum("ij,ij->i", a, b) * lc + np.einsum("ij,ij->i", b, c) * la
           + np.einsum("ij,ij->i", c, a) * lb)
    return float((2 * np.arctan2(det, div)).sum() / (4 * np.pi))


def assert_rebuilt_identically(state: str, params: Params, progress: float) -> None:
    """A cold rebuild of ``state`` at ``progress`` gives the same points and faces, structure
    by structure (nothing depends on what was cached or on chance).
    """
    from discviz.geometry import build_surfaces, model

    first = build_surfaces(state, params, progress)
    model.clear_caches()
    second = build_surfaces(state, params, progress)
    for name in first:
        assert np.array_equal(first[name].points, second[name].points), name
        assert np.array_equal(first[name].faces, second[name].faces), name
