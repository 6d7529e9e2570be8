"""The endoscope's round picture (the surgeon's monitor): camera, crop and black surround.

Seen from inside the body, surfaces fill the whole view, and software OpenGL shades every
fragment of them, even those that fail the depth test. So the scope's 3D scene is drawn
only in the circle's bounding box (its renderer's viewport shrunk to that box, the camera's
frustum cut to match, so every pixel sees what it saw in the whole view), and a second
renderer over the view's whole area, drawn after it without clearing, paints the black ring
around the circle: the pixels outside the box cost one flat black polygon.
"""

from __future__ import annotations

import math

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkCoordinate,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkRenderWindow,
)

from discviz.player.viewstate import ViewState

SCOPE_VIEW_ANGLE = 48.0  # degrees over the view's height, about 36 across the round picture:
# the monitor's magnification, so that the opened tear, its gel and the nerves read from the
# docked scope some 14 mm away, with the dural sac still at the picture's edge
SCOPE_CIRCLE = 0.37  # the round picture's radius, share of the view's smaller side
SCOPE_LIFT = 0.04  # its centre above the view's middle (share of the height): room for the caption
SCOPE_DEPTH = 45.0  # mm the scope sees: beyond, its light has faded into the dark
BOX_PAD = 2  # pixels the drawn box reaches beyond the circle (its edge's smoothing)

Box = tuple[int, int, int, int]  # x0, y0, x1, y1: display pixels, origin bottom-left, x1/y1 excluded


def pixel_box(viewport: tuple[float, ...], size: tuple[int, int]) -> Box:
    """A viewport's pixels in a window of ``size``, rounded as VTK rounds them."""
    vx0, vy0, vx1, vy1 = viewport
    width, height = size
    return (int(vx0 * width + 0.5), int(vy0 * height + 0.5), int(vx1 * width + 0.5), int(vy1 * height + 0.5))


def circle_of(area: Box) -> tuple[float, float, float]:
    """The round picture's centre (display pixels) and radius in a view of pixels ``area``."""
    x0, y0, x1, y1 = area
    width, height = x1 - x0, y1 - y0
    return x0 + width / 2, y0 + height * (0.5 + SCOPE_LIFT), SCOPE_CIRCLE * min(width, height)


def circle_box(area: Box) -> Box:
    """The pixels around the round picture (its bounding square, inside the view)."""
    cx, cy, radius = circle_of(area)
    return (max(math.floor(cx - radius) - BOX_PAD, area[0]), max(math.floor(cy - radius) - BOX_PAD, area[1]),
            min(math.ceil(cx + radius) + BOX_PAD, area[2]), min(math.ceil(cy + radius) + BOX_PAD, area[3]))


def place_scope_camera(frame: ViewState, renderer: vtkRenderer, area: Box | None = None,
                       box: Box | None = None) -> None:
    """The camera in the endoscope's lens, looking along its optic angle. With ``box`` (the
    renderer drawing only those pixels of the view ``area``) the frustum is cut to the box:
    each pixel of it sees what it sees in the whole view.
    """
    from discviz.geometry.model import endoscope_camera

    eye, target, up = endoscope_camera(frame.disc_state, frame.params, frame.progress)
    camera = renderer.GetActiveCamera()
    camera.SetPosition(*eye)
    camera.SetFocalPoint(*target)
    camera.SetViewUp(*up)
    camera.SetClippingRange(0.3, SCOPE_DEPTH)
    if area is None or box is None or box[2] <= box[0] or box[3] <= box[1]:
        camera.SetViewAngle(SCOPE_VIEW_ANGLE)
        camera.SetWindowCenter(0.0, -2 * SCOPE_LIFT)
        return
    # the whole view's frustum at unit distance: y over the height from -(1 + 2 lift) t to
    # (1 - 2 lift) t, x from -t w/h to t w/h; a pixel is 2 t / h wide and tall
    t = math.tan(math.radians(SCOPE_VIEW_ANGLE) / 2)
    width, height = area[2] - area[0], area[3] - area[1]
    step = 2 * t / max(height, 1)
    bottom = -(1 + 2 * SCOPE_LIFT) * t + step * (box[1] - area[1])
    top = -(1 + 2 * SCOPE_LIFT) * t + step * (box[3] - area[1])
    left = -t * width / max(height, 1) + step * (box[0] - area[0])
    right = -t * width / max(height, 1) + step * (box[2] - area[0])
    half_height, half_width = (top - bottom) / 2, (right - left) / 2
    camera.SetViewAngle(math.degrees(2 * math.atan(half_height)))
    # VTK's frustum: x in (centre_x -+ 1) half_height aspect, y in (centre_y -+ 1) half_height
    camera.SetWindowCenter((left + right) / 2 / half_width, (bottom + top) / 2 / half_height)


