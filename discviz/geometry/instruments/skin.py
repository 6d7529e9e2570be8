"""``skin``: a faint patch of the back's skin around the entry, where the small cut is.

A thin, gently domed oval (70 x 50 mm, 2.4 mm thick) centred on the trajectory's skin entry and
facing back and a little outward, the way the back turns toward the flank 10-12 cm from the
midline. The cannula passes through it at the cut (they may overlap there). Built only while the
instruments are in (``instruments.insertion`` > 0); a scene shows it only where a step names it.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.instruments.trajectory import Trajectory
from discviz.geometry.primitives import ring_solid
from discviz.geometry.surface import Surface

HALF = (35.0, 25.0)  # mm: half the patch's length (up and down the back) and width
THICKNESS = 2.4  # mm
TURN = 20.0  # degrees the back's surface turns outward at the entry


def skin_surface(trajectory: Trajectory, rings: int = 12, around: int = 40) -> Surface:
    """The skin patch at the entry (sphere topology: a flattened, closed pillow)."""
    turn = np.radians(TURN)
    normal = np.array([trajectory.side * np.sin(turn), np.cos(turn), 0.0])  # out of the back
    up = np.array([0.0, 0.0, 1.0])
    across = np.cross(up, normal)
    phi = np.linspace(0.0, np.pi, rings + 2)[1:-1]  # from the inner face to the outer one
    theta = np.linspace(0.0, 2 * np.pi, around, endpoint=False)
    spread = np.sin(phi)[:, None]
    depth = -np.cos(phi)[:, None] * THICKNESS / 2
    u = spread * np.cos(theta)[None] * HALF[0]
    v = spread * np.sin(theta)[None] * HALF[1]
    dome = -0.02 * (u**2 + v**2) / HALF[0]  # the back curves away from the cut a little
    centre = trajectory.entry
    points = (centre + u[..., None] * up + v[..., None] * across
              + (depth + dome)[..., None] * normal)
    bottom = centre - normal * THICKNESS / 2
    top = centre + normal * THICKNESS / 2
    surface = ring_solid(points, bottom, top)
    tri = surface.points[surface.faces]
    volume = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum()
    if volume < 0:
        surface = Surface(surface.points, surface.faces[:, ::-1].copy())
    return surface
