"""Turn a :class:`ViewState` into pixels on any pyvista plotter (offscreen or in the window).

Actors are made once per structure (:mod:`discviz.render.structures`); a frame builds the
geometry at the frame's state and progress, writes the points into the existing meshes,
and sets colours, opacity, cut planes, camera and text.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pyvista as pv

from discviz.geometry import build_surfaces
from discviz.geometry.imaging.t2 import PLANES
from discviz.geometry.params import Params
from discviz.geometry.segment.figure import person_surface
from discviz.geometry.structures import STRUCTURES
from discviz.geometry.surface import Surface
from discviz.player.camera import direction
from discviz.player.viewstate import ViewState
from discviz.render.convert import to_polydata
from discviz.render.labels import LabelAnchors
from discviz.render.materials import annulus_shade, material_for, pathology_tint
from discviz.render.mri import slice_picture
from discviz.render.overlay import Overlay, mri_inset_height
from discviz.render.structures import StructureActor, kept

BACKGROUND_TOP = "#3b4a5c"
BACKGROUND_BOTTOM = "#0e141b"
GLOW = (1.0, 0.78, 0.35)  # warm highlight
VIEW_ANGLE = 30.0
MARGIN = 1.04
FREE_HEIGHT = 0.74  # share of the view height between the title and the caption
WINDOW_SHIFT = 0.09
PULSE_PERIOD = 1.8  # seconds


@lru_cache(maxsize=4)
def subject_points(params: Params) -> np.ndarray:
    """A sample of the points the framing must hold: the disc and both whole vertebrae."""
    parts = build_surfaces("healthy", params)
    points = np.concatenate([parts["vertebra-upper"].points, parts["vertebra-lower"].points,
                             parts["annulus"].points])
    return points[:: max(len(points) // 3000, 1)]


@lru_cache(maxsize=8)
def mri_inset(params: Params, state: str, plane: str, language: str, height: int) -> np.ndarray:
    """The annotated slice picture for a step's inset (cached: the same step draws it once)."""
    rgb = slice_picture(params, state, 1.0, plane, language, height=height).rgb
    rgb.setflags(write=False)
    return rgb


@lru_cache(maxsize=4)
def cut_reach(params: Params) -> float:
    """How far out (mm) a cut plane starts, so that sliding in from there cuts nothing at first."""
    parts = build_surfaces("healthy", params)
    points = np.concatenate([p.points for p in parts.values()])
    return float(np.linalg.norm(points, axis=1).max()) * 1.05


def point_colours(name: str, surface: Surface, params: Params, glow: float,
                  contrast: float = 0.0) -> np.ndarray:
    """Per-point RGB (uint8): the material colour, lamellae banded like a histological
    section, bone with a brighter cortex, the pathology's own tints (and the discogram look),
    blended toward the highlight glow.
    """
    base = np.asarray(material_for(name, params.f("nucleus.hydration")).color)
    colours = np.repeat(base[None, :], surface.n_points, axis=0)
    if name == "annulus" and "lamella" in surface.cell_data:
        lamella = np.zeros(surface.n_points)
        lamella[surface.faces.ravel()] = np.repeat(surface.cell_data["lamella"], 3)
        shade = np.where(lamella % 2 == 0, 0.86, 1.0)
        depth = surface.point_data.get("depth", np.ones(surface.n_points))
        colours = annulus_shade(colours, depth) * shade[:, None]
    elif name.startswith("vertebra") and "cortex" in surface.point_data:
        cortex = surface.point_data["cortex"][:, None]
        colours = colours * (0.93 + 0.1 * cortex)
    colours = pathology_tint(name, surface.point_data, colours, contrast)
    if glow > 0:
        colours = colours * (1 - 0.3 * glow) + np.asarray(GLOW) * 0.3 * glow
    return (np.clip(colours, 0, 1) * 255).astype(np.uint8)


