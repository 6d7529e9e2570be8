"""The geometry layer's output: a triangle surface as plain numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Surface:
    """A closed triangle surface.

    points: (n, 3) float64, millimetres, axes of docs/scene-language.md, Coordinates.
    faces: (m, 3) int64, counter-clockwise seen from outside (outward normals).
    cell_data / point_data: named arrays with m / n rows (``lamella`` on the annulus...).
    """

    points: np.ndarray
    faces: np.ndarray
    cell_data: dict[str, np.ndarray] = field(default_factory=dict)
    point_data: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_points(self) -> int:
        """Number of points."""
        return int(self.points.shape[0])

    @property
    def n_faces(self) -> int:
        """Number of triangles."""
        return int(self.faces.shape[0])
