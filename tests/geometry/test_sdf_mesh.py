"""The mesh helpers of the bone's marching cubes (discviz/geometry/segment/sdf.py): connected
components, speck removal and Taubin smoothing, checked against plain definitions.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from discviz.geometry.segment.sdf import solid_faces, taubin, vertex_components


def components_by_search(count: int, faces: np.ndarray) -> np.ndarray:
    """Each vertex's component, named by its lowest vertex: breadth-first search."""
    neighbours: list[set[int]] = [set() for _ in range(count)]
    for face in faces.tolist():
        for i in range(3):
            a, b = face[i], face[(i + 1) % 3]
            neighbours[a].add(b)
            neighbours[b].add(a)
    name = np.full(count, -1)
    for start in range(count):  # rising order: the first vertex reached names its component
        if name[start] >= 0:
            continue
        name[start] = start
        queue = deque([start])
        while queue:
            for other in neighbours[queue.popleft()]:
                if name[other] < 0:
                    name[other] = start
                    queue.append(other)
    return name


def tetrahedron(offset: float, size: float) -> tuple[np.ndarray, np.ndarray]:
    """A closed tetrahedron, outward faces, one corner at x = ``offset``."""
    points = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float) * size + [offset, 0, 0]
    faces = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
    return points, faces


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.lists(st.integers(0, n - 1), min_size=3, max_size=3),
                                              max_size=40))))
def test_components_match_a_search(graph: tuple[int, list[list[int]]]) -> None:
    count, triangles = graph
    faces = np.array(triangles, np.int64).reshape(-1, 3)
    assert np.array_equal(vertex_components(count, faces), components_by_search(count, faces))


def test_a_long_strip_is_one_component() -> None:
    # a path of 2000 triangles whose lowest vertex sits at the far end: many hops to spread
    count = 2002
    order = np.arange(count)[::-1]
    faces = np.stack([order[:-2], order[1:-1], order[2:]], axis=1)
    assert np.all(vertex_components(count, faces) == 0)


def test_specks_go_and_solids_stay() -> None:
    big_points, big_faces = tetrahedron(0.0, 3.0)  # 4.5 mm3
    speck_points, speck_faces = tetrahedron(10.0, 0.5)  # 0.02 mm3
    points = np.concatenate([big_points, speck_points])
    faces = np.concatenate([big_faces, speck_faces + len(big_points)])
    keep = solid_faces(points, faces)
    assert keep.tolist() == [True] * 4 + [False] * 4


def test_taubin_moves_a_point_towards_its_neighbours_and_keeps_the_midplane() -> None:
    # a fan: the centre raised above a square of four neighbours; one neighbour on x = 0
    points = np.array([[0.5, 0.5, 1.0], [0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], float)
    faces = np.array([[0, 1, 2], [0, 2, 3], [0, 3, 4], [0, 4, 1]])
    on_plane = points[:, 0] == 0.0
    smoothed = taubin(points, faces, 1, on_plane, lam=0.5, mu=0.0)
    # the centre: halfway to the mean of its four neighbours (shared edges counted once)
    assert np.allclose(smoothed[0], [0.5, 0.5, 0.5])
    # a corner: halfway to the mean of the centre and its two side neighbours
    mean = (points[0] + points[2] + points[4]) / 3
    assert np.allclose(smoothed[3], points[3] + 0.5 * (mean - points[3]))
    assert np.all(smoothed[on_plane, 0] == 0.0)
