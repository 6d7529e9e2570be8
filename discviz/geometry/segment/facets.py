"""The facet (zygapophyseal) joints: a curved plate of cartilage and joint space between the
upper vertebra's inferior articular process and the lower vertebra's superior one, thickening
into the capsule at its rim. The joint stands at the level's facet angle to the mid-sagittal
plane (about 40 degrees at L3-4, 45-50 at L4-5, 50-55 at L5-S1; Masharawi 2004) and curves
with its concave side (the SAP's articular face) toward the back of the canal. The bone of
both processes is cut back around it (see :mod:`discviz.geometry.segment.vertebra`), so the
joint never enters the bone.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.primitives import merge, ring_solid, signed_volume
from discviz.geometry.segment.layout import FacetJoint, SegmentLayout, mirror
from discviz.geometry.surface import Surface

RINGS = {"low": (18, 5, 4), "medium": (28, 7, 6), "high": (44, 10, 8)}  # around, flat rings, rim rings


def _profile(joint: FacetJoint, flat: int, rim: int) -> tuple[np.ndarray, np.ndarray]:
    """(rho, w) of the meridian from the SAP side's middle, out over the rim, to the IAP side."""
    scale = min(joint.half_width, joint.half_height)
    rho_in = np.linspace(0.0, 1.0, flat + 1)[1:]
    beyond = joint.capsule / scale  # the rim: a half circle of the capsule's half thickness
    angle = np.linspace(-np.pi / 2, np.pi / 2, rim + 2)[1:-1]
    rho_rim = 1.0 + beyond * np.cos(angle)
    w_rim = joint.capsule * np.sin(angle)
    rho = np.concatenate([rho_in, rho_rim, rho_in[::-1]])
    w = np.concatenate([-joint.profile(rho_in), w_rim, joint.profile(rho_in[::-1])])
    return rho, w


def joint_surface(joint: FacetJoint, quality: str) -> Surface:
    """One joint (the left one as laid out): a closed lens."""
    around, flat, rim = RINGS[quality]
    rho, w = _profile(joint, flat, rim)
    t = np.linspace(0.0, 2 * np.pi, around, endpoint=False)
    u = rho[:, None] * joint.half_width * np.cos(t)[None]
    v = rho[:, None] * joint.half_height * np.sin(t)[None]
    rings = joint.world(u, v, np.broadcast_to(w[:, None], u.shape))
    bottom = joint.world(np.array(0.0), np.array(0.0), np.array(-joint.cartilage))
    top = joint.world(np.array(0.0), np.array(0.0), np.array(joint.cartilage))
    surface = ring_solid(rings, bottom, top)
    if signed_volume(surface) < 0:
        surface.faces = surface.faces[:, ::-1].copy()
    return surface


def facet_joints_surface(layout: SegmentLayout) -> Surface:
    """Both facet joints of the level, with cell array ``side`` (left, right)."""
    left = joint_surface(layout.joint, str(layout.params["quality"]))
    right = Surface(mirror(left.points), left.faces[:, ::-1].copy())
    return merge([left, right], {"side": [np.full(left.n_faces, "left"), np.full(right.n_faces, "right")]})
