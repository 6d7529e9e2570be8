"""Turn a :class:`ViewState` into pixels on any pyvista plotter (offscreen or in the window).

The window holds one 3D view (:class:`~discviz.render.pane.Pane`), or two side by side, and
the text overlay on top of both. A frame builds the geometry at the frame's state and
progress, writes the points into the existing meshes, and sets colours, opacity, cut
planes, cameras and text.

Labels never lie: after the geometry is set, :meth:`SceneRenderer.settle_labels` renders
the structure-id picture (:mod:`discviz.render.ids`), pins each label on a pixel of its own
structure as drawn, and places the boxes where they cover no other box and none of the
focused structures (:mod:`discviz.render.labels`). Between settles (while the viewer
animates) labels follow their pinned points, and :meth:`SceneRenderer.follow_labels` checks
each frame, on the meshes (:mod:`discviz.render.probe`, no render), that every dot still
lies on its own structure: one that another structure turned in front of, or that left its
structure, is pinned again on the id picture, or hidden when its structure shows too little.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkRenderer

from discviz.geometry.imaging.t2 import PLANES
from discviz.geometry.params import Params
from discviz.geometry.segment.figure import person_surface
from discviz.player.viewstate import ViewState
from discviz.render import painmap
from discviz.render.convert import to_polydata
from discviz.render.ids import SEE_THROUGH, IdMap, id_colour, id_of, name_of, render_ids, renderers_of
from discviz.render.labels import Avoid, Coverage, Placed, choose_anchor, layout
from discviz.render.mri import slice_picture
from discviz.render.overlay import MAX_LABELS, Overlay, mri_inset_height
from discviz.render.pane import (  # re-exported: the renderer's public helpers
    FREE_HEIGHT,
    PAIN_MAP_SHARE,
    VIEW_ANGLE,
    WINDOW_SHIFT,
    Pane,
    cut_reach,
    place_camera,
    point_colours,
    subject_points,
)
from discviz.render.probe import DrawnMesh, Probe, ScreenMap
from discviz.render.structures import kept

__all__ = ["FREE_HEIGHT", "VIEW_ANGLE", "WINDOW_SHIFT", "SceneRenderer", "cut_reach",
           "enable_anti_aliasing", "place_camera", "point_colours", "subject_points"]

INFLAMED_LABEL = 0.5  # a root this inflamed (0..1) is the pressed one its label names
DOT_MARGIN = 1.5  # pixels: a label's dot lies this far inside its structure, or is lost
LABEL_MAP_SCALE = 0.5  # the id picture for labels: half the window's size is plenty
SECOND = "beside:"  # key prefix of the second view's labels
DOT_CLEARANCE = 1 / 60  # a leader passes other dots at least this far (share of the unit: 12 px at 720p)
ANCHOR_DEPTH = 0.0055  # an anchor lies this deep in its structure (share of the unit: the dot's radius)
#: structures label plates keep off whenever there is room, whatever the step: the nerve roots
#: (the surgeon's danger) and the instruments
GUARDED = ("nerve-roots", "cannula", "endoscope", "rf-probe", "forceps")
FOCUS_FILL = 0.3  # a focused view shows its structures at least this wide (share of its width)
MAX_FOCUS_GAIN = 3.0
#: what the endoscope inset always draws around its tip, whatever the outside view hides
SCOPE_SURROUNDINGS = ("vertebra-upper", "vertebra-lower", "endplate-upper", "endplate-lower")
INSET_SHARE = 0.36  # the endoscope inset: its side, share of the view's smaller side
INSET_MARGIN = 0.02  # its gap to the view's right edge, share of the height
INSET_TOP = 0.14  # the title band above it, share of the height
#: measured zoom corrections of focused views: (step, view, state, params, cut, size) -> gain
_FOCUS_GAINS: dict[tuple, float] = {}


def enable_anti_aliasing(plotter: pv.Plotter, samples: int = 4) -> None:
    """Multisampling for the viewer (exports supersample instead: render/export.py)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            plotter.enable_anti_aliasing("msaa", multi_samples=samples)
        except Exception:
            pass


#: OpenGL renderer strings of drawing done by the CPU (Mesa's llvmpipe, softpipe and swrast,
#: Windows' fallbacks, SwiftShader), lower case
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "software rasterizer", "gdi generic",
                      "basic render", "swiftshader")


def software_opengl(capabilities: str) -> bool:
    """Whether VTK's ``ReportCapabilities()`` text names a renderer that draws on the CPU."""
    for line in capabilities.splitlines():
        if line.strip().lower().startswith("opengl renderer string:"):
            name = line.split(":", 1)[1].lower()
            return any(word in name for word in SOFTWARE_RENDERERS)
    return False


