"""Closed-surface building blocks: every structure is made of these, so every structure is
closed and manifold by construction. Arrays only; faces are counter-clockwise from outside.

- ``ring_solid``: a stack of closed rings between two pole points (sphere topology): nucleus,
  endplates, vertebral bodies, and every other lump.
- ``swept_ring``: a closed profile swept around a closed loop (torus topology): a lamella.
- ``swept_arc``: the same along an open path, with flat end caps: a torn or incomplete lamella,
  a tube (nerve, root, sac) and the fissure.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from discviz.geometry.surface import Surface


def _quad_strip_faces(rows: int, cols: int, closed_cols: bool, offset: int = 0) -> np.ndarray:
    """Triangles of a (rows x cols) vertex grid; columns wrap when ``closed_cols``.

    Vertex (r, c) has index ``offset + r * cols + c``; each quad splits into two triangles
    ordered so that, with rows running "up" and columns running "around", normals point out
    of the left-handed side (callers orient by choosing the traversal directions).
    """
    r = np.arange(rows - 1)[:, None]
    c = np.arange(cols if closed_cols else cols - 1)[None, :]
    c1 = (c + 1) % cols
    a = offset + r * cols + c
    b = offset + r * cols + c1
    d = offset + (r + 1) * cols + c
    e = offset + (r + 1) * cols + c1
    first = np.stack([a, b, e], axis=-1).reshape(-1, 3)
    second = np.stack([a, e, d], axis=-1).reshape(-1, 3)
    return np.concatenate([first, second]).astype(np.int64)


def _fan(centre: int, ring: np.ndarray, reverse: bool) -> np.ndarray:
    """Triangles joining a centre vertex to a closed ring of vertex indices."""
    nxt = np.roll(ring, -1)
    tris = np.stack([np.full_like(ring, centre), ring, nxt], axis=-1)
    return (tris[:, ::-1] if reverse else tris).astype(np.int64)


def ring_solid(rings: np.ndarray, bottom: np.ndarray, top: np.ndarray) -> Surface:
    """A closed surface through ``rings`` (k, n, 3), from the ``bottom`` pole to the ``top`` pole.

    Rings go bottom to top and each runs counter-clockwise seen from above (+z), so the
    surface is oriented outward.
    """
    k, n, _ = rings.shape
    points = np.concatenate([rings.reshape(-1, 3), bottom[None], top[None]])
    return Surface(points, ring_solid_faces(k, n))


@lru_cache(maxsize=64)
def ring_solid_faces(k: int, n: int) -> np.ndarray:
    """Faces of :func:`ring_solid` for k rings of n points (read-only, shared)."""
    side = _quad_strip_faces(k, n, closed_cols=True)
    bottom_index, top_index = k * n, k * n + 1
    first_ring = np.arange(n)
    last_ring = np.arange((k - 1) * n, k * n)
    return _frozen(np.concatenate([
        side,
        _fan(bottom_index, first_ring, reverse=True),
        _fan(top_index, last_ring, reverse=False),
    ]))


def swept_ring(sections: np.ndarray) -> Surface:
    """Torus-topology surface from closed cross-sections (n_around, m_profile, 3).

    Consecutive sections go counter-clockwise around +z; each profile runs so that the
    surface is outward (callers: profile counter-clockwise in the (outward, up) plane).
    """
    n, m, _ = sections.shape
    return Surface(sections.reshape(-1, 3), ring_faces(n, m))


@lru_cache(maxsize=256)
def ring_faces(n: int, m: int) -> np.ndarray:
    """Faces of :func:`swept_ring` for n sections of m points (read-only, shared)."""
    i = np.arange(n)[:, None]
    j = np.arange(m)[None, :]
    i1 = (i + 1) % n
    j1 = (j + 1) % m
    a = i * m + j
    b = i * m + j1
    d = i1 * m + j
    e = i1 * m + j1
    first = np.stack([a, d, e], axis=-1).reshape(-1, 3)
    second = np.stack([a, e, b], axis=-1).reshape(-1, 3)
    return _frozen(np.concatenate([first, second]).astype(np.int64))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


Strip = tuple[tuple[int, ...], tuple[int, ...]]


def swept_arc(sections: np.ndarray,
              cap_strip: tuple[np.ndarray, np.ndarray] | Strip | None = None) -> Surface:
    """Closed surface from cross-sections along an open path (n_along, m_profile, 3), with a
    cap at each end. Same orientation rule as :func:`swept_ring`.

    Caps are fans around the section's centroid, or, with ``cap_strip = (outer, inner)`` (two
    equally long lists of profile indices running the same way up two opposite walls), strips
    between the walls: no sliver triangles when the section is very thin.
    """
    n, m, _ = sections.shape
    if cap_strip is None:
        points = np.concatenate([
            sections.reshape(-1, 3), sections[0].mean(axis=0)[None], sections[-1].mean(axis=0)[None],
        ])
        return Surface(points, arc_faces(n, m, None))
    strip = cap_strip if isinstance(cap_strip[0], tuple) else tuple(tuple(int(i) for i in side)
                                                                    for side in cap_strip)
    return Surface(sections.reshape(-1, 3), arc_faces(n, m, strip))  # type: ignore[arg-type]


@lru_cache(maxsize=512)
def arc_faces(n: int, m: int, cap_strip: tuple[tuple[int, ...], tuple[int, ...]] | None) -> np.ndarray:
    """Faces of :func:`swept_arc` (read-only, shared): every frame of an animation and every
    lamella with the same section count reuses them.
    """
    i = np.arange(n - 1)[:, None]
    j = np.arange(m)[None, :]
    j1 = (j + 1) % m
    a = i * m + j
    b = i * m + j1
    d = (i + 1) * m + j
    e = (i + 1) * m + j1
    side = np.concatenate([
        np.stack([a, d, e], axis=-1).reshape(-1, 3),
        np.stack([a, e, b], axis=-1).reshape(-1, 3),
    ])
    if cap_strip is None:
        start, end = n * m, n * m + 1
        caps = [_fan(start, np.arange(m), reverse=False),
                _fan(end, np.arange((n - 1) * m, n * m), reverse=True)]
    else:
        outer, inner = (np.asarray(x) for x in cap_strip)
        strip = np.concatenate([
            np.stack([inner[:-1], outer[:-1], outer[1:]], axis=-1),
            np.stack([inner[:-1], outer[1:], inner[1:]], axis=-1),
        ])
        caps = [strip, (strip + (n - 1) * m)[:, ::-1]]
    return _frozen(np.concatenate([side, *caps]).astype(np.int64))


def tube(path: np.ndarray, radius: np.ndarray, sides: int, reference: np.ndarray | None = None) -> Surface:
    """A closed tube of circular section along ``path`` (k, 3) with per-point ``radius`` (k,);
    ``reference``: one direction never along the path, for sections that do not twist.
    """
    return tubes(path[None], radius[None], sides, reference)


def tubes(paths: np.ndarray, radii: np.ndarray, sides: int, reference: np.ndarray | None = None) -> Surface:
    """Many closed tubes at once: ``paths`` (b, k, 3), ``radii`` (b, k); one surface."""
    tangent = _along(paths)
    tangent /= np.sqrt((tangent * tangent).sum(axis=-1, keepdims=True)) + 1e-12
    # A reference direction never parallel to the tangent, per point (vectorised frames).
    if reference is None:
        ref = np.where(np.abs(tangent[..., 2:3]) < 0.9, [0.0, 0.0, 1.0], [1.0, 0.0, 0.0])
    else:
        ref = np.broadcast_to(np.asarray(reference, float), tangent.shape)
    normal = _cross(tangent, ref)
    normal /= np.sqrt((normal * normal).sum(axis=-1, keepdims=True))
    binormal = _cross(tangent, normal)
    cos, sin = _around(sides)
    # clockwise around the tangent seen from the path's end -> outward with swept_arc
    offsets = cos[:, None] * normal[..., None, :] + sin[:, None] * binormal[..., None, :]  # (b, k, sides, 3)
    sections = paths[..., None, :] + radii[..., None, None] * offsets
    b, k = paths.shape[:2]
    n_sections = k * sides
    points = np.empty((b, n_sections + 2, 3))
    points[:, :n_sections] = sections.reshape(b, n_sections, 3)
    points[:, n_sections] = sections[:, 0].mean(axis=1)  # the caps' centres
    points[:, n_sections + 1] = sections[:, -1].mean(axis=1)
    per_tube = n_sections + 2
    faces = (arc_faces(k, sides, None)[None] + (np.arange(b) * per_tube)[:, None, None]).reshape(-1, 3)
    return Surface(points.reshape(-1, 3), faces)


def _along(paths: np.ndarray) -> np.ndarray:
    """``np.gradient(paths, axis=1)`` (central differences, one-sided at the ends), without
    its overhead: tubes are made every frame.
    """
    out = np.empty_like(paths, dtype=float)
    out[:, 1:-1] = (paths[:, 2:] - paths[:, :-2]) / 2.0
    out[:, 0] = paths[:, 1] - paths[:, 0]
    out[:, -1] = paths[:, -1] - paths[:, -2]
    return out


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.cross`` of (..., 3) vectors, without its overhead."""
    out = np.empty(np.broadcast_shapes(a.shape, b.shape))
    out[..., 0] = a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]
    out[..., 1] = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    out[..., 2] = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    return out


@lru_cache(maxsize=16)
def _around(sides: int) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and sine of a tube's section angles, clockwise (read-only, shared)."""
    angle = np.linspace(0.0, 2 * np.pi, sides, endpoint=False)[::-1]
    return _frozen(np.cos(angle)), _frozen(np.sin(angle))


def merge(parts: list[Surface], cell_arrays: dict[str, list[np.ndarray]] | None = None) -> Surface:
    """Concatenate surfaces into one (components stay separate), with optional cell arrays."""
    offsets = np.cumsum([0] + [p.n_points for p in parts[:-1]])
    points = np.concatenate([p.points for p in parts])
    faces = np.concatenate([p.faces + o for p, o in zip(parts, offsets, strict=True)])
    cell_data = {k: np.concatenate(v) for k, v in (cell_arrays or {}).items()}
    point_keys = set.intersection(*(set(p.point_data) for p in parts)) if parts else set()
    point_data = {k: np.concatenate([p.point_data[k] for p in parts]) for k in point_keys}
    return Surface(points, faces, cell_data, point_data)


def signed_volume(surface: Surface) -> float:
    """Signed volume; positive when the faces are oriented outward."""
    tri = surface.points[surface.faces]
    return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0)
