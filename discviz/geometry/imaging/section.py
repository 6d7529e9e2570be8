"""Which pixels of a plane lie inside a closed surface: the surface is cut by the plane into
oriented contours, and each pixel's winding number about them is counted along its row.

This is the generalised winding number restricted to a plane, exact for closed oriented
surfaces: nested shells add up instead of cancelling (ray parity would call the space
inside two nested lamellae "outside"), and the whole grid is done with a few array
operations (no loop over pixels, triangles or rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discviz.geometry.surface import Surface


@dataclass(frozen=True)
class Plane:
    """A plane with in-plane axes ``u`` and ``v`` (``u x v = normal``), all unit vectors."""

    origin: np.ndarray  # (3,) mm
    u: np.ndarray  # (3,)
    v: np.ndarray  # (3,)

    @property
    def normal(self) -> np.ndarray:
        """The plane's normal, ``u x v``."""
        return np.cross(self.u, self.v)

    def shifted(self, distance: float) -> Plane:
        """The parallel plane ``distance`` mm along the normal."""
        return Plane(self.origin + distance * self.normal, self.u, self.v)

    def point(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """3-d points (..., 3) of in-plane coordinates."""
        return self.origin + np.asarray(u)[..., None] * self.u + np.asarray(v)[..., None] * self.v


@dataclass(frozen=True)
class Grid:
    """Pixel centres ``u0 + (j + 0.5) * step`` (columns) and ``v0 + (i + 0.5) * step`` (rows)."""

    u0: float
    v0: float
    step: float
    width: int
    height: int

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """In-plane coordinates (height, width) of every pixel centre."""
        u = self.u0 + (np.arange(self.width) + 0.5) * self.step
        v = self.v0 + (np.arange(self.height) + 0.5) * self.step
        return np.meshgrid(u, v)


def contours(surface: Surface, plane: Plane) -> tuple[np.ndarray, np.ndarray]:
    """The cut of ``surface`` by ``plane``: segment start and end points (k, 2) in (u, v),
    oriented counter-clockwise (seen from the normal) around the inside of the surface.

    A vertex on the plane counts as above it, so neighbouring triangles agree on every
    crossing point and the contours close.
    """
    points = surface.points - plane.origin
    side = points @ plane.normal
    above = side >= 0.0
    faces = surface.faces
    count = above[faces].sum(axis=1)
    faces = faces[(count == 1) | (count == 2)]
    if len(faces) == 0:
        empty = np.zeros((0, 2))
        return empty, empty
    a, b = faces[:, [0, 1, 2]], faces[:, [1, 2, 0]]  # the three edges of each face
    crosses = above[a] != above[b]  # exactly two per face
    da, db = side[a], side[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(crosses, da / (da - db), 0.0)
    hit = points[a] + t[..., None] * (points[b] - points[a])  # (k, 3 edges, 3)
    order = np.argsort(~crosses, axis=1, kind="stable")[:, :2]  # the two crossing edges
    rows = np.arange(len(faces))[:, None]
    ends = hit[rows, order]  # (k, 2, 3)
    uv = np.stack([ends @ plane.u, ends @ plane.v], axis=-1)  # (k, 2, 2)
    tri = surface.points[faces]
    outward = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    tangent = np.cross(plane.normal, outward)  # along a counter-clockwise contour
    along = np.stack([tangent @ plane.u, tangent @ plane.v], axis=-1)
    flip = np.einsum("ij,ij->i", uv[:, 1] - uv[:, 0], along) < 0
    uv[flip] = uv[flip][:, ::-1]
    return uv[:, 0], uv[:, 1]


def winding(start: np.ndarray, end: np.ndarray, grid: Grid) -> np.ndarray:
    """Winding number (height, width) int of the contours about each pixel centre: the signed
    count of contour crossings on the ray from the pixel toward +u.
    """
    acc = np.zeros((grid.height, grid.width + 1), dtype=np.int32)
    if len(start) == 0:
        return acc[:, :-1]
    v_lo = np.minimum(start[:, 1], end[:, 1])
    v_hi = np.maximum(start[:, 1], end[:, 1])
    # rows whose centre lies in [v_lo, v_hi): half-open, so a shared end point counts once
    first = np.clip(np.ceil((v_lo - grid.v0) / grid.step - 0.5), 0, grid.height).astype(np.intp)
    stop = np.clip(np.ceil((v_hi - grid.v0) / grid.step - 0.5), 0, grid.height).astype(np.intp)
    spans = stop - first
    keep = spans > 0
    if not keep.any():
        return acc[:, :-1]
    start, end, first, spans = start[keep], end[keep], first[keep], spans[keep]
    segment = np.repeat(np.arange(len(spans)), spans)
    offsets = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    row = first[segment] + offsets
    v = grid.v0 + (row + 0.5) * grid.step
    p, q = start[segment], end[segment]
    u = p[:, 0] + (v - p[:, 1]) * (q[:, 0] - p[:, 0]) / (q[:, 1] - p[:, 1])
    sign = np.where(q[:, 1] > p[:, 1], 1, -1).astype(np.int32)
    # pixels left of the crossing see it on their +u ray: columns 0 .. column-1
    column = np.clip(np.ceil((u - grid.u0) / grid.step - 0.5), 0, grid.width).astype(np.intp)
    np.add.at(acc, (row, column), sign)
    right_of = np.cumsum(acc[:, ::-1], axis=1)[:, ::-1]  # sum over columns >= k
    return right_of[:, 1:]


def inside(surface: Surface, plane: Plane, grid: Grid) -> np.ndarray:
    """Boolean mask (height, width): pixel centres inside the closed surface."""
    start, end = contours(surface, plane)
    return winding(start, end, grid) != 0