PERSON_VIEWPORT = (0.885, 0.015, 0.995, 0.215)  # lower right: the caption keeps to the left 80 %


@lru_cache(maxsize=8)
def mri_inset(params: Params, state: str, plane: str, language: str, height: int) -> np.ndarray:
    """The annotated slice picture for a step's inset (cached: the same step draws it once)."""
    rgb = slice_picture(params, state, 1.0, plane, language, height=height).rgb
    rgb.setflags(write=False)
    return rgb


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


@dataclass
class LabelRecord:
    """A label as drawn, for the sidecar JSON."""

    text: str
    structure: str
    view: int  # 0 the step's own view, 1 the view beside it
    anchor: tuple[float, float]  # pixel from the top-left
    box: tuple[float, float, float, float]


class SceneRenderer:
    """The views, overlay, lights and cameras of one plotter."""

    def __init__(self, plotter: pv.Plotter, multisample: bool = True) -> None:
        self.plotter = plotter
        if multisample:
            enable_anti_aliasing(plotter)
        self.main = Pane(plotter, plotter.renderer)
        self.main.make_all()
        self.second: Pane | None = None
        self.inset: Pane | None = None
        self.person = add_person(plotter)
        self.overlay = Overlay(plotter.render_window)
        self.labels_visible = True
        self.frames = 0
        self.frame: ViewState | None = None
        self._pins: dict[str, np.ndarray] = {}  # label key -> world point its leader ends on
        self._offsets: dict[str, tuple[float, float]] = {}  # label key -> box offset from anchor
        self._settled_key: tuple | None = None
        self._idmaps: dict[int, IdMap] = {}
        self.placed: dict[str, tuple[Placed, float]] = {}
        self._keep_out: list[tuple[float, float, float, float]] = []
        self._split = 0.0
        self._placed_poses: tuple = ()  # the cameras the labels were last placed for
        self._laid_out_for: tuple = ()  # the _layout_setting() of the last layout with id maps
        self.fxaa = False  # edges smoothed by FXAA instead of multisampling (software OpenGL)

    def fit_anti_aliasing(self) -> None:
        """Once OpenGL runs (before the first render): on a software renderer, smooth the 3D
        views' edges with FXAA, one pass over the finished picture, instead of multisampling,
        which there makes every frame about three times as slow. Text stays unfiltered.
        """
        if self.plotter.render_window.GetMultiSamples() == 0:
            return  # not multisampled (exports supersample): nothing to replace
        if not software_opengl(self.plotter.render_window.ReportCapabilities() or ""):
            return
        self.plotter.render_window.SetMultiSamples(0)
        self.fxaa = True
        # not the scope's ring either: a second pass over the round picture would blur it
        plain = {id(self.overlay.renderer)} | {id(p.mask.renderer) for p in self._panes()}
        for renderer in renderers_of(self.plotter.render_window):
            if id(renderer) not in plain:
                renderer.SetUseFXAA(True)

    # -- compatibility with one view ----------------------------------------------------

    @property
    def structures(self):  # -> dict[str, StructureActor]
        """The main view's structures."""
        return self.main.structures

    @property
    def _geometry_key(self) -> tuple | None:
        return self.main._geometry_key

    def _panes(self) -> list[Pane]:
        return [self.main, *([self.second] if self.second else []), *([self.inset] if self.inset else [])]

    def actor_count(self) -> int:
        """Props (3D and 2D actors) in every renderer (for leak checks)."""
        renderers = [r for p in self._panes() for r in (p.renderer, p.mask.renderer)]
        count = sum(r.GetViewProps().GetNumberOfItems() for r in renderers)
        return count + self.overlay.renderer.GetViewProps().GetNumberOfItems()

    @property
    def size(self) -> tuple[int, int]:
        """The window's size in pixels."""
        width, height = (int(v) for v in self.plotter.window_size)
        return max(width, 1), max(height, 1)

    # -- a frame ----------------------------------------------------------------------------

    def _second_pane(self) -> Pane:
        if self.second is None:
            renderer = vtkRenderer()
            renderer.SetLayer(0)
            renderer.SetUseFXAA(self.fxaa)
            self.plotter.render_window.AddRenderer(renderer)
            self.second = Pane(self.plotter, renderer)
            self.second.make_all()  # as the main view: no actor appears mid-story
        return self.second

    def _inset_pane(self) -> Pane:
        if self.inset is None:
            renderer = vtkRenderer()
            renderer.SetLayer(0)
            renderer.SetUseFXAA(self.fxaa)
            self.plotter.render_window.AddRenderer(renderer)  # added last: drawn over the view
            self.inset = Pane(self.plotter, renderer)
            self.inset.make_all()  # as the main view: no actor appears mid-story
        return self.inset

    def _show_inset(self, frame: ViewState, size: tuple[int, int],
                    own: tuple[float, float]) -> tuple[float, float, float, float] | None:
        """The endoscope's live picture in the view's upper right corner; its pixel box."""
        if frame.inset < 0.5:
            if self.inset is not None:
                self.inset.hide()
                self.inset.place((0.0, 0.0, 0.0, 0.0))
                self.inset.renderer.DrawOff()
            return None
        pane = self._inset_pane()
        width, height = size
        side = INSET_SHARE * min((own[1] - own[0]) * width, height)
        x1 = own[1] - INSET_MARGIN * height / width
        x0 = x1 - side / width
        y1 = 1.0 - INSET_TOP
        y0 = y1 - side / height
        pane.place((x0, y0, x1, y1))
        pane.renderer.DrawOn()
        # the scope sees the bone the outside view may leave out to show the disc: without it the
        # picture would have a black hole where the upper vertebra is
        bone = {name: 1.0 for name in SCOPE_SURROUNDINGS if name in frame.state_structures}
        opacity = {**frame.opacity, **bone}
        pane.show(replace(frame, scope=True, inset=0.0, labels={}, highlight={}, cutaway="none",
                          opacity=opacity), size)
        return (x0 * width, (1 - y1) * height, x1 * width, (1 - y0) * height)

    def _viewports(self, frame: ViewState) -> tuple[tuple[float, float], tuple[float, float] | None]:
        """(left, right) shares of the width of the step's view and of the one beside it."""
        split = frame.split if frame.beside is not None else 0.0
        if split <= 0.0:
            return (0.0, 1.0), None
        if frame.beside_side == "right":
            return (0.0, 1.0 - split), (1.0 - split, 1.0)
        return (split, 1.0), (0.0, split)

    def show(self, frame: ViewState, counter: str = "") -> None:
        """Set everything for ``frame`` (call ``plotter.render()`` after)."""
        if self.frame is not None and self.frame.step_id != frame.step_id:
            self._offsets.clear()  # a new step: its labels find new places (pins may carry on)
            self._laid_out_for = ()  # ... from its own id picture (see _place_labels)
        self.frame = frame
        # every label the frame names has its actors from then on, whether it finds a place or
        # not (as the structures' actors): none appears mid-story
        beside_labels = [SECOND + name for name in frame.beside.labels] if frame.beside else []
        for key in (*frame.labels, *beside_labels):
            self.overlay.label(key)
        size = self.size
        own, beside = self._viewports(frame)
        self.main.place((own[0], 0.0, own[1], 1.0))
        if beside is not None and frame.beside is not None:
            second = self._second_pane()
            second.place((beside[0], 0.0, beside[1], 1.0))
            second.renderer.DrawOn()
            self._show_pane(second, frame.beside, 1, size, beside)
        elif self.second is not None:
            self.second.hide()
            self.second.place((0.0, 0.0, 0.0, 0.0))
            self.second.renderer.DrawOff()
        self._show_pane(self.main, frame, 0, size, own)
        inset_box = self._show_inset(frame, size, own)
        self.overlay.set_text(frame.title, frame.caption, frame.text_alpha, counter)
        keep_out: list[tuple[float, float, float, float]] = [] if inset_box is None else [inset_box]
        subtitles = [(frame.subtitle, frame.text_alpha, own)]
        if beside is not None and frame.beside is not None:
            subtitles.append((frame.beside.subtitle, frame.beside.text_alpha, beside))
        keep_out += self.overlay.set_subtitles(subtitles)
        for box in (self.overlay.set_mri(self._mri(frame), frame.text_alpha),
                    self.overlay.set_image(frame.image, frame.text_alpha)):
            if box is not None:
                keep_out.append(box)
        x0, y0, x1, y1 = PERSON_VIEWPORT  # the orientation figure: no label over it
        keep_out.append((x0 * size[0], (1 - y1) * size[1], x1 * size[0], (1 - y0) * size[1]))
        for index, (view, share) in enumerate(((frame, own), (frame.beside, beside))):
            box = self._pain_map(index, view, share)
            if box is not None:
                keep_out.append(box)
        self._keep_out = keep_out
        self._place_labels(use_maps=False)
        self.frames += 1

    def _show_pane(self, pane: Pane, frame: ViewState, index: int, size: tuple[int, int],
                   share: tuple[float, float]) -> None:
        """Show ``frame`` in ``pane``; a focused view, once settled, is measured on the drawn
        picture and brought close enough that its structures fill :data:`FOCUS_FILL` of its
        width (the gain is kept for the step, so its transition glides to the same place).
        """
        key = (frame.step_id, index, frame.disc_state, frame.params, frame.cutaway, frame.focus,
               size, round(share[1] - share[0], 3))
        gain = _FOCUS_GAINS.get(key, 1.0)
        pane.show(frame, size, gain)
        shown = [n for n in frame.focus if frame.opacity.get(n, 0.0) > 0.01]
        if not shown or not frame.settled or key in _FOCUS_GAINS or frame.camera.focus_weight < 1:
            return
        for _ in range(2):  # perspective makes one correction a little short; two are plenty
            share_now = self._focus_share(pane, frame)
            if share_now <= 0 or share_now >= FOCUS_FILL * 0.95:
                break
            gain = min(gain * FOCUS_FILL / share_now, MAX_FOCUS_GAIN)
            pane.show(frame, size, gain)
        if len(_FOCUS_GAINS) > 256:
            _FOCUS_GAINS.clear()
        _FOCUS_GAINS[key] = gain

    def _focus_share(self, pane: Pane, frame: ViewState) -> float:
        """How much of the view's width the focused structures take as drawn (with nothing in
        front of them: how big they are, not how much of them the author lets show).
        """
        focused = [entry for entry in pane.drawn() if entry[0] in frame.focus]
        if not focused:
            return 0.0
        others = [actor for name, actor, _ in pane.drawn() if name not in frame.focus]
        for actor in others:
            for prop in actor.props:
                prop.SetVisibility(False)
        try:
            idmap = render_ids(self.plotter.render_window, pane.renderer, focused,
                               hide=self._other_renderers(pane), scale=0.25)
        finally:
            for actor in others:
                actor.restore_look()
        mask = np.isin(idmap.ids, [id_of(n) for n in frame.focus])
        columns = np.nonzero(mask.any(axis=0))[0]
        if len(columns) == 0:
            return 0.0
        return float(columns[-1] - columns[0] + 1) / idmap.ids.shape[1]

    def _mri(self, frame: ViewState) -> np.ndarray | None:
        """The step's synthetic MRI slice, computed from the model on screen (the settled
        state of the step, so that a transition does not recompute it every frame).
        """
        if frame.mri not in PLANES:
            return None
        return mri_inset(frame.params, frame.disc_state, frame.mri, frame.language,
                         mri_inset_height(self.size))

    def _pain_map(self, index: int, view: ViewState | None, share: tuple[float, float] | None):
        if view is None or share is None or not view.pain:
            self.overlay.set_picture(index, None, None, (0, 0), 0.0)
            return None
        width, height = self.size
        left, right = share
        room = (right - left) * width * PAIN_MAP_SHARE  # the column place_camera leaves free
        tall = int(min(height * 0.36, room / painmap.ASPECT))
        image = painmap.pain_map(view.pain, tall)
        margin = self.overlay.unit * 0.035
        x = right * width - image.shape[1] - margin
        bottom = self.overlay.caption_top - margin * 0.5
        if right > 0.99:  # above the orientation figure in the lower right corner
            bottom = min(bottom, (1 - PERSON_VIEWPORT[3]) * height - margin * 0.3)
        return self.overlay.set_picture(index, image, (view.pain, tall), (x, bottom), view.pain_alpha)

    # -- labels -------------------------------------------------------------------------------

    def set_labels_visible(self, visible: bool) -> None:
        """Show or hide the structure labels (the viewer's L key)."""
        self.labels_visible = visible
        self._place_labels(use_maps=False)

    def _views(self) -> list[tuple[str, Pane, ViewState]]:
        """(label key prefix, pane, frame) of each view on show."""
        out: list[tuple[str, Pane, ViewState]] = []
        if self.frame is not None:
            out.append(("", self.main, self.frame))
            if self.frame.beside is not None and self.second is not None and self.second.frame is not None:
                out.append((SECOND, self.second, self.second.frame))
        return out

    def view_key(self) -> tuple:
        """What decides where labels go: geometry, cameras, window, cuts, opacities, labels."""
        parts: list[object] = [self.size, self.labels_visible]
        for prefix, pane, frame in self._views():
            parts.append((prefix, pane._geometry_key, pane.camera_pose(), tuple(pane.renderer.GetViewport()),
                          frame.cutaway, round(frame.cutaway_amount, 4),
                          tuple(sorted((n, round(v, 2)) for n, v in frame.opacity.items())),
                          tuple(sorted(frame.labels))))
        return tuple(parts)

    def check_labels(self) -> bool:
        """After ``plotter.render()`` (or before the first): pin the labels on what is drawn when
        the view changed since the last look. True when the picture needs rendering again.
        """
        if self.view_key() == self._settled_key:
            return False
        return self.settle_labels()

    def settle_labels(self, scale: float = LABEL_MAP_SCALE) -> bool:
        """Render the id picture, pin every label on its structure as drawn, place the boxes.
        True when a label moved, appeared or went.
        """
        before = {k: (p.box, p.anchor) for k, (p, _) in self.placed.items()}
        self._idmaps = {}
        views = self._views()
        if self.labels_visible and any(frame.labels for _, _, frame in views):
            for index, (prefix, pane, frame) in enumerate(views):
                idmap = self._render_ids(pane, scale)
                self._idmaps[index] = idmap
                self._pin(prefix, pane, frame, idmap)
        self._place_labels(use_maps=True)
        self._settled_key = self.view_key()
        after = {k: (p.box, p.anchor) for k, (p, _) in self.placed.items()}
        return after != before

    def _render_ids(self, pane: Pane, scale: float) -> IdMap:
        """``pane``'s id picture; where nothing is seen (the black around the scope's round
        picture) it holds no structure, so no label is pinned there.
        """
        idmap = render_ids(self.plotter.render_window, pane.renderer, pane.drawn(),
                           hide=self._other_renderers(pane), scale=scale)
        idmap.ids[pane.unseen(idmap, self.size)] = 0
        return idmap

    def _other_renderers(self, pane: Pane) -> list[vtkRenderer]:
        others = [self.overlay.renderer]
        for other in (self.main, self.second):
            if other is not None and other is not pane:
                others.append(other.renderer)
        return others

    def _free(self, idmap: IdMap) -> np.ndarray:
        """Where in ``idmap`` a leader may end: between the title and the caption, outside the
        pain maps and the inset picture (a dot under a panel would point at nothing seen).
        """
        rows, cols = idmap.ids.shape
        height = self.size[1]
        # display y of each map row's centre, then as pixels from the top
        row_y = height - (idmap.origin[1] + (rows - 1 - np.arange(rows) + 0.5) / idmap.scale)
        col_x = idmap.origin[0] + (np.arange(cols) + 0.5) / idmap.scale
        return self._free_at(row_y, col_x)

    def _free_at(self, row_y: np.ndarray, col_x: np.ndarray) -> np.ndarray:
        """(rows, columns) of whether a leader may end at each (row y from the top, column x)."""
        unit = self.overlay.unit
        top = max(self.overlay.title_bottom, unit * 0.05) + unit * 0.01
        bottom = self.overlay.caption_top - unit * 0.01
        edge = unit * 0.03  # a dot at the picture's very edge points at a sliver nobody reads
        width = self.size[0]
        rows_free = (row_y > top) & (row_y < bottom)
        free = rows_free[:, None] & ((col_x > edge) & (col_x < width - edge))[None, :]
        for x0, y0, x1, y1 in self._keep_out:
            free &= ~(((row_y >= y0) & (row_y <= y1))[:, None] & ((col_x >= x0) & (col_x <= x1))[None, :])
        return free

    # -- labels between settles ---------------------------------------------------------------

    def follow_labels(self) -> bool:
        """After :meth:`show` of a frame that is not settled on (each frame of an animation):
        check on the meshes that every label's dot still lies on its own structure, in the
        free area; when one does not (another structure turned in front of it, or it left
        its structure), pin those labels afresh on the id picture; one whose new dot is
        still not on its structure goes. True when the labels were pinned again.
        """
        if self._placed_poses != self._poses():
            self._place_labels(use_maps=False)  # the camera moved since show(): follow it
        lost = self._lost_labels()
        if not lost:
            return False
        for key in lost:
            self._pins.pop(key, None)  # chosen afresh: the middle of what shows of its structure
        self.settle_labels()
        still = self._lost_labels()
        if still:  # on a sliver the meshes see otherwise: better no label than a wrong one
            for key in still:
                self._pins.pop(key, None)
            self._place_labels(use_maps=True)
        return True

    def _lost_labels(self) -> list[str]:
        """Keys of the labels drawn now whose dot is not on its own structure (or not free)."""
        lost: list[str] = []
        height = self.size[1]
        for prefix, pane, frame in self._views():
            keys = [key for key in self.placed if key.startswith(prefix) and
                    (prefix or not key.startswith(SECOND))]
            if not keys:
                continue
            probe = self._probe(pane, frame)
            anchors = [self.placed[key][0].anchor for key in keys]
            # the centre of the pixel the dot is drawn on, and its neighbours a margin away: a
            # dot on the very edge would show the structure or its neighbour by a hair
            centres = [(math.floor(x) + 0.5, math.floor(height - y_top) + 0.5) for x, y_top in anchors]
            seen = probe.names_at(centres, radius=DOT_MARGIN)
            free = self._free_at(np.array([y for _, y in anchors]), np.array([x for x, _ in anchors]))
            for number, key in enumerate(keys):
                name = key[len(prefix):]
                if not free[number, number] or any(found != name for found in seen[number]):
                    lost.append(key)
        return lost

    def _probe(self, pane: Pane, frame: ViewState) -> Probe:
        """The meshes of ``pane`` as drawn now, to ask what shows at a pixel."""
        meshes = [DrawnMesh(name, pane.surfaces[name].points, pane.surfaces[name].faces,
                            opacity <= SEE_THROUGH)
                  for name, _, opacity in pane.drawn() if name in pane.surfaces]
        screen = self._screen_map(pane)
        reach = cut_reach(frame.params)
        cutaway, amount = frame.cutaway, frame.cutaway_amount
        keeps = None if cutaway == "none" else (lambda points: kept(points, cutaway, amount, reach))
        return Probe(meshes, screen, keeps, cull_back=bool(frame.scope and cutaway == "none"))

    def _pin(self, prefix: str, pane: Pane, frame: ViewState, idmap: IdMap) -> None:
        """Choose each label's anchor pixel in ``idmap`` and remember it as a world point."""
        free = self._free(idmap)
        for name in list(frame.labels)[:MAX_LABELS]:
            key = prefix + name
            number = id_of(name)
            mask = (idmap.ids == number) & free
            pressed = self._pressed_part(pane, name, idmap)
            if pressed is not None:  # a herniation presses a root: the label names that one
                mask &= pressed
            previous = None
            if key in self._pins:
                x, y = self._project(pane.renderer, self._pins[key])
                previous = self._map_pixel(idmap, x, y)
            pixel = self._anchor(mask, previous, idmap) if number else None
            if pixel is None:
                self._pins.pop(key, None)
                continue
            if pixel == previous:
                continue
            row, column = pixel
            x = idmap.origin[0] + (column + 0.5) / idmap.scale
            y = idmap.origin[1] + (idmap.ids.shape[0] - 1 - row + 0.5) / idmap.scale
            z = float(idmap.depth[row, column])
            renderer = pane.renderer
            renderer.SetDisplayPoint(x, y, z)
            renderer.DisplayToWorld()
            wx, wy, wz, w = renderer.GetWorldPoint()
            point = np.array([wx, wy, wz]) / (w if w else 1.0)
            self._pins[key] = self._onto_cut(pane, frame, name, point)

    def _anchor(self, mask: np.ndarray, previous: tuple[int, int] | None,
                idmap: IdMap) -> tuple[int, int] | None:
        """The anchor pixel in ``mask``: on a patch at least as deep as the dot is wide (a dot
        on a sliver would cover all there is of it), on the part seen directly rather than
        through glass when that part has such a patch.
        """
        depth = max(1, round(self.overlay.unit * ANCHOR_DEPTH * idmap.scale))
        if idmap.behind_glass is not None and (mask & idmap.behind_glass).any():
            pixel = choose_anchor(mask & ~idmap.behind_glass, previous, depth)
            if pixel is not None:
                return pixel
        return choose_anchor(mask, previous, depth)

    def _pressed_part(self, pane: Pane, name: str, idmap: IdMap) -> np.ndarray | None:
        """Pixels of ``idmap`` near the inflamed (pressed) part of ``name``, or None when no
        part of it is inflamed: the roots' label then never ends on a healthy yellow root.
        """
        surface = pane.surfaces.get(name)
        inflamed = None if surface is None else surface.point_data.get("inflamed")
        if inflamed is None or float(inflamed.max(initial=0.0)) < INFLAMED_LABEL:
            return None
        x, y, ahead = self._screen_map(pane).project(surface.points[inflamed >= INFLAMED_LABEL])
        x, y = x[ahead], y[ahead]
        rows, cols = idmap.ids.shape
        column = ((x - idmap.origin[0]) * idmap.scale).astype(int)
        row = rows - 1 - ((y - idmap.origin[1]) * idmap.scale).astype(int)
        inside = (row >= 0) & (row < rows) & (column >= 0) & (column < cols)
        near = np.zeros((rows, cols), bool)
        near[row[inside], column[inside]] = True
        for _ in range(2):  # the points are the tube's vertices: close the gaps between them
            grown = near.copy()
            grown[1:] |= near[:-1]
            grown[:-1] |= near[1:]
            grown[:, 1:] |= near[:, :-1]
            grown[:, :-1] |= near[:, 1:]
            near = grown
        return near

    @staticmethod
    def _onto_cut(pane: Pane, frame: ViewState, name: str, point: np.ndarray) -> np.ndarray:
        """A point seen through a cut is the inside of the far wall, drawn flat as the cut
        face: pin the label where the eye meets the cut instead, so that it stays on the
        face as the camera turns.
        """
        if frame.cutaway == "none":
            return point
        actor = pane.structures.get(name)
        if actor is None:
            return point
        mesh = actor.normals.GetOutput()
        if mesh is None or mesh.GetNumberOfPoints() == 0 or mesh.GetPointData().GetNormals() is None:
            return point
        from vtkmodules.util.numpy_support import vtk_to_numpy

        points = vtk_to_numpy(mesh.GetPoints().GetData())
        normals = vtk_to_numpy(mesh.GetPointData().GetNormals())
        nearest = int(np.argmin(((points - point) ** 2).sum(axis=1)))
        eye = np.asarray(pane.renderer.GetActiveCamera().GetPosition())
        if float(normals[nearest] @ (eye - point)) >= 0:
            return point  # a front face: the point itself is what is seen
        reach = cut_reach(frame.params)
        along = eye[None, :] + np.linspace(0.0, 1.0, 257)[:, None] * (point - eye)[None, :]
        inside = kept(along, frame.cutaway, frame.cutaway_amount, reach)
        first = int(np.argmax(inside)) if inside.any() else len(along) - 1
        return along[first]

    @staticmethod
    def _map_pixel(idmap: IdMap, x: float, y: float) -> tuple[int, int] | None:
        column = int((x - idmap.origin[0]) * idmap.scale)
        row = idmap.ids.shape[0] - 1 - int((y - idmap.origin[1]) * idmap.scale)
        if 0 <= row < idmap.ids.shape[0] and 0 <= column < idmap.ids.shape[1]:
            return row, column
        return None

    @staticmethod
    def _project(renderer: vtkRenderer, point: np.ndarray) -> tuple[float, float]:
        renderer.SetWorldPoint(*map(float, point), 1.0)
        renderer.WorldToDisplay()
        x, y, _ = renderer.GetDisplayPoint()
        return float(x), float(y)

    def _screen_map(self, pane: Pane) -> ScreenMap:
        """World to display pixels of ``pane`` as its camera stands now."""
        renderer = pane.renderer
        width, height = self.size
        vx0, vy0, vx1, vy1 = renderer.GetViewport()
        matrix = renderer.GetActiveCamera().GetCompositeProjectionTransformMatrix(
            renderer.GetTiledAspectRatio(), -1.0, 1.0)
        return ScreenMap(np.array([[matrix.GetElement(i, j) for j in range(4)] for i in range(4)]),
                         (vx0 * width, vy0 * height), ((vx1 - vx0) * width, (vy1 - vy0) * height))

    def _poses(self) -> tuple:
        return tuple(pane.camera_pose() for _, pane, _ in self._views())

    def _layout_setting(self) -> tuple:
        """What the boxes of a step are laid out in: its window size and the panels kept clear."""
        step = self.frame.step_id if self.frame is not None else None
        return step, self.size, tuple(tuple(round(v) for v in box) for box in self._keep_out)

    def _place_labels(self, use_maps: bool) -> None:
        """Lay out the boxes of every pinned label (with the id maps: around the focused
        structures and over the background where it can).
        """
        placed: dict[str, tuple[Placed, float]] = {}
        self._placed_poses = self._poses()
        if not self.labels_visible or self.frame is None:
            self.placed = {}
            self.overlay.show_labels({})
            return
        width, height = self.size
        unit = self.overlay.unit
        margin = unit * 0.02
        top = max(self.overlay.title_bottom, unit * 0.05) + margin
        bottom = min(self.overlay.caption_top, height) - margin
        for index, (prefix, pane, frame) in enumerate(self._views()):
            vx0, _, vx1, _ = pane.area  # the view's place (through the scope it draws less)
            area = (vx0 * width + margin, top, vx1 * width - margin, bottom)
            anchors: dict[str, tuple[float, float]] = {}
            sizes: dict[str, tuple[float, float]] = {}
            alphas: dict[str, float] = {}
            for name, (text, alpha) in list(frame.labels.items())[:MAX_LABELS]:
                key = prefix + name
                if key not in self._pins or alpha <= 0.02:
                    continue
                x, y = self._project(pane.renderer, self._pins[key])
                anchors[key] = (x, height - y)
                sizes[key] = self.overlay.measure(key, text)
                alphas[key] = alpha
            hard = soft = guard = None
            avoid = None
            idmap = self._idmaps.get(index) if use_maps else None
            if idmap is not None:
                hard, soft, guard, avoid = self._obstacles(idmap, frame, prefix, anchors)
            # the first layout on the id picture of a step (or of a new window size or new
            # panels) ignores where the frames before it put the boxes: a step shown again
            # looks the same as the first time
            fresh = idmap is not None and self._laid_out_for != self._layout_setting()
            offsets = {} if fresh else {k: v for k, v in self._offsets.items() if k in anchors}
            boxes = layout(anchors, sizes, area, reach=unit * 0.07, hard=hard, soft=soft,
                           previous=offsets, keep_out=tuple(self._keep_out), gap=unit * 0.008,
                           guard=guard, avoid=avoid, clearance=unit * DOT_CLEARANCE)
            for key, where in boxes.items():
                placed[key] = (where, alphas[key])
                self._offsets[key] = (where.box[0] - where.anchor[0], where.box[1] - where.anchor[1])
        if use_maps and self._idmaps:
            self._laid_out_for = self._layout_setting()
        self.placed = placed
        self.overlay.show_labels(placed)

    def _obstacles(self, idmap: IdMap, frame: ViewState, prefix: str,
                   anchors: dict[str, tuple[float, float]]) -> tuple[Coverage, Coverage, Coverage, Avoid]:
        """What the boxes and leaders of a view keep off, from its id picture made window-wide:
        the focused structures (never under a box), what the step is about (the focused and
        highlighted structures, every labelled one, the nerve roots and the instruments: off
        them whenever there is room), the model (rather not), and the focused and
        highlighted structures again for the leaders to go around.
        """
        width, height = self.size
        scale = idmap.scale
        corner = (round(idmap.origin[0] * scale), round(idmap.origin[1] * scale))
        ids = np.zeros((round(height * scale), round(width * scale)), np.uint8)
        _paste(ids, idmap.ids, corner)
        focus = [id_of(n) for n in frame.focus]
        shown = [id_of(n) for n, strength in frame.highlight.items() if strength > 0.05]
        labelled = [id_of(n) for n in frame.labels]
        guarded = {*focus, *shown, *labelled, *(id_of(n) for n in GUARDED)} - {0}
        across = tuple(sorted({*focus, *shown} - {0}))
        own = {key: id_of(key[len(prefix):]) for key in anchors}
        return (Coverage(np.isin(ids, focus) if focus else None, scale), Coverage(ids > 0, scale),
                Coverage(np.isin(ids, sorted(guarded)), scale), Avoid(ids, scale, across, own))

    # -- what is drawn ------------------------------------------------------------------------

    def label_records(self) -> list[LabelRecord]:
        """Every label drawn now, for the sidecar JSON."""
        out = []
        for key, (where, _) in self.placed.items():
            view = 1 if key.startswith(SECOND) else 0
            name = key[len(SECOND):] if view else key
            out.append(LabelRecord(self.overlay.labels[key].caption, name, view, where.anchor, where.box))
        return out

    def id_picture(self, scale: float = 1.0) -> tuple[np.ndarray, dict[str, tuple[int, int, int]]]:
        """The whole window's id picture at ``scale`` of its size: (h, w, 3) colours, and the
        colour of each structure in it.
        """
        width, height = self.size
        out = np.zeros((max(round(height * scale), 1), max(round(width * scale), 1)), np.uint8)
        for _, pane, _ in self._views():
            idmap = self._render_ids(pane, scale)
            corner = (round(idmap.origin[0] * scale), round(idmap.origin[1] * scale))
            _paste(out, idmap.ids, corner, keep=True)
        colours = IdMap(out, np.ones(out.shape), (0, 0), scale).colour_picture()
        present = {name_of(int(n)) for n in np.unique(out) if n}
        return colours, {n: id_colour(n) for n in sorted(present) if n}

    def structure_at(self, x: float, y: float) -> tuple[str, int] | None:
        """The structure drawn at display pixel (x, y) (origin bottom-left) and its view (0 the
        step's own, 1 the one beside it), or None over the background.
        """
        for index, (_, pane, _) in enumerate(self._views()):
            vx0, vy0, vx1, vy1 = pane.renderer.GetViewport()
            width, height = self.size
            if not (vx0 * width <= x < vx1 * width and vy0 * height <= y < vy1 * height):
                continue
            idmap = self._render_ids(pane, 1.0)
            name = name_of(idmap.at(x, y))
            return (name, index) if name else None
        return None


def _paste(target: np.ndarray, part: np.ndarray, corner: tuple[int, int], keep: bool = False) -> None:
    """Put a viewport's map into a window-wide one, its lower-left at ``corner`` (column, row
    from the bottom), cropping what a rounding pixel puts outside. ``keep``: only nonzero values.
    """
    column, row = corner
    bottom = target.shape[0] - row  # the map's last row ends here (rows of ``target`` run down)
    rows = max(min(part.shape[0], bottom), 0)
    cols = max(min(part.shape[1], target.shape[1] - column), 0)
    piece = part[part.shape[0] - rows:, :cols]
    region = target[bottom - rows:bottom, column:column + cols]
    if keep:
        region[piece > 0] = piece[piece > 0]
    else:
        region[...] = piece
