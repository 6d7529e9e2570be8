"""Vertebral bodies above and below the disc: a concave waist, a rim (ring apophysis)
around the concave endplate face, and a flat far face.

Point array ``cortex``: 1 on the outer shell near the rim and waist, 0 on the endplate face,
so the renderer can shade the cortical rim apart from the cancellous face.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.disc.annulus import DiscLayout
from discviz.geometry.disc.outline import GAP
from discviz.geometry.primitives import ring_solid
from discviz.geometry.surface import Surface

WAIST = 0.9  # the body's mid-height outline as a share of its endplate outline
RIM_FLARE = 1.02  # the ring apophysis stands slightly proud of the disc's edge


def vertebra_surface(layout: DiscLayout, upper: bool) -> Surface:
    """The vertebral body above (``upper``) or below the disc."""
    frame = layout.frame
    height = layout.params.f("vertebra.height")
    theta = frame.angles()
    rim = layout.outer_xy(theta) * RIM_FLARE
    face = frame.upper_face if upper else frame.lower_face
    sign = 1.0 if upper else -1.0  # away from the disc
    # the endplate face, from the centre out to the rim
    u = np.linspace(0, 1, max(5, frame.n_meridian // 2) + 1)[1:]
    face_xy = u[:, None, None] * rim[None] / RIM_FLARE
    face_xy[-1] = rim
    face_z = face(face_xy) + sign * GAP
    rim_z = face(rim) + sign * GAP
    # the side wall: a concave waist between the near and the far face
    k = max(6, frame.n_meridian)
    v = np.linspace(0, 1, k + 1)[1:]
    scale = 1 - (1 - WAIST) * np.sin(np.pi * v) ** 0.8
    wall_xy = scale[:, None, None] * rim[None]
    wall_z = rim_z[None, :] + sign * height * v[:, None]
    # the far face, from the rim back to the centre
    far_z = rim_z.mean() + sign * height
    far_u = np.linspace(1, 0, max(4, frame.n_meridian // 3) + 1)[1:-1]
    far_xy = far_u[:, None, None] * rim[None]
    far = np.concatenate([far_xy, np.full((*far_xy.shape[:2], 1), far_z)], -1)
    near = np.concatenate([face_xy, face_z[..., None]], -1)
    wall = np.concatenate([wall_xy, wall_z[..., None]], -1)
    rings = np.concatenate([near, wall, far])
    cortex = np.concatenate([np.clip((u - 0.85) / 0.15, 0, 1)[:, None] * np.ones(theta.size),
                             np.ones((wall.shape[0] + far.shape[0], theta.size))])
    near_pole = np.array([0.0, 0.0, face(np.zeros((1, 2)))[0] + sign * GAP])
    far_pole = np.array([0.0, 0.0, far_z])
    if upper:
        surface = ring_solid(rings, near_pole, far_pole)
        surface.point_data["cortex"] = np.concatenate([cortex.ravel(), [0.0, 1.0]])
    else:
        surface = ring_solid(rings[::-1], far_pole, near_pole)
        surface.point_data["cortex"] = np.concatenate([cortex[::-1].ravel(), [1.0, 0.0]])
    return surface