class ScopeMask:
    """The black around the round picture: a ring in a renderer of its own over the view's
    whole area, drawn after the view's renderer (added to the window just after it) and
    keeping what that drew.
    """

    def __init__(self, window: vtkRenderWindow) -> None:
        self.renderer = vtkRenderer()
        self.renderer.SetLayer(0)
        self.renderer.SetPreserveColorBuffer(True)
        self.renderer.SetPreserveDepthBuffer(True)
        self.renderer.InteractiveOff()
        self.renderer.DrawOff()
        window.AddRenderer(self.renderer)
        self.polydata = pv.PolyData()
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(self.polydata)
        coordinate = vtkCoordinate()
        coordinate.SetCoordinateSystemToViewport()
        mapper.SetTransformCoordinate(coordinate)
        self.actor = vtkActor2D()
        self.actor.SetMapper(mapper)
        self.actor.GetProperty().SetColor(0.0, 0.0, 0.0)
        self.renderer.AddViewProp(self.actor)
        self._size: tuple[int, int] | None = None

    def show(self, viewport: tuple[float, ...] | None, size: tuple[int, int]) -> None:
        """Black out what lies outside the circle of the view ``viewport`` of a window of
        ``size`` pixels (None: draw nothing).
        """
        if viewport is None:
            self.renderer.DrawOff()
            return
        vx0, vy0, vx1, vy1 = viewport
        self.renderer.SetViewport(vx0, vy0, vx1, vy1)
        self.renderer.DrawOn()
        view = (max(int(size[0] * (vx1 - vx0)), 1), max(int(size[1] * (vy1 - vy0)), 1))
        if view == self._size:
            return
        width, height = view
        radius = SCOPE_CIRCLE * min(width, height)
        far = 2.0 * max(width, height)
        t = np.linspace(0.0, 2 * np.pi, 160, endpoint=False)
        ring = np.stack([np.cos(t), np.sin(t), np.zeros_like(t)], axis=1)
        centre = np.array([width / 2, height * (0.5 + SCOPE_LIFT), 0.0])
        points = np.concatenate([centre + radius * ring, centre + far * ring])
        n = len(t)
        i = np.arange(n)
        j = (i + 1) % n
        quads = np.stack([np.full(n, 4), i, j, j + n, i + n], axis=1).ravel()
        self.polydata.points = points
        self.polydata.faces = quads
        self._size = view


def outside_circle(shape: tuple[int, ...], origin: tuple[int, int], scale: float, area: Box) -> np.ndarray:
    """Which pixels of an id map of ``shape`` (rows from the top, its lower-left at display
    pixel ``origin``, ``scale`` map pixels a display pixel) lie outside the round picture.
    """
    rows, cols = shape[:2]
    y = origin[1] + (rows - 1 - np.arange(rows) + 0.5) / scale
    x = origin[0] + (np.arange(cols) + 0.5) / scale
    cx, cy, radius = circle_of(area)
    return (y[:, None] - cy) ** 2 + (x[None, :] - cx) ** 2 > radius**2
