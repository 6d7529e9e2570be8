"""Implicit solids on a sparse grid, meshed by marching cubes: the bone of the segment.

A solid is a signed distance field (negative inside, about one per millimetre). Each part
(a pedicle, a lamina...) is evaluated only in its own bounding box, blended into the field
with a smooth minimum (the fillets a bone has where a pedicle meets the body), and remembers
which part it was so the mesh can carry a ``part`` label. Cuts (the canal, the facet joint,
clearance around a nerve) are applied after the blend. Everything is left-right symmetric:
only the half with x >= 0 is evaluated and meshed, then mirrored and welded on the midplane.

Why marching cubes rather than sweeps: a vertebra is one bone whose processes grow out of
each other; sweeps give tubes that cross with hard seams, blended implicit parts give the
smooth waist, fillets and notches a bone has, from a short list of named parts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from skimage.measure import marching_cubes

from discviz.geometry.surface import Surface

FAR = 1e3  # field value where no part reaches (outside everything)

#: Field of a part on a block: takes x (nx,1,1), y (1,ny,1), z (1,1,nz), returns (nx,ny,nz).
PartField = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


# -- primitives (broadcasting over x, y, z arrays) ------------------------------------------------


def smooth_min(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Polynomial smooth minimum: a fillet of about ``k`` mm where two solids meet."""
    if k <= 0:
        return np.minimum(a, b)
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b + (a - b) * h - k * h * (1.0 - h)