def enable_anti_aliasing(plotter: pv.Plotter) -> None:
    """Multisampling where the platform has it (EGL/OSMesa builds cannot do FXAA)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            plotter.enable_anti_aliasing("msaa", multi_samples=4)
        except Exception:
            pass


def place_camera(plotter: pv.Plotter, frame: ViewState) -> None:
    """Fit the subject into the view at any aspect ratio, leaving the top and bottom bands
    to the title and the caption; zoom > 1 moves in from that fit.
    """
    width, height = (max(int(v), 1) for v in plotter.window_size)  # 0 before first show
    az, el = math.radians(frame.camera.azimuth), math.radians(frame.camera.elevation)
    view = direction(frame.camera.azimuth, frame.camera.elevation)
    up = np.array([-math.sin(az) * math.sin(el), math.cos(az) * math.sin(el), math.cos(el)])
    right = np.cross(view, up)
    tan_v = math.tan(math.radians(VIEW_ANGLE) / 2) * FREE_HEIGHT
    tan_h = tan_v / FREE_HEIGHT * width / max(height, 1) * 0.96
    points = subject_points(frame.params)
    keep = kept(points, frame.cutaway, frame.cutaway_amount, cut_reach(frame.params))
    if keep.sum() > 10:  # frame what the cut leaves (continuous as the cut slides in)
        points = points[keep]
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    points = points - centre
    depth = points @ view
    distance = float(np.max(np.maximum(depth + np.abs(points @ right) / tan_h,
                                       depth + np.abs(points @ up) / tan_v))) * MARGIN
    distance /= max(frame.camera.zoom, 0.05)
    if frame.camera.focus is not None:  # a focused step looks at its structures, from as near
        centre = centre + frame.camera.focus_weight * (np.asarray(frame.camera.focus) - centre)
    camera = plotter.camera
    camera.focal_point = tuple(centre)
    camera.position = tuple(centre + view * distance)
    camera.up = tuple(up)
    camera.SetWindowCenter(0.0, -WINDOW_SHIFT)  # the subject sits a little high: caption below
    plotter.renderer.ResetCameraClippingRange()


PERSON_VIEWPORT = (0.885, 0.015, 0.995, 0.215)  # lower right: the caption keeps to the left 80 %


def add_person(plotter: pv.Plotter) -> object:
    """A small figure of a person in the lower right corner, turning with the camera, so front,
    back, left and right read at a glance in every view (the orientation marker of 3D Slicer).
    """
    figure = person_surface()
    mesh = to_polydata(figure)
    mapper = pv.DataSetMapper(mesh)
    mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectColorArray("rgb")
    mapper.SetColorModeToDirectScalars()
    mapper.ScalarVisibilityOn()
    actor = pv.Actor(mapper=mapper)
    actor.prop.ambient = 0.3
    actor.prop.diffuse = 0.8
    return plotter.add_orientation_widget(actor, interactive=False, viewport=PERSON_VIEWPORT)


class SceneRenderer:
    """The structures, overlay, lights and camera of one plotter."""

    def __init__(self, plotter: pv.Plotter) -> None:
        self.plotter = plotter
        plotter.set_background(BACKGROUND_BOTTOM, top=BACKGROUND_TOP)
        # Depth peeling draws nothing translucent on Mesa's EGL here (VTK 9.7), so translucent
        # structures are sorted per actor instead; multisampling smooths the edges.
        enable_anti_aliasing(plotter)
        plotter.camera.view_angle = VIEW_ANGLE
        self.structures: dict[str, StructureActor] = {
            name: StructureActor(name, material_for(name), plotter) for name in STRUCTURES
        }
        self.person = add_person(plotter)
        self.overlay = Overlay(plotter)
        self.labels = LabelAnchors(plotter, self.overlay)
        self._geometry_key: tuple | None = None
        self._surfaces: dict[str, Surface] = {}
        self.labels_visible = True
        self.frames = 0

    def actor_count(self) -> int:
        """Props (3D and 2D actors) in the renderer (for leak checks)."""
        renderer = self.plotter.renderer
        return renderer.GetViewProps().GetNumberOfItems()

    def show(self, frame: ViewState, counter: str = "") -> None:
        """Set everything for ``frame`` (call ``plotter.render()`` after)."""
        key = (frame.disc_state, frame.params, round(frame.progress, 5))
        if key != self._geometry_key:
            self._surfaces = build_surfaces(frame.disc_state, frame.params, frame.progress)
            self._geometry_key = key
        reach = cut_reach(frame.params)
        pulse = 0.6 + 0.4 * math.sin(2 * math.pi * frame.time / PULSE_PERIOD) ** 2
        angle = frame.params.f("annulus.fibre_angle")
        for name, actor in self.structures.items():
            surface = self._surfaces.get(name)
            opacity = frame.opacity.get(name, 0.0)
            visible = surface is not None and opacity > 0.01
            glow = frame.highlight.get(name, 0.0) * pulse
            if visible and surface is not None:
                # a static structure (the bone, the sac) is the very same surface from frame to
                # frame: only the structures that move are written again
                look = (surface, surface.points, round(glow, 2), frame.params.f("nucleus.hydration"),
                        round(frame.contrast, 2))
                shown = actor.shown
                same = (isinstance(shown, tuple) and shown[0] is surface and shown[1] is surface.points
                        and shown[2:] == look[2:])
                if not same:
                    colours = point_colours(name, surface, frame.params, glow, frame.contrast)
                    actor.set_surface(surface, colours, angle)
                    actor.shown = look
                actor.set_cutaway(frame.cutaway, frame.cutaway_amount, reach)
            actor.set_look(visible, opacity, glow, GLOW, frame.cutaway)
        place_camera(self.plotter, frame)
        self.overlay.set_text(frame.title, frame.caption, frame.text_alpha, counter)
        self.overlay.set_mri(self._mri(frame), frame.text_alpha)
        self.overlay.set_image(frame.image, frame.text_alpha)
        toward = direction(frame.camera.azimuth, frame.camera.elevation)
        anchors: dict[str, tuple[str, float, np.ndarray]] = {}
        if self.labels_visible:
            for name, (text, alpha) in frame.labels.items():
                actor = self.structures.get(name)
                if actor is None or frame.opacity.get(name, 0.0) <= 0.01 or name not in self._surfaces:
                    continue
                points = actor.anchors(toward, frame.cutaway, frame.cutaway_amount, reach)
                if points is not None:
                    anchors[name] = (text, alpha, points)
        camera = self.plotter.camera
        view_key = (self._geometry_key, camera.position, camera.focal_point, tuple(self.plotter.window_size),
                    frame.cutaway, round(frame.cutaway_amount, 4),
                    tuple(sorted((n, round(v, 2)) for n, v in frame.opacity.items())), tuple(anchors))
        self.labels.set(anchors, view_key)
        self.frames += 1

    def _mri(self, frame: ViewState) -> np.ndarray | None:
        """The step's synthetic MRI slice, computed from the model on screen (the settled
        state of the step, so that a transition does not recompute it every frame).
        """
        if frame.mri not in PLANES:
            return None
        return mri_inset(frame.params, frame.disc_state, frame.mri, frame.language,
                         mri_inset_height(self.plotter))

    def check_labels(self) -> bool:
        """After ``plotter.render()``: move labels whose anchor something hides, hide labels of
        structures that do not show. True when the picture needs rendering again.
        """
        return self.labels.check()

    def set_labels_visible(self, visible: bool) -> None:
        """Show or hide the structure labels (the viewer's L key)."""
        self.labels_visible = visible
