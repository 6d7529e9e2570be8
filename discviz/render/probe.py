"""What is drawn at a few pixels, worked out from the meshes on the CPU (no render).

The id picture (:mod:`discviz.render.ids`) names the structure of every pixel but costs a
render of its own. While the viewer animates, a label only needs to know whether the pixels
under its anchor dot still show its structure, so this casts rays through those pixels
against the triangles drawn, with the id picture's rules: a glass structure owns a pixel
only where no solid one is hit, what a cutaway removes is not there, and faces turned away
do not count where the view culls them (through the endoscope).

Cost: each mesh's triangles are kept in spatially compact runs with a bounding sphere each
(:class:`Runs`, remade only when the mesh's points are new: never while the camera orbits a
still model); a ray is tested against the spheres, and exactly only against the triangles of
the few runs it passes through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Kept = Callable[[np.ndarray], np.ndarray]  # world points (n, 3) -> which the cutaway keeps


@dataclass(frozen=True)
class DrawnMesh:
    """One structure as drawn: world points, triangles (outward, counter-clockwise), glass or not."""

    name: str
    points: np.ndarray
    triangles: np.ndarray
    glass: bool


RUN = 32  # triangles a run
BATCH = 24  # runs tested at once, nearest first, until nothing nearer can be hit


class Runs:
    """One mesh's triangles sorted into spatially compact runs of :data:`RUN`, each with a
    bounding sphere: a ray need only be tested exactly against the runs it passes through.
    """

    def __init__(self, points: np.ndarray, triangles: np.ndarray, order: np.ndarray | None = None) -> None:
        self.points = points
        self.triangles = triangles
        self.order = _spatial_order(points, triangles) if order is None else order
        sorted_triangles = triangles[self.order]
        pad = (-len(sorted_triangles)) % RUN  # the last run filled up with its last triangle
        padded = np.concatenate([sorted_triangles, np.repeat(sorted_triangles[-1:], pad, axis=0)])
        self.corners = points[padded].reshape(-1, RUN, 3, 3)  # (runs, triangles, corners, xyz)
        # one coordinate at a time, each run's corners along the last axis: fast reductions
        coordinates = [np.ascontiguousarray(points[:, axis])[padded].reshape(-1, RUN * 3)
                       for axis in range(3)]
        self.centres = np.stack([(c.min(axis=1) + c.max(axis=1)) / 2 for c in coordinates], axis=1)
        squared = sum((c - self.centres[:, axis, None]) ** 2 for axis, c in enumerate(coordinates))
        self.radii = np.sqrt(squared.max(axis=1))

    def passing(self, starts: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, ...]:
        """The rays and the runs they pass through, in pairs (ray numbers, run numbers), and
        where along each ray (in ``directions`` lengths) it enters the run's sphere.
        """
        length = np.linalg.norm(directions, axis=1, keepdims=True)
        offset = self.centres[None, :, :] - starts[:, None, :]  # (r, runs, 3)
        along = (offset * (directions / length)[:, None, :]).sum(axis=2)
        apart = (offset ** 2).sum(axis=2) - along ** 2
        ray, run = np.nonzero((apart <= self.radii[None, :] ** 2) & (along >= -self.radii[None, :]))
        entry = (along[ray, run] - self.radii[run]) / length[ray, 0]
        return ray, run, entry


def _spatial_order(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Triangles cell by cell of a grid whose cells hold about a run each (for a surface:
    cells as wide as :data:`RUN` triangles side by side), the cells in a serpentine, so that
    every run of :data:`RUN` is compact.
    """
    corners = points[triangles]
    centroids = corners.mean(axis=1)
    area = np.linalg.norm(np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]), axis=1) / 2
    side = max(float(np.sqrt(RUN * max(area.mean(), 1e-12))), 1e-6)
    cells = np.floor((centroids - centroids.min(axis=0)) / side).astype(np.int64)
    count = cells.max(axis=0) + 1
    x, y, z = cells.T
    y = np.where(z % 2, count[1] - 1 - y, y)  # serpentine: consecutive cells are neighbours
    x = np.where((z * count[1] + y) % 2, count[0] - 1 - x, x)
    return np.argsort((z * count[1] + y) * count[0] + x, kind="stable")


class MeshIndex:
    """The :class:`Runs` of each structure, remade when its points are new objects (a morph),
    the sort kept while its triangles stay the same.
    """

    def __init__(self) -> None:
        self._runs: dict[str, Runs] = {}

    def runs(self, name: str, points: np.ndarray, triangles: np.ndarray) -> Runs:
        """The runs of ``name`` as it is now."""
        known = self._runs.get(name)
        if known is not None and known.points is points and known.triangles is triangles:
            return known
        same_triangles = known is not None and (known.triangles is triangles or (
            known.triangles.shape == triangles.shape and np.array_equal(known.triangles, triangles)))
        order = known.order if known is not None and same_triangles else None  # a morph: same sort
        self._runs[name] = made = Runs(points, triangles, order)
        return made