def smooth_max(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Smooth maximum (a rounded cut)."""
    return -smooth_min(-a, -b, k)


def ellipsoid(centre: np.ndarray, radii: np.ndarray, axes: np.ndarray | None = None) -> PartField:
    """An ellipsoid (approximate distance, exact on the surface); ``axes`` (3, 3) rows are its
    local x, y, z directions (default: the world axes).
    """
    centre = np.asarray(centre, float)
    radii = np.asarray(radii, float)
    rot = np.eye(3) if axes is None else np.asarray(axes, float)

    def f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        d = (x - centre[0], y - centre[1], z - centre[2])
        u = [(rot[i, 0] * d[0] + rot[i, 1] * d[1] + rot[i, 2] * d[2]) / radii[i] for i in range(3)]
        k0 = np.sqrt(u[0] ** 2 + u[1] ** 2 + u[2] ** 2)
        k1 = np.sqrt((u[0] / radii[0]) ** 2 + (u[1] / radii[1]) ** 2 + (u[2] / radii[2]) ** 2)
        return k0 * (k0 - 1.0) / np.maximum(k1, 1e-9)

    return f


def cone(a: np.ndarray, b: np.ndarray, ra: float, rb: float, squash: np.ndarray | None = None) -> PartField:
    """A capsule from ``a`` to ``b`` whose radius goes from ``ra`` to ``rb``; ``squash`` (3,)
    scales the section across the axis (a flattened process) along its own direction.
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    axis = b - a
    length2 = float(axis @ axis)
    flat = None if squash is None else np.asarray(squash, float) / np.linalg.norm(squash)

    def f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        px, py, pz = x - a[0], y - a[1], z - a[2]
        t = np.clip((px * axis[0] + py * axis[1] + pz * axis[2]) / length2, 0.0, 1.0)
        qx, qy, qz = px - t * axis[0], py - t * axis[1], pz - t * axis[2]
        if flat is not None:  # shrink the distance across the flat direction: a plate
            along = qx * flat[0] + qy * flat[1] + qz * flat[2]
            qx, qy, qz = qx + along * flat[0], qy + along * flat[1], qz + along * flat[2]
        return np.sqrt(qx * qx + qy * qy + qz * qz) - (ra + (rb - ra) * t)

    return f


def polyline(points: np.ndarray, radius: np.ndarray) -> PartField:
    """A tube of per-point ``radius`` around a path (k, 3): the clearance a nerve needs. A chain
    of tapered capsules; each sample measures the two beside its nearest path point (the path
    is smooth and its points closer than its bends are sharp).
    """
    points = np.asarray(points, np.float32)
    radius = np.asarray(radius, np.float32)
    ends = np.concatenate([points, points[-1:] + (points[-1:] - points[-2:-1]) * 1e-3])
    axis = np.diff(ends, axis=0)  # segment i: points[i] -> points[i + 1] (the last one tiny)
    length2 = np.maximum((axis * axis).sum(axis=1), 1e-12)
    dr = np.diff(np.concatenate([radius, radius[-1:]]))

    def capsule(px: np.ndarray, py: np.ndarray, pz: np.ndarray, i: np.ndarray) -> np.ndarray:
        ax, ay, az = px - points[i, 0], py - points[i, 1], pz - points[i, 2]
        t = np.clip((ax * axis[i, 0] + ay * axis[i, 1] + az * axis[i, 2]) / length2[i], 0.0, 1.0)
        ax, ay, az = ax - t * axis[i, 0], ay - t * axis[i, 1], az - t * axis[i, 2]
        return np.sqrt(ax * ax + ay * ay + az * az) - (radius[i] + dr[i] * t)

    def f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        shape = np.broadcast_shapes(np.shape(x), np.shape(y), np.shape(z))
        px, py, pz = (np.broadcast_to(np.asarray(c, np.float32), shape).ravel() for c in (x, y, z))
        d2 = ((px[:, None] - points[:, 0]) ** 2 + (py[:, None] - points[:, 1]) ** 2
              + (pz[:, None] - points[:, 2]) ** 2)
        nearest = d2.argmin(axis=1)
        before = np.maximum(nearest - 1, 0)
        return np.minimum(capsule(px, py, pz, before), capsule(px, py, pz, nearest)).reshape(shape)

    return f


# -- the grid ----------------------------------------------------------------------------------


@dataclass
class Part:
    """A named, labelled piece of a solid with the box (lo, hi) outside which it is > blend."""

    label: int
    lo: np.ndarray
    hi: np.ndarray
    field: PartField
    blend: float = 2.0


@dataclass(frozen=True)
class _Op:
    """One step of building the field: blend a part in (``label`` >= 0) or cut a hole out."""

    lo: np.ndarray
    hi: np.ndarray
    field: PartField
    blend: float
    label: int  # -1: a cut


@dataclass
class Grid:
    """The half-space x >= 0 of a box, sampled every ``step`` mm (x starts exactly at 0).

    Parts and cuts are recorded and evaluated when the grid is meshed, each on the block of
    samples its box covers (broadcast over x, y and z: no per-sample work outside it).
    """

    lo: np.ndarray
    hi: np.ndarray
    step: float
    shear: float = 0.0  # z of the part frames = world z - shear * y - lift
    lift: float = 0.0
    axes: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False)
    ops: list[_Op] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.lo = np.array([0.0, self.lo[1], self.lo[2]], float)
        counts = np.ceil((np.asarray(self.hi, float) - self.lo) / self.step).astype(int) + 2
        # single precision: half the memory traffic of every field, a thousandth of a mm off
        self.axes = tuple((self.lo[i] + self.step * np.arange(counts[i])).astype(np.float32)
                          for i in range(3))

    def add(self, part: Part) -> None:
        """Blend a part into the field (smooth union); the samples it wins carry its label."""
        self.ops.append(_Op(part.lo - part.blend, part.hi + part.blend, part.field, part.blend, part.label))

    def cut(self, lo: np.ndarray, hi: np.ndarray, hole: PartField, round_edge: float = 0.0) -> None:
        """Remove the solid ``hole`` (its field negative inside) from the box [lo, hi]."""
        margin = round_edge + self.step
        lo, hi = np.asarray(lo, float) - margin, np.asarray(hi, float) + margin
        self.ops.append(_Op(lo, hi, hole, round_edge, -1))

    def _block(self, axes: tuple[np.ndarray, ...], lo: np.ndarray, hi: np.ndarray) -> tuple[slice, ...]:
        """Index slices of the box [lo, hi] (part frame) on ``axes``."""
        slices = []
        for i in range(2):
            start = int(np.searchsorted(axes[i], lo[i]))
            stop = int(np.searchsorted(axes[i], hi[i], side="right"))
            slices.append(slice(max(start - 1, 0), stop + 1))
        y = axes[1][slices[1]]
        if len(y) == 0:
            return (slice(0, 0),) * 3
        # the frame is sheared: its z range covers several world rows along y
        tilt = self.shear * np.array([y.min(), y.max()])
        start = int(np.searchsorted(axes[2], lo[2] + self.lift + tilt.min()))
        stop = int(np.searchsorted(axes[2], hi[2] + self.lift + tilt.max(), side="right"))
        slices.append(slice(max(start - 1, 0), stop + 1))
        return tuple(slices)

    def _evaluate(self, axes: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Field and labels on ``axes``: each part or cut on its own block, broadcast."""
        shape = tuple(len(a) for a in axes)
        values = np.full(shape, FAR, np.float32)
        labels = np.full(shape, -1, np.int8)
        for op in self.ops:
            slices = self._block(axes, op.lo, op.hi)
            if any(s.start >= s.stop for s in slices):
                continue
            x = axes[0][slices[0]][:, None, None]
            y = axes[1][slices[1]][None, :, None]
            z = axes[2][slices[2]][None, None, :] - self.shear * y - self.lift
            d = np.asarray(op.field(x, y, z), np.float32)
            old = values[slices]
            if op.label >= 0:
                labels[slices][d < old] = op.label
                values[slices] = smooth_min(old, d, op.blend)
            else:
                values[slices] = smooth_max(old, -d, op.blend)
        return values, labels

    def evaluate(self) -> tuple[np.ndarray, np.ndarray]:
        """The field (float32, negative inside) and the label of the part winning each sample."""
        return self._evaluate(self.axes)

    def mesh(self, smoothing: int = 0) -> tuple[Surface, np.ndarray]:
        """Marching cubes on the half, ``smoothing`` Taubin passes, mirrored and welded into one
        closed surface; with the label of the sample nearest each triangle.
        """
        values, labels = self.evaluate()
        # keep the iso-surface off the samples: no triangle shrinks to a point
        tiny = np.float32(1e-3 * self.step)
        values[np.abs(values) < tiny] = tiny
        # close the box everywhere but on the midplane (x = 0), where the mirror joins it
        values[-1, :, :] = FAR
        values[:, [0, -1], :] = FAR
        values[:, :, [0, -1]] = FAR
        verts, faces, _, _ = marching_cubes(values, 0.0, spacing=(self.step,) * 3, method="lewiner")
        verts = verts.astype(np.float64) + self.lo
        faces = faces.astype(np.int64)
        on_plane = verts[:, 0] == 0.0
        # a triangle lying in the midplane would meet its own mirror image: drop both
        faces = faces[~on_plane[faces].all(axis=1)]
        faces = faces[solid_faces(verts, faces)]
        ijk = np.rint((verts[faces].mean(axis=1) - self.lo) / self.step).astype(int)
        ijk = np.clip(ijk, 0, np.array(values.shape) - 1)
        face_labels = fill_labels(labels[ijk[:, 0], ijk[:, 1], ijk[:, 2]], faces)
        verts, faces = compact(verts, faces)
        on_plane = verts[:, 0] == 0.0
        if smoothing:
            verts = taubin(verts, faces, smoothing, on_plane)
        # mirror: the midplane vertices are shared, the others copied with x negated
        index = np.full(len(verts), -1, np.int64)
        off_plane = np.flatnonzero(~on_plane)
        index[off_plane] = len(verts) + np.arange(len(off_plane))
        index[on_plane] = np.flatnonzero(on_plane)
        mirrored = verts[off_plane] * np.array([-1.0, 1.0, 1.0])
        points = np.concatenate([verts, mirrored])
        all_faces = np.concatenate([faces, index[faces][:, ::-1]])
        return Surface(points, all_faces), np.concatenate([face_labels, face_labels])


def solid_faces(points: np.ndarray, faces: np.ndarray, smallest: float = 0.5) -> np.ndarray:
    """Which faces of the half surface belong to a component enclosing at least ``smallest``
    mm3: marching cubes leaves specks (a few flat triangles) where the field just grazes zero
    at a sample. The half is open only on the midplane x = 0, which holds the origin of the
    volume's tetrahedra, so its signed volume is exact.
    """
    component = vertex_components(len(points), faces)
    tri = points[faces]
    volume = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])) / 6.0
    per_component = np.bincount(component[faces[:, 0]], weights=volume)
    return per_component[component[faces[:, 0]]] >= smallest


def vertex_components(count: int, faces: np.ndarray) -> np.ndarray:
    """The connected component of each of ``count`` vertices joined by the edges of ``faces``,
    named by its lowest vertex. Hooking and pointer jumping over all edges at once: a handful of
    passes for a mesh (numpy alone; scipy's graph routines cost a third of a second to import).
    """
    start, end = faces.ravel(), np.roll(faces, 1, axis=1).ravel()
    root = np.arange(count)
    while True:
        a, b = root[start], root[end]
        hooked = root.copy()
        lowest = np.minimum(a, b)
        np.minimum.at(hooked, a, lowest)  # each root takes the lowest root it touches
        np.minimum.at(hooked, b, lowest)
        while True:  # point every vertex at its root (pointers only go down: no cycles)
            jumped = hooked[hooked]
            if np.array_equal(jumped, hooked):
                break
            hooked = jumped
        if np.array_equal(hooked, root):
            return root
        root = hooked


def taubin(points: np.ndarray, faces: np.ndarray, passes: int, on_plane: np.ndarray,
           lam: float = 0.5, mu: float = -0.53) -> np.ndarray:
    """Taubin's smoothing (shrink-free): the staircase of marching cubes smoothed away; points
    on the midplane stay on it.
    """
    n = len(points)
    rows = np.concatenate([faces[:, 0], faces[:, 1], faces[:, 2], faces[:, 1], faces[:, 2], faces[:, 0]])
    cols = np.concatenate([faces[:, 1], faces[:, 2], faces[:, 0], faces[:, 0], faces[:, 1], faces[:, 2]])
    # each edge once, whatever the number of faces sharing it; sorted by row, then column
    edges = np.unique(rows.astype(np.int64) * n + cols)
    rows, cols = edges // n, edges % n
    degree = np.bincount(rows, minlength=n).astype(float)
    scale = 1.0 / np.maximum(degree, 1.0)
    points = points.copy()
    for _ in range(passes):
        for factor in (lam, mu):
            around = np.stack([np.bincount(rows, weights=points[cols, axis], minlength=n)
                               for axis in range(3)], axis=1)
            delta = around * scale[:, None] - points
            delta[on_plane, 0] = 0.0
            points += factor * delta
    return points


def compact(points: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points some face uses, and the faces renumbered."""
    used = np.zeros(len(points), bool)
    used[faces.ravel()] = True
    if used.all():
        return points, faces
    index = np.cumsum(used) - 1
    return points[used], index[faces]


def fill_labels(labels: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Give an unlabelled triangle (-1: only a cut reached its voxel) a neighbour's label."""
    labels = labels.astype(np.int64)
    for _ in range(8):
        missing = labels < 0
        if not missing.any():
            break
        vertex = np.full(int(faces.max()) + 1, -1, np.int64)
        vertex[faces[~missing].ravel()] = np.repeat(labels[~missing], 3)
        labels[missing] = vertex[faces[missing]].max(axis=1)
    return np.maximum(labels, 0)
