"""What is drawn at a few pixels, worked out from the meshes on the CPU (no render).

The id picture (:mod:`discviz.render.ids`) names the structure of every pixel but costs a
render of its own. While the viewer animates, a label only needs to know whether the pixels
under its anchor dot still show its structure, so this casts rays through those pixels
against the triangles drawn, with the id picture's rules: a glass structure owns a pixel
only where no solid one is hit, what a cutaway removes is not there, and faces turned away
do not count where the view culls them (through the endoscope).

Cost: nothing is kept between frames (a morph makes every mesh new): each mesh is projected
on the screen, one that covers no sample is passed over, and only the triangles whose box on
the screen holds a sample pixel are tested exactly, a few hundred a frame (about 3 ms for the
95 000 triangles of the default model, the same while it morphs or while the camera orbits).
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


@dataclass(frozen=True)
class ScreenMap:
    """Display pixels to world of one viewport: ``matrix`` (4, 4) world -> clip coordinates,
    ``origin`` the viewport's lower-left pixel and ``size`` its width and height in pixels.
    """

    matrix: np.ndarray
    origin: tuple[float, float]
    size: tuple[float, float]

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, y, ahead) of world ``points`` (n, 3): their display pixels, and which lie in
        front of the eye (the others' pixels mean nothing).
        """
        clip = points @ self.matrix[:, :3].T + self.matrix[:, 3]
        w = clip[:, 3]
        ahead = w > 1e-9
        w = np.where(ahead, w, 1.0)
        x = self.origin[0] + (clip[:, 0] / w + 1.0) / 2.0 * self.size[0]
        y = self.origin[1] + (clip[:, 1] / w + 1.0) / 2.0 * self.size[1]
        return x, y, ahead

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
                 cull_back: bool = False) -> None:
        self.meshes = [m for m in meshes if len(m.triangles)]
        self.screen = screen
        self.kept = kept
        self.cull_back = cull_back
        self._inverse = np.linalg.inv(screen.matrix)

    def names_at(self, centres: Sequence[tuple[float, float]], radius: float = 0.0) -> list[list[str | None]]:
        """For each display pixel (x, y) (origin bottom-left) in ``centres``: the structure
        drawn there and, with a ``radius``, at four points that far from it (left, right,
        below, above); None where nothing is.
        """
        shifts = [(0.0, 0.0)]
        if radius > 0:
            shifts += [(-radius, 0.0), (radius, 0.0), (0.0, -radius), (0.0, radius)]
        samples = np.array([(x + dx, y + dy) for x, y in centres for dx, dy in shifts]).reshape(-1, 2)
        if not len(samples):
            return []
        rays = [self.screen.ray(sx, sy, self._inverse) for sx, sy in samples]
        starts = np.array([start for start, _ in rays])  # (r, 3)
        directions = np.array([direction for _, direction in rays])
        # each centre's samples lie in a small box: triangles are first sorted out per box
        groups = samples.reshape(-1, len(shifts), 2)
        boxes = np.concatenate([groups.min(axis=1), groups.max(axis=1)], axis=1)  # (g, 4)
        nearest = {False: np.full(len(samples), np.inf), True: np.full(len(samples), np.inf)}
        found = {False: np.full(len(samples), -1), True: np.full(len(samples), -1)}
        for number, mesh in enumerate(self.meshes):
            ray, triangle = self._candidates(mesh, samples, boxes, len(shifts))
            if not len(ray):
                continue
            corners = mesh.points[mesh.triangles[triangle]]
            hits = self._first_hits(corners, starts[ray], directions[ray], ray, len(samples))
            closer = hits < nearest[mesh.glass]
            nearest[mesh.glass] = np.where(closer, hits, nearest[mesh.glass])
            found[mesh.glass] = np.where(closer, number, found[mesh.glass])
        seen = np.where(found[False] >= 0, found[False], found[True])  # glass only over nothing solid
        names = [self.meshes[n].name if n >= 0 else None for n in seen]
        return [names[i:i + len(shifts)] for i in range(0, len(names), len(shifts))]

    def _candidates(self, mesh: DrawnMesh, samples: np.ndarray, boxes: np.ndarray,
                    per_box: int) -> tuple[np.ndarray, np.ndarray]:
        """(ray numbers, triangle numbers) of ``mesh`` that may meet: the triangles whose
        bounding box on screen holds the ray's pixel (all those with a corner behind the
        eye, which do not project). ``boxes``: each run of ``per_box`` samples' bounding box.
        """
        x, y, ahead = self.screen.project(mesh.points)
        everywhere = bool(not ahead.all())
        if not everywhere and not ((boxes[:, 2] >= x.min()) & (boxes[:, 0] <= x.max()) &
                                   (boxes[:, 3] >= y.min()) & (boxes[:, 1] <= y.max())).any():
            return np.zeros(0, np.intp), np.zeros(0, np.intp)  # nowhere near a sample
        a, b, c = (mesh.triangles[:, k] for k in range(3))
        xa, xb, xc, ya, yb, yc = x[a], x[b], x[c], y[a], y[b], y[c]  # elementwise: no slow reductions
        x0, x1 = np.minimum(np.minimum(xa, xb), xc), np.maximum(np.maximum(xa, xb), xc)
        y0, y1 = np.minimum(np.minimum(ya, yb), yc), np.maximum(np.maximum(ya, yb), yc)
        behind = ~ahead[mesh.triangles].all(axis=1) if everywhere else None
        rays: list[np.ndarray] = []
        triangles: list[np.ndarray] = []
        for group, (bx0, by0, bx1, by1) in enumerate(boxes):
            near = (x0 <= bx1) & (x1 >= bx0) & (y0 <= by1) & (y1 >= by0)
            if behind is not None:
                near |= behind
            chosen = np.nonzero(near)[0]
            if not len(chosen):
                continue
            numbers = np.arange(group * per_box, (group + 1) * per_box)
            sx, sy = samples[numbers, 0][:, None], samples[numbers, 1][:, None]
            inside = (x0[chosen] <= sx) & (x1[chosen] >= sx) & (y0[chosen] <= sy) & (y1[chosen] >= sy)
            if behind is not None:
                inside |= behind[chosen]
            which, where = np.nonzero(inside)
            rays.append(numbers[which])
            triangles.append(chosen[where])
        if not rays:
            return np.zeros(0, np.intp), np.zeros(0, np.intp)
        return np.concatenate(rays), np.concatenate(triangles)

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
