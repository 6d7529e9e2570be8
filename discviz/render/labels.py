"""Which point each label pins to, checked against what was really drawn.

A label's first anchor is chosen geometrically (structures.StructureActor.anchors); whether
something stands in front of it (a nerve root before the annulus, the ring around a seal
inside it) only the depth buffer of a finished render knows. After a render,
:meth:`LabelAnchors.check` moves each hidden label to its first anchor that shows, or hides
the label when none shows: a leader ending on the wrong structure misleads a patient.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkFloatArray

from discviz.render.overlay import Overlay

SHOWING_SLACK = 0.6  # mm: an anchor this far behind the drawn surface still counts as on it

Label = tuple[str, float, np.ndarray]  # text, alpha, candidate anchors (k, 3), best first


class LabelAnchors:
    """The labels of the frame on screen, their candidate anchors and the chosen ones."""

    def __init__(self, plotter: pv.Plotter, overlay: Overlay) -> None:
        self.plotter = plotter
        self.overlay = overlay
        self.labels: dict[str, Label] = {}
        self.choice: dict[str, int | None] = {}  # None: nothing of the structure shows
        self._view_key: tuple | None = None  # what the choices were checked for
        self._checked_key: tuple | None = None

    def set(self, labels: dict[str, Label], view_key: tuple) -> None:
        """The labels of a new frame. ``view_key`` names what decides visibility (geometry,
        camera, cutaway, opacities): while it stays the same, the last check's choices hold.
        """
        self.labels = labels
        # keep each label's last choice: from one animation frame to the next it mostly still
        # holds, and the check after the render then changes nothing (no second render)
        self.choice = {name: self._valid(name) for name in labels}
        self._view_key = view_key
        self._place()

    def _valid(self, name: str) -> int | None:
        choice = self.choice.get(name, 0)
        return choice if choice is None or choice < len(self.labels[name][2]) else 0

    def check(self) -> bool:
        """After a render: True when a label moved or hid (render again to show it)."""
        if not self.labels or self._view_key == self._checked_key:
            return False
        depth = self._depth_buffer()
        if depth is None:
            return False
        changed = False
        for name, (_, _, candidates) in self.labels.items():
            choice = next((i for i, point in enumerate(candidates) if self._shows(point, depth)), None)
            changed |= choice != self.choice.get(name, 0)
            self.choice[name] = choice
        self._checked_key = self._view_key
        if changed:
            self._place()
        return changed

    def _place(self) -> None:
        shown: dict[str, tuple[str, float, np.ndarray]] = {}
        for name, (text, alpha, candidates) in self.labels.items():
            choice = self.choice.get(name, 0)
            if choice is not None:
                shown[name] = (text, alpha, candidates[choice])
        self.overlay.set_labels(shown)

    def _depth_buffer(self) -> np.ndarray | None:
        """The last render's depth (rows from the bottom, as display y), or None when there is
        none to trust (nothing rendered yet; a platform that does not give it back).
        """
        window = self.plotter.render_window
        if window is None:
            return None
        width, height = (int(v) for v in self.plotter.window_size)
        window.MakeCurrent()
        values = vtkFloatArray()
        window.GetZbufferData(0, 0, width - 1, height - 1, values)
        depth = vtk_to_numpy(values)
        if depth.size != width * height or not np.all((depth >= 0.0) & (depth <= 1.0)):
            return None
        return depth.reshape(height, width)

    def _shows(self, point: np.ndarray, depth: np.ndarray) -> bool:
        renderer = self.plotter.renderer
        renderer.SetWorldPoint(*map(float, point), 1.0)
        renderer.WorldToDisplay()
        x, y, _ = renderer.GetDisplayPoint()
        column, row = round(x), round(y)
        height, width = depth.shape
        if not (0 <= column < width and 0 <= row < height):
            return False
        drawn = float(depth[max(row - 1, 0):row + 2, max(column - 1, 0):column + 2].max())
        renderer.SetDisplayPoint(x, y, drawn)
        renderer.DisplayToWorld()
        wx, wy, wz, w = renderer.GetWorldPoint()
        camera = np.asarray(self.plotter.camera.position)
        surface = np.array([wx, wy, wz]) / (w if w else 1.0)
        behind = float(np.linalg.norm(point - camera)) - float(np.linalg.norm(surface - camera))
        return behind <= SHOWING_SLACK
