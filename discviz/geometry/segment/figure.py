"""A small figure of a person for the orientation marker in a corner of every view.

Standing in the model's axes (facing -y, the patient's left at +x, head up), so it turns
with the camera exactly as the anatomy does: a glance at it says where front, back, left and
right are in any cutaway. The face, the nose and the feet look forward; hair covers the back
of the head. Point array ``rgb`` (uint8) colours skin, hair, shirt, trousers and shoes.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from discviz.geometry.segment.sdf import Grid, Part, cone, ellipsoid
from discviz.geometry.surface import Surface

SKIN, HAIR, SHIRT, TROUSERS, SHOES = range(5)
COLOURS = np.array([[236, 196, 160], [70, 48, 34], [125, 140, 110], [62, 64, 72], [40, 36, 34]], np.uint8)
# (no blue: the figure must not read as the nucleus gel, nor red, green or yellow as a lesion)


def _parts() -> list[Part]:
    """Body parts in centimetres of a 175 cm person, left half (x >= 0)."""
    def part(label: int, field, lo, hi, blend=2.0) -> Part:
        return Part(label, np.asarray(lo, float), np.asarray(hi, float), field, blend)

    return [
        part(SKIN, ellipsoid([0, 0, 163], [8, 9.5, 11.5]), [-8, -10, 151], [8, 10, 175]),
        part(SKIN, ellipsoid([0, -9, 161], [1.4, 2.2, 2.4]), [-2, -12, 158], [2, -6, 164], 1.0),  # nose
        part(SKIN, cone([0, 0, 146], [0, 0, 153], 5.0, 5.0), [-6, -6, 140], [6, 6, 158]),
        part(SHIRT, ellipsoid([0, 0, 124], [17, 10, 24]), [-18, -11, 99], [18, 11, 149], 4.0),
        part(SHIRT, cone([16, 0, 141], [21, 1, 116], 4.6, 4.0), [11, -5, 110], [26, 6, 146]),  # upper arm
        part(SKIN, cone([21, 1, 116], [22, -2, 92], 3.8, 3.0), [17, -6, 88], [26, 5, 120]),  # forearm
        part(SKIN, ellipsoid([22, -3, 87], [2.6, 4.0, 5.0]), [19, -8, 81], [25, 2, 93], 1.5),  # hand
        part(TROUSERS, ellipsoid([0, 0, 100], [16, 10, 11]), [-17, -11, 88], [17, 11, 112], 3.0),
        part(TROUSERS, cone([8.5, 0, 96], [9, 0, 50], 7.5, 5.5), [0, -8, 44], [17, 8, 104]),  # thigh
        part(TROUSERS, cone([9, 0, 50], [9, 1, 10], 5.5, 4.0), [3, -6, 4], [15, 6, 56]),  # shin
        part(SHOES, ellipsoid([9, -5, 4], [4.5, 12, 4.2]), [4, -18, -1], [14, 8, 9], 1.5),  # foot
    ]


@lru_cache(maxsize=1)
def person_surface() -> Surface:
    """The figure, about 1.75 units tall in millimetres-free units (scale is the marker's)."""
    grid = Grid(np.array([0.0, -22.0, -4.0]), np.array([30.0, 14.0, 179.0]), 2.4)
    for part in _parts():
        grid.add(part)
    surface, labels = grid.mesh()
    points = surface.points
    label_of_point = np.zeros(surface.n_points, np.int64)
    label_of_point[surface.faces.ravel()] = np.repeat(labels, 3)
    head = (points[:, 2] > 156) & (label_of_point == SKIN)
    hair = head & ((points[:, 1] > -2.5) | (points[:, 2] > 169))
    label_of_point[hair] = HAIR
    surface.point_data["rgb"] = COLOURS[label_of_point]
    surface.points = points / 100.0
    return surface