@dataclass(frozen=True)
class ScreenMap:
    """Display pixels to world of one viewport: ``matrix`` (4, 4) world -> clip coordinates,
    ``origin`` the viewport's lower-left pixel and ``size`` its width and height in pixels.
    """

    matrix: np.ndarray
    origin: tuple[float, float]
    size: tuple[float, float]

    def ray(self, x: float, y: float, inverse: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(start, direction) in world coordinates of the line of sight through pixel (x, y);
        ``inverse``: the matrix's inverse, when the caller keeps it.
        """
        ndc_x = (x - self.origin[0]) / self.size[0] * 2.0 - 1.0
        ndc_y = (y - self.origin[1]) / self.size[1] * 2.0 - 1.0
        inverse = np.linalg.inv(self.matrix) if inverse is None else inverse
        near, far = (inverse @ np.array([ndc_x, ndc_y, z, 1.0]) for z in (-1.0, 1.0))
        near, far = near[:3] / near[3], far[:3] / far[3]
        return near, far - near


class Probe:
    """The meshes of one view on one frame, asked what shows at a few pixels."""

    def __init__(self, meshes: Sequence[DrawnMesh], screen: ScreenMap, kept: Kept | None = None,
                 cull_back: bool = False, index: MeshIndex | None = None) -> None:
        self.meshes = [m for m in meshes if len(m.triangles)]
        self.screen = screen
        self.kept = kept
        self.cull_back = cull_back
        self.index = index if index is not None else MeshIndex()
        self._inverse = np.linalg.inv(screen.matrix)

    def names_at(self, centres: Sequence[tuple[float, float]], radius: float = 0.0) -> list[list[str | None]]:
        """For each display pixel (x, y) (origin bottom-left) in ``centres``: the structure
        drawn there and, with a ``radius``, at four points that far from it (left, right,
        below, above); None where nothing is.
        """
        shifts = [(0.0, 0.0)]
        if radius > 0:
            shifts += [(-radius, 0.0), (radius, 0.0), (0.0, -radius), (0.0, radius)]
        samples = [(x + dx, y + dy) for x, y in centres for dx, dy in shifts]
        if not samples:
            return []
        rays = [self.screen.ray(sx, sy, self._inverse) for sx, sy in samples]
        starts = np.array([start for start, _ in rays])  # (r, 3)
        directions = np.array([direction for _, direction in rays])
        nearest = {False: np.full(len(samples), np.inf), True: np.full(len(samples), np.inf)}
        found = {False: np.full(len(samples), -1), True: np.full(len(samples), -1)}
        runs = [self.index.runs(mesh.name, mesh.points, mesh.triangles) for mesh in self.meshes]
        parts = [(np.full(len(ray), number), ray, run, entry)
                 for number, (ray, run, entry) in enumerate(r.passing(starts, directions) for r in runs)]
        if parts:
            owner, ray, run, entry = (np.concatenate(column) for column in zip(*parts, strict=True))
            pending = np.argsort(entry, kind="stable")  # nearest runs first
            while len(pending):
                # a run entered beyond a ray's nearest solid hit cannot change what it sees
                pending = pending[entry[pending] < nearest[False][ray[pending]]]
                batch, pending = pending[:BATCH], pending[BATCH:]
                for number in np.unique(owner[batch]):
                    chosen = batch[owner[batch] == number]
                    rays = np.repeat(ray[chosen], RUN)
                    corners = runs[number].corners[run[chosen]].reshape(-1, 3, 3)
                    hits = self._first_hits(corners, starts[rays], directions[rays], rays, len(samples))
                    glass = self.meshes[number].glass
                    closer = hits < nearest[glass]
                    nearest[glass] = np.where(closer, hits, nearest[glass])
                    found[glass] = np.where(closer, number, found[glass])
        seen = np.where(found[False] >= 0, found[False], found[True])  # glass only over nothing solid
        names = [self.meshes[n].name if n >= 0 else None for n in seen]
        return [names[i:i + len(shifts)] for i in range(0, len(names), len(shifts))]

    def _first_hits(self, corners: np.ndarray, starts: np.ndarray, directions: np.ndarray,
                    ray: np.ndarray, rays: int) -> np.ndarray:
        """Per ray (``rays`` of them), the parameter of its nearest kept hit on the triangles
        ``corners`` (c, 3, 3), each paired with ray number ``ray`` (c,) whose start and
        direction are given (c, 3); inf for none. Moller and Trumbore's test, all at once.
        """
        a = corners[:, 0]
        edge1 = corners[:, 1] - a
        edge2 = corners[:, 2] - a
        p = _cross(directions, edge2)
        det = (edge1 * p).sum(axis=1)
        ok = np.abs(det) > 1e-12
        inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
        s = starts - a
        u = (s * p).sum(axis=1) * inv
        q = _cross(s, edge1)
        v = (q * directions).sum(axis=1) * inv
        t = (edge2 * q).sum(axis=1) * inv
        hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 0)
        if self.cull_back:
            hit &= det > 0  # counter-clockwise seen from the eye: an outside face
        if self.kept is not None and hit.any():
            where = np.nonzero(hit)[0]
            hit[where] = self.kept(starts[where] + t[where, None] * directions[where])
        nearest = np.full(rays, np.inf)
        np.minimum.at(nearest, ray[hit], t[hit])
        return nearest


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cross products along the last axis (broadcast), without np.cross's overhead."""
    ax, ay, az = a[..., 0], a[..., 1], a[..., 2]
    bx, by, bz = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx], axis=-1)
