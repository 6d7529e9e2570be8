"""One 3D view in the window: a VTK renderer with its own structures, lights and camera.

A step shows one view; a side-by-side step shows two, each with its own state, structures
and camera (the second view's renderer is made the first time a step asks for it). The
geometry of a frame is built once and written into the existing meshes.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkLight, vtkRenderer

from discviz.geometry import build_surfaces
from discviz.geometry.params import Params
from discviz.geometry.structures import STRUCTURES
from discviz.geometry.surface import Surface
from discviz.player.camera import direction
from discviz.player.viewstate import ViewState
from discviz.render.ids import IdMap
from discviz.render.materials import (
    SEARED_REACH,
    STAIN_REACH,
    annulus_shade,
    material_for,
    part_colours,
    pathology_tint,
    seared,
    stained,
)
from discviz.render.scope import (
    ScopeMask,
    circle_box,
    outside_circle,
    pixel_box,
    place_scope_camera,
)
from discviz.render.structures import StructureActor, kept

BACKGROUND_TOP = (0.23, 0.29, 0.36)
BACKGROUND_BOTTOM = (0.055, 0.078, 0.106)
VIEW_ANGLE = 30.0
MARGIN = 1.04
FREE_HEIGHT = 0.74  # share of the view height between the title and the caption
WINDOW_SHIFT = 0.09
PULSE_PERIOD = 1.8  # seconds
PAIN_MAP_SHARE = 0.3  # share of a view's width its pain map takes (the model keeps the rest)
FOCUS_TALLEST = 1.25  # ... and at most this share of its height
FOCUS_SHARE = 0.3  # a focused view frames its structures at least this wide (share of the view)

# (elevation, azimuth relative to the camera, intensity): a key light from the upper left and
# a soft fill from the lower right, turning with the camera. (A third, rim light cost a sixth
# of the frame in software GL for little to see.)
LIGHTS = ((40.0, -35.0, 0.82), (-15.0, 40.0, 0.38))


@lru_cache(maxsize=4)
def subject_points(params: Params) -> np.ndarray:
    """A sample of the points the framing must hold: the disc and both whole vertebrae."""
    parts = build_surfaces("healthy", params)
    points = np.concatenate([parts["vertebra-upper"].points, parts["vertebra-lower"].points,
                             parts["annulus"].points])
    return points[:: max(len(points) // 3000, 1)]


@lru_cache(maxsize=4)
def cut_reach(params: Params) -> float:
    """How far out (mm) a cut plane starts, so that sliding in from there cuts nothing at first."""
    parts = build_surfaces("healthy", params)
    points = np.concatenate([p.points for p in parts.values()])
    return float(np.linalg.norm(points, axis=1).max()) * 1.05


def point_colours(name: str, surface: Surface, params: Params, contrast: float = 0.0) -> np.ndarray:
    """Per-point RGB (uint8): the palette colour, lamellae banded like a histological section,
    bone with a brighter cortex, the pathology's own tints (vessels, ablation, scar) and the
    discogram look (``contrast`` 0..1). Never the highlight: a highlight lights, it does not repaint.
    """
    base = np.asarray(material_for(name, params.f("nucleus.hydration")).color)
    colours = np.repeat(base[None, :], surface.n_points, axis=0)
    if name == "annulus" and "lamella" in surface.cell_data:
        lamella = np.zeros(surface.n_points)
        lamella[surface.faces.ravel()] = np.repeat(surface.cell_data["lamella"], 3)
        shade = np.where(lamella % 2 == 0, 0.9, 1.0)
        depth = surface.point_data.get("depth", np.ones(surface.n_points))
        colours = annulus_shade(colours, depth) * shade[:, None]
    elif name.startswith("vertebra") and "cortex" in surface.point_data:
        cortex = surface.point_data["cortex"][:, None]
        colours = colours * (0.92 + 0.08 * cortex)
    elif "part" in surface.cell_data and name in ("endoscope", "forceps"):
        parts = np.empty(surface.n_points, dtype=surface.cell_data["part"].dtype)
        parts[surface.faces.ravel()] = np.repeat(surface.cell_data["part"], 3)
        colours = part_colours(name, parts, colours)
    colours = pathology_tint(name, surface.point_data, colours, contrast)
    return (np.clip(colours, 0, 1) * 255).astype(np.uint8)


def stain_amount(name: str, surface: Surface, surfaces: dict[str, Surface]) -> np.ndarray | None:
    """Through the scope, the indigo carmine injected into the disc (chromodiscography, Tsou,
    Yeung and Yeung 2004): the nucleus and the material in the tear blue, the tear's lining and
    the annulus around the tear tinged where the dye has soaked in.
    """
    if name in ("nucleus", "nucleus-tract"):
        return 0.85 * surface.point_data.get("dye", np.ones(surface.n_points))
    if name == "fissure":
        return np.full(surface.n_points, 0.55)
    tear = surfaces.get("nucleus-tract") or surfaces.get("fissure")
    if name != "annulus" or tear is None:
        return None
    sample = tear.points[:: max(tear.n_points // 80, 1)]
    lo, hi = sample.min(axis=0) - STAIN_REACH, sample.max(axis=0) + STAIN_REACH
    near = np.all((surface.points >= lo) & (surface.points <= hi), axis=1)
    amount = np.zeros(surface.n_points)
    if near.any():
        gap = np.sqrt(((surface.points[near][:, None] - sample[None]) ** 2).sum(axis=2)).min(axis=1)
        amount[near] = 0.95 * np.clip(1.0 - gap / STAIN_REACH, 0.0, 1.0) ** 0.6
    return amount


def seared_amount(name: str, surface: Surface, surfaces: dict[str, Surface]) -> np.ndarray | None:
    """Through the scope, the annulus' surface over the sealed tear, shrunk by the probe's heat
    (Tsou, Yeung and Yeung 2004): the scar itself lies under the closed outer lamellae, so the
    monitor shows where it is by the seared surface over it, as the scar grows.
    """
    scar = surfaces.get("repair")
    if name != "annulus" or scar is None or "scar" not in scar.point_data:
        return None
    grown = float(scar.point_data["scar"].max())
    sample = scar.points[:: max(scar.n_points // 120, 1)]
    lo, hi = sample.min(axis=0) - SEARED_REACH, sample.max(axis=0) + SEARED_REACH
    near = np.all((surface.points >= lo) & (surface.points <= hi), axis=1)
    amount = np.zeros(surface.n_points)
    if near.any() and grown > 0:
        gap = np.sqrt(((surface.points[near][:, None] - sample[None]) ** 2).sum(axis=2)).min(axis=1)
        amount[near] = grown * np.clip(1.0 - gap / SEARED_REACH, 0.0, 1.0) ** 0.5
    return amount


class Lights:
    """A view's two sets of lights: key and fill outside, the scope's own light inside."""

    def __init__(self) -> None:
        self.outside: list[vtkLight] = []
        for elevation, azimuth, intensity in LIGHTS:
            light = vtkLight()
            light.SetLightTypeToCameraLight()
            light.SetPositional(False)
            el, az = math.radians(elevation), math.radians(azimuth)
            light.SetPosition(math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el))
            light.SetFocalPoint(0.0, 0.0, 0.0)
            light.SetIntensity(intensity)
            self.outside.append(light)
        # the endoscope's own light at its tip: near tissue bright, the depth falling off into dark
        self.scope = vtkLight()
        self.scope.SetLightTypeToHeadlight()
        self.scope.SetPositional(True)
        self.scope.SetConeAngle(80.0)
        self.scope.SetAttenuationValues(0.55, 0.02, 0.0015)
        self.scope.SetIntensity(1.0)

    def use(self, renderer: vtkRenderer, scope: bool) -> None:
        """Put only the set in use into ``renderer``. VTK shades every fragment for the most
        complex light in the renderer, switched on or not: the scope's positional light,
        merely switched off, made the outside views' lighting cost 40 % more in software GL.
        """
        wanted = [self.scope] if scope else self.outside
        lights = renderer.GetLights()
        present = [lights.GetItemAsObject(i) for i in range(lights.GetNumberOfItems())]
        if present == wanted:
            return
        renderer.RemoveAllLights()
        renderer.AutomaticLightCreationOff()
        for light in wanted:
            renderer.AddLight(light)


@lru_cache(maxsize=32)
def focus_extent(params: Params, names: tuple[str, ...], state: str, cutaway: str) -> np.ndarray | None:
    """(8, 3) corners of the box around what the cut leaves of the focused structures, as
    built complete (so that the camera holds still while a tear grows). None when none shows.
    """
    from discviz.geometry.structures import STATE_STRUCTURES, STATES

    points = []
    for name in names:
        having = state if name in STATE_STRUCTURES.get(state, ()) else next(
            (s for s in STATES if name in STATE_STRUCTURES[s]), None)
        surface = build_surfaces(having, params, 1.0).get(name) if having else None
        if surface is not None and surface.n_points:
            points.append(surface.points)
    if not points:
        return None
    stacked = np.concatenate(points)
    keep = kept(stacked, cutaway, 1.0, cut_reach(params))
    if keep.sum() >= 4:
        stacked = stacked[keep]
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    return np.array([[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1])
                     for z in (low[2], high[2])])


def _fit_distance(points: np.ndarray, view: np.ndarray, right: np.ndarray, up: np.ndarray,
                  tan_h: float, tan_v: float) -> float:
    depth = points @ view
    return float(np.max(np.maximum(depth + np.abs(points @ right) / tan_h,
                                   depth + np.abs(points @ up) / tan_v)))


def place_camera(plotter: pv.Plotter | None, frame: ViewState, renderer: vtkRenderer | None = None,
                 size: tuple[int, int] | None = None, gain: float = 1.0) -> None:
    """Fit the subject into the view at any aspect ratio, leaving the top and bottom bands to
    the title and the caption; zoom > 1 moves in from that fit. A focused view centres on its
    structures and comes close enough that they fill at least :data:`FOCUS_SHARE` of its width.
    """
    renderer = renderer if renderer is not None else plotter.renderer  # type: ignore[union-attr]
    if frame.scope:
        place_scope_camera(frame, renderer)
        return
    if size is None:
        size = tuple(plotter.window_size) if plotter is not None else tuple(renderer.GetSize())  # type: ignore[assignment]
    vx0, vy0, vx1, vy1 = renderer.GetViewport()
    width = max(int(size[0] * (vx1 - vx0)), 1)  # 0 before first show
    height = max(int(size[1] * (vy1 - vy0)), 1)
    az, el = math.radians(frame.camera.azimuth), math.radians(frame.camera.elevation)
    view = direction(frame.camera.azimuth, frame.camera.elevation)
    up = np.array([-math.sin(az) * math.sin(el), math.cos(az) * math.sin(el), math.cos(el)])
    right = np.cross(view, up)
    tan_v = math.tan(math.radians(VIEW_ANGLE) / 2) * FREE_HEIGHT
    aside = PAIN_MAP_SHARE if frame.pain else 0.0  # the pain map's column, right of the model
    tan_h = tan_v / FREE_HEIGHT * width / max(height, 1) * 0.96 * (1.0 - aside)
    points = subject_points(frame.params)
    keep = kept(points, frame.cutaway, frame.cutaway_amount, cut_reach(frame.params))
    if keep.sum() > 10:  # frame what the cut leaves (continuous as the cut slides in)
        points = points[keep]
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    distance = _fit_distance(points - centre, view, right, up, tan_h, tan_v) * MARGIN
    distance /= max(frame.camera.zoom, 0.05)
    camera_state = frame.camera
    if camera_state.focus is not None:  # a focused step looks at its structures, from as near
        weight = camera_state.focus_weight
        centre = centre + weight * (np.asarray(camera_state.focus) - centre)
        # the fill rule holds for what the view shows: a hidden focus (the canal's sac behind
        # the bone) only centres the camera
        shown = tuple(n for n in frame.focus if frame.opacity.get(n, 0.0) > 0.01)
        corners = focus_extent(frame.params, shown, frame.disc_state, frame.cutaway) if shown else None
        if corners is None and camera_state.focus_box is not None and not frame.focus:
            low, high = np.asarray(camera_state.focus_box[:3]), np.asarray(camera_state.focus_box[3:])
            corners = np.array([[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1])
                                for z in (low[2], high[2])])
        if corners is not None and weight > 0:
            corners = corners - centre
            across = float(np.ptp(corners @ right))
            tall = float(np.ptp(corners @ up))
            # the width at the focal plane is 2 d tan_h: the structures take FOCUS_SHARE of it
            # (``gain``: measured on the drawn picture, what shows of them is narrower than their
            # box), but a tall, narrow one (a tear seen along its plane) may outgrow the picture's
            # height by a quarter at most (its ends under the title and caption bands)
            near = across / (2 * tan_h * FOCUS_SHARE) / gain if across > 1e-3 else distance
            near = max(near, tall / (2 * tan_v / FREE_HEIGHT * FOCUS_TALLEST),
                       float(np.max(corners @ view)) + 5.0)
            if near < distance:
                distance = math.exp(math.log(distance) + weight * (math.log(near) - math.log(distance)))
    camera = renderer.GetActiveCamera()
    camera.SetViewAngle(VIEW_ANGLE)
    camera.SetFocalPoint(*centre)
    camera.SetPosition(*(centre + view * distance))
    camera.SetViewUp(*up)
    # the subject sits a little high (caption below), and left of a pain map
    camera.SetWindowCenter(aside, -WINDOW_SHIFT)
    renderer.ResetCameraClippingRange()


class Pane:
    """One 3D view: a renderer, its structures (made on first use) and its geometry cache."""

    def __init__(self, plotter: pv.Plotter, renderer: vtkRenderer) -> None:
        self.plotter = plotter
        self.renderer = renderer
        renderer.GradientBackgroundOn()
        renderer.SetBackground(*BACKGROUND_BOTTOM)
        renderer.SetBackground2(*BACKGROUND_TOP)
        renderer.GetActiveCamera().SetViewAngle(VIEW_ANGLE)
        self.lights = Lights()
        self.lights.use(renderer, scope=False)
        self.structures: dict[str, StructureActor] = {}
        self._geometry_key: tuple | None = None
        self._surfaces: dict[str, Surface] = {}
        self.frame: ViewState | None = None
        self.area: tuple[float, float, float, float] = tuple(renderer.GetViewport())  # type: ignore[assignment]
        self.mask = ScopeMask(plotter.render_window)  # added right after the renderer: drawn over it

    def place(self, viewport: tuple[float, float, float, float]) -> None:
        """Where in the window the view goes (the renderer draws there, or, through the scope,
        only in the round picture's box inside it).
        """
        self.area = viewport
        self.renderer.SetViewport(*viewport)

    def actor(self, name: str) -> StructureActor:
        """The actors of ``name`` (made on first use, then reused)."""
        found = self.structures.get(name)
        if found is None:
            found = StructureActor(name, material_for(name), self.plotter, self.renderer)
            self.structures[name] = found
        return found

    def make_all(self) -> None:
        """Make every structure's actors now (the main view: no actor appears mid-story)."""
        for name in STRUCTURES:
            self.actor(name)

    @property
    def surfaces(self) -> dict[str, Surface]:
        """The surfaces of the frame on show."""
        return self._surfaces

    def show(self, frame: ViewState, size: tuple[int, int], gain: float = 1.0) -> None:
        """Geometry, looks, cut and camera of ``frame`` (call render after)."""
        self.frame = frame
        if frame.scope:  # inside the body: dark around what the scope's light reaches
            self.renderer.GradientBackgroundOff()
            self.renderer.SetBackground(0.0, 0.0, 0.0)
        else:
            self.renderer.GradientBackgroundOn()
            self.renderer.SetBackground(*BACKGROUND_BOTTOM)
        self.lights.use(self.renderer, frame.scope)
        key = (frame.disc_state, frame.params, round(frame.progress, 5))
        if key != self._geometry_key:
            self._surfaces = build_surfaces(frame.disc_state, frame.params, frame.progress)
            self._geometry_key = key
        reach = cut_reach(frame.params)
        pulse = 0.6 + 0.4 * math.sin(2 * math.pi * frame.time / PULSE_PERIOD) ** 2
        angle = frame.params.f("annulus.fibre_angle")
        wanted = {n for n, v in frame.opacity.items() if v > 0.01 and n in self._surfaces}
        for name in set(self.structures) | wanted:
            actor = self.actor(name)
            surface = self._surfaces.get(name)
            opacity = frame.opacity.get(name, 0.0) * actor.material.opacity  # the palette's own glass
            if frame.scope and opacity > 0.01:  # through the scope tissue is opaque, as it is
                opacity = 1.0
            visible = surface is not None and opacity > 0.01
            glow = frame.highlight.get(name, 0.0) * pulse
            if visible and surface is not None:
                # a static structure (the bone, the sac) is the very same surface from frame to
                # frame: only the structures that move are written again
                look = (surface, surface.points, frame.params.f("nucleus.hydration"),
                        round(frame.contrast, 2), frame.scope)
                shown = actor.shown
                same = (isinstance(shown, tuple) and shown[0] is surface and shown[1] is surface.points
                        and shown[2:] == look[2:])
                if not same:
                    colours = point_colours(name, surface, frame.params, frame.contrast)
                    stain = stain_amount(name, surface, self._surfaces) if frame.scope else None
                    if stain is not None:
                        colours = (stained(colours / 255.0, stain) * 255).astype(np.uint8)
                    heat = seared_amount(name, surface, self._surfaces) if frame.scope else None
                    if heat is not None:
                        colours = (seared(colours / 255.0, heat) * 255).astype(np.uint8)
                    actor.set_surface(surface, colours, angle)
                    actor.shown = look
                actor.set_cutaway(frame.cutaway, frame.cutaway_amount, reach)
                actor.prepare()
            actor.set_look(visible, opacity, glow, frame.cutaway)
            # through the scope every surface is opaque and closed: the faces turned away are
            # never seen, and skipping them spares the many nested lamellae right in front
            cull = bool(frame.scope and frame.cutaway == "none")
            for part in actor.actors:
                part.GetProperty().SetBackfaceCulling(cull)
        self.renderer.SetViewport(*self.area)
        if frame.scope:  # only the circle's box is drawn; the ring over the area blacks the rest
            area = pixel_box(self.area, size)
            box = circle_box(area)
            self.renderer.SetViewport(box[0] / size[0], box[1] / size[1], box[2] / size[0], box[3] / size[1])
            place_scope_camera(frame, self.renderer, area, box)
        else:
            place_camera(None, frame, self.renderer, size, gain)
        self.mask.show(self.area if frame.scope else None, size)
        if hasattr(self.renderer, "camera_set"):
            self.renderer.camera_set = True  # pyvista: the first show() must not reset it

    def drawn(self) -> list[tuple[str, StructureActor, float]]:
        """The structures on show: (name, actors, opacity)."""
        return [(name, actor, actor.opacity) for name, actor in self.structures.items() if actor.visible]

    def hide(self) -> None:
        """Show nothing (the second view when a step has none)."""
        for actor in self.structures.values():
            actor.set_look(False, 0.0, 0.0, "none")
        self.mask.show(None, (1, 1))
        self.frame = None

    def unseen(self, idmap: IdMap, size: tuple[int, int]) -> np.ndarray:
        """Which pixels of this view's id map nobody sees: through the scope, those outside
        the round picture (black on screen). None otherwise.
        """
        if self.frame is None or not self.frame.scope:
            return np.zeros(idmap.ids.shape, bool)
        return outside_circle(idmap.ids.shape, idmap.origin, idmap.scale, pixel_box(self.area, size))

    def camera_pose(self) -> tuple:
        """Where the camera is (for knowing when the picture changed)."""
        camera = self.renderer.GetActiveCamera()
        return (tuple(round(v, 4) for v in camera.GetPosition()),
                tuple(round(v, 4) for v in camera.GetFocalPoint()),
                tuple(round(v, 4) for v in camera.GetViewUp()))
