"""Geometry surfaces -> pyvista PolyData: the only place this conversion happens."""

from __future__ import annotations

import numpy as np
import pyvista as pv

from discviz.geometry.surface import Surface


def faces_array(faces: np.ndarray) -> np.ndarray:
    """VTK's flat cell array for triangles: [3, a, b, c, 3, ...]."""
    return np.hstack([np.full((faces.shape[0], 1), 3, dtype=np.int64), faces]).ravel()


def to_polydata(surface: Surface) -> pv.PolyData:
    """A PolyData carrying the surface's points, triangles and arrays."""
    mesh = pv.PolyData(surface.points.copy(), faces_array(surface.faces))
    for name, values in surface.cell_data.items():
        mesh.cell_data[name] = values
    for name, values in surface.point_data.items():
        mesh.point_data[name] = values
    return mesh
