"""Text and pictures over the 3D views: step title, caption panel, counter, structure labels
(plate, leader line, anchor dot), the subtitles of side-by-side views, the inset picture
and the pain maps.

Everything lives in one renderer on the window's top layer, over the whole window, so
text spans both views of a side-by-side step. Every actor is made once; frames only change
text, place and alpha. Sizes follow the window height (``unit``), so type stays large on a
wall screen, at 1366x768, and in a supersampled export.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkImageData, vtkPolyData
from vtkmodules.vtkFiltersSources import vtkRegularPolygonSource
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkImageMapper,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkRenderWindow,
    vtkTextActor,
    vtkTextProperty,
)

from discviz.pictures import LastGoodPicture, file_stamp, fit_picture
from discviz.render.fonts import font_file
from discviz.render.labels import Box, Placed
from discviz.render.wrap import text_width, wrap

PANEL = (0.07, 0.09, 0.12)  # caption panel: near-black blue, behind light text
TEXT = (0.97, 0.97, 0.95)
LABEL_PLATE = (0.08, 0.10, 0.13)
HALO = (0.05, 0.06, 0.08)
MAX_LABELS = 12


def unit_of(width: int, height: int) -> float:
    """The size everything on the overlay scales with (pixels)."""
    return max(min(height, width * 9 / 16), 360)


def style(prop: vtkTextProperty, size: int, bold: bool = False, colour: tuple[float, ...] = TEXT) -> None:
    """The font file (with the glyphs of the languages used) when the machine has one; colour
    and size.
    """
    font = font_file()
    if font is not None:
        prop.SetFontFamily(4)  # VTK_FONT_FILE
        prop.SetFontFile(str(font))
    prop.SetFontSize(max(int(size), 6))
    prop.SetBold(bold)
    prop.SetColor(*colour)
    prop.SetShadow(False)


def _line_actor(colour: tuple[float, float, float], width: float) -> tuple[vtkActor2D, vtkPoints]:
    points = vtkPoints()
    points.SetNumberOfPoints(2)
    points.SetPoint(0, 0, 0, 0)
    points.SetPoint(1, 0, 0, 0)
    lines = vtkCellArray()
    lines.InsertNextCell(2)
    lines.InsertCellPoint(0)
    lines.InsertCellPoint(1)
    data = vtkPolyData()
    data.SetPoints(points)
    data.SetLines(lines)
    mapper = vtkPolyDataMapper2D()
    mapper.SetInputData(data)
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*colour)
    actor.GetProperty().SetLineWidth(width)
    return actor, points


def _disc_actor(colour: tuple[float, float, float]) -> tuple[vtkActor2D, vtkRegularPolygonSource]:
    source = vtkRegularPolygonSource()
    source.SetNumberOfSides(28)
    source.GeneratePolygonOn()
    source.GeneratePolylineOff()
    mapper = vtkPolyDataMapper2D()
    mapper.SetInputConnection(source.GetOutputPort())
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*colour)
    return actor, source


class Label:
    """One label: a text on a dark plate, a leader with a dark halo, and an anchor dot."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.text = vtkTextActor()
        self.text.GetTextProperty().SetJustificationToLeft()
        self.text.GetTextProperty().SetVerticalJustificationToBottom()
        self.halo, self._halo_points = _line_actor(HALO, 4.0)
        self.line, self._line_points = _line_actor(TEXT, 2.0)
        self.ring, self._ring = _disc_actor(HALO)
        self.dot, self._dot = _disc_actor(TEXT)
        self.actors = (self.halo, self.line, self.ring, self.dot, self.text)
        for actor in self.actors:
            actor.SetVisibility(False)
            renderer.AddViewProp(actor)
        self.placed: Placed | None = None
        self.caption = ""

    def GetVisibility(self) -> bool:  # VTK's spelling, like the actors it stands for
        """True when the label is on screen."""
        return bool(self.text.GetVisibility())

    def hide(self) -> None:
        """Off screen."""
        for actor in self.actors:
            actor.SetVisibility(False)
        self.placed = None

    def set_text(self, text: str, size: int) -> None:
        """The words and their size (call before measuring)."""
        self.caption = text
        self.text.SetInput(text)
        prop = self.text.GetTextProperty()
        style(prop, size, bold=True)
        prop.SetBackgroundColor(*LABEL_PLATE)
        prop.SetFrame(False)

    def measure(self, renderer: vtkRenderer, pad: float) -> tuple[float, float]:
        """Width and height of the plate, in pixels."""
        box = [0.0, 0.0, 0.0, 0.0]
        self.text.SetPosition(0, 0)
        self.text.GetBoundingBox(renderer, box)
        return (box[1] - box[0] + 2 * pad, box[3] - box[2] + 2 * pad)

    def show(self, placed: Placed, height: int, alpha: float, pad: float, line: float, dot: float) -> None:
        """Draw at ``placed`` (top-left coordinates; VTK's display y runs up)."""
        self.placed = placed
        x0, _y0, _x1, y1 = placed.box
        self.text.SetPosition(x0 + pad, height - y1 + pad)
        prop = self.text.GetTextProperty()
        prop.SetOpacity(alpha)
        prop.SetBackgroundOpacity(0.82 * alpha)
        (ax, ay), (ex, ey) = placed.leader
        for points in (self._halo_points, self._line_points):
            points.SetPoint(0, ax, height - ay, 0)
            points.SetPoint(1, ex, height - ey, 0)
            points.Modified()
        self.halo.GetProperty().SetLineWidth(line + 2.5)
        self.line.GetProperty().SetLineWidth(line)
        self._ring.SetCenter(ax, height - ay, 0)
        self._ring.SetRadius(dot + max(line * 0.8, 1.5))
        self._dot.SetCenter(ax, height - ay, 0)
        self._dot.SetRadius(dot)
        for actor in (self.halo, self.line, self.ring, self.dot):
            actor.GetProperty().SetOpacity(alpha)
        for actor in self.actors:
            actor.SetVisibility(alpha > 0.02)


class Overlay:
    """The 2D layer over the views."""

    def __init__(self, window: vtkRenderWindow) -> None:
        self.window = window
        self.renderer = vtkRenderer()
        self.renderer.SetLayer(1)
        self.renderer.InteractiveOff()
        self.renderer.SetViewport(0.0, 0.0, 1.0, 1.0)
        window.SetNumberOfLayers(max(window.GetNumberOfLayers(), 2))
        window.AddRenderer(self.renderer)
        self.title = vtkTextActor()
        self.caption = vtkTextActor()
        self.step_counter = vtkTextActor()
        self.subtitles = [vtkTextActor(), vtkTextActor()]
        for actor in (self.title, self.caption, self.step_counter, *self.subtitles):
            actor.SetVisibility(False)
            self.renderer.AddViewProp(actor)
        self.labels: dict[str, Label] = {}  # key: structure name (second view: "right:name")
        self.inset = vtkActor2D()
        self.inset.VisibilityOff()
        self.inset_mapper = vtkImageMapper()
        self.inset_mapper.SetColorWindow(255)
        self.inset_mapper.SetColorLevel(127.5)
        self.inset.SetMapper(self.inset_mapper)
        self.renderer.AddViewProp(self.inset)
        self._picture = LastGoodPicture()
        self._inset_key: tuple[object, ...] = ()
        self._inset_dims = (0, 0)
        self._inset_image = vtkImageData()
        self.pictures = [_Picture(self.renderer), _Picture(self.renderer)]  # pain maps, one per view
        self.mri = _Picture(self.renderer)  # the synthetic MRI slice of the step, drawn from the model
        self._mri_width = 0  # pixels the MRI inset takes at the right (0 when hidden)
        self._mri_shown: np.ndarray | None = None
        self.visible = True
        self.caption_top = 0.0  # top of the caption panel (pixels from the top), after set_text
        self.title_bottom = 0.0

    @property
    def size(self) -> tuple[int, int]:
        """The window size (at least 1x1 before the first show)."""
        width, height = self.window.GetSize()
        return max(int(width), 1), max(int(height), 1)

    @property
    def unit(self) -> float:
        """The type scale of this window."""
        return unit_of(*self.size)

    # -- title and caption ----------------------------------------------------------------

    def set_text(self, title: str, caption: str, alpha: float, counter: str = "") -> None:
        """Lay out the title (top left) and the caption panel (bottom), wrapped to the window."""
        width, height = self.size
        unit = self.unit
        title_size = int(unit / 22)
        caption_size = int(unit / 34)
        margin = int(unit * 0.035)

        style(self.title.GetTextProperty(), title_size, bold=True)
        prop = self.title.GetTextProperty()
        prop.SetVerticalJustificationToTop()
        prop.SetBackgroundColor(*PANEL)
        prop.SetBackgroundOpacity(0.55 * alpha)
        prop.SetOpacity(alpha)
        prop.SetFrame(False)
        title_lines = wrap(title, (width * 0.62) / title_size) if title else []
        self.title.SetInput("\n".join(title_lines))
        self.title.SetPosition(margin, height - margin)
        self.title_bottom = margin + len(title_lines) * title_size * 1.25

        style(self.caption.GetTextProperty(), caption_size)
        prop = self.caption.GetTextProperty()
        prop.SetBackgroundColor(*PANEL)
        prop.SetBackgroundOpacity(0.78 * alpha)
        prop.SetOpacity(alpha)
        prop.SetLineSpacing(1.25)
        prop.SetJustificationToLeft()
        prop.SetVerticalJustificationToBottom()
        lines = wrap(caption, (width * 0.80 - 2 * margin) / caption_size) if caption else []
        self.caption.SetInput("\n".join(lines))
        self.caption.SetPosition(margin, margin)
        panel = len(lines) * caption_size * 1.45 + (margin * 0.5 if lines else 0)
        self.caption_top = height - (margin + panel)

        style(self.step_counter.GetTextProperty(), int(unit / 48), colour=TEXT)
        prop = self.step_counter.GetTextProperty()
        prop.SetJustificationToRight()
        prop.SetVerticalJustificationToTop()
        prop.SetBackgroundColor(*PANEL)  # its own dark plate: it reads over white bone or a bright picture
        prop.SetBackgroundOpacity(0.85)
        prop.SetFrame(False)
        self.step_counter.SetInput(counter)
        self.step_counter.SetPosition(width - margin, height - margin)
        for actor in (self.title, self.caption, self.step_counter):
            actor.SetVisibility(self.visible and bool(actor.GetInput()))

    def set_subtitles(self, subtitles: list[tuple[str, float, tuple[float, float]]]) -> list[Box]:
        """Subtitles of side-by-side views: (text, alpha, (left, right) share of the width),
        centred over each view under the title band. Returns their boxes (top-left pixels).
        """
        width, height = self.size
        unit = self.unit
        size = int(unit / 30)
        boxes: list[Box] = []
        for index, actor in enumerate(self.subtitles):
            if index >= len(subtitles) or not subtitles[index][0] or not self.visible:
                actor.SetVisibility(False)
                continue
            text, alpha, (left, right) = subtitles[index]
            prop = actor.GetTextProperty()
            style(prop, size, bold=True, colour=(1.0, 0.93, 0.78))
            prop.SetJustificationToCentered()
            prop.SetVerticalJustificationToTop()
            prop.SetBackgroundColor(*PANEL)
            prop.SetBackgroundOpacity(0.6 * alpha)
            prop.SetOpacity(alpha)
            actor.SetInput(text)
            top = self.title_bottom + unit * 0.02
            actor.SetPosition((left + right) / 2 * width, height - top)
            actor.SetVisibility(alpha > 0.02)
            half = (text_width(text) * size) / 2 + size * 0.3
            centre = (left + right) / 2 * width
            boxes.append((centre - half, top, centre + half, top + size * 1.4))
        return boxes

    # -- labels ---------------------------------------------------------------------------

    def label(self, key: str) -> Label:
        """The label actors for ``key`` (made on first use, then reused)."""
        found = self.labels.get(key)
        if found is None:
            found = self.labels[key] = Label(self.renderer)
        return found

    def label_metrics(self) -> tuple[int, float, float, float]:
        """Font size, plate padding, leader width and anchor dot radius (pixels)."""
        unit = self.unit
        return int(unit / 40), unit * 0.006, max(unit / 540, 1.0), max(unit * 0.0055, 2.5)

    def measure(self, key: str, text: str) -> tuple[float, float]:
        """The plate size of a label (sets its text)."""
        size, pad, _, _ = self.label_metrics()
        label = self.label(key)
        label.set_text(text, size)
        return label.measure(self.renderer, pad)

    def show_labels(self, placed: dict[str, tuple[Placed, float]]) -> None:
        """Draw the placed labels (key -> (placement, alpha)); hide every other."""
        _, pad, line, dot = self.label_metrics()
        height = self.size[1]
        for key, label in self.labels.items():
            if key in placed and self.visible:
                where, alpha = placed[key]
                label.show(where, height, alpha, pad, line, dot)
            else:
                label.hide()

    # -- pictures ---------------------------------------------------------------------------

    def set_mri(self, rgb: np.ndarray | None, alpha: float) -> Box | None:
        """The step's MRI slice (RGB, rows from the top) in the upper right corner. Returns its box."""
        if rgb is None or not self.visible:
            self.mri.actor.VisibilityOff()
            self._mri_width = 0
            return None
        self.mri.set(rgb, id(rgb))
        self._mri_shown = rgb  # held, so that its id stays its own
        width, height = self.size
        margin = int(min(width, height) * 0.035)
        x, y = width - rgb.shape[1] - margin, height - rgb.shape[0] - margin * 2.2
        self.mri.actor.SetPosition(x, y)
        self.mri.actor.GetProperty().SetOpacity(alpha)
        self.mri.actor.VisibilityOn()
        self._mri_width = int(rgb.shape[1])
        return (x, height - y - rgb.shape[0], x + rgb.shape[1], height - y)

    def set_image(self, path: Path | None, alpha: float) -> Box | None:
        """The step's picture, in the upper right corner, a quarter of the width. Returns its box."""
        if path is None or not self.visible:
            self.inset.VisibilityOff()
            return None
        width, height = self.size
        target = (int(width * 0.24), int(height * 0.3))
        key = (path, target, file_stamp(path))
        if key != self._inset_key:
            # decoded by Pillow, checked in full: VTK never reads a user's picture file; a file
            # broken since the scene was checked keeps its last good pixels
            source = self._picture.get(path)
            if source is None:
                self.inset.VisibilityOff()
                return None
            pixels = fit_picture(source, target)
            image = vtkImageData()
            image.SetDimensions(pixels.shape[1], pixels.shape[0], 1)
            flat = np.ascontiguousarray(pixels[::-1].reshape(-1, pixels.shape[2]))  # VTK rows run up
            image.GetPointData().SetScalars(numpy_to_vtk(flat, deep=True))
            self.inset_mapper.SetInputData(image)
            self._inset_image = image
            self._inset_key = key
            self._inset_dims = (pixels.shape[1], pixels.shape[0])
        margin = int(min(width, height) * 0.035)
        beside = self._mri_width + margin // 2 if self._mri_width else 0
        x, y = width - self._inset_dims[0] - margin - beside, height - self._inset_dims[1] - margin * 2.2
        self.inset.SetPosition(x, y)
        self.inset.GetProperty().SetOpacity(alpha)
        self.inset.VisibilityOn()
        return (x, height - y - self._inset_dims[1], x + self._inset_dims[0], height - y)

    def set_picture(self, index: int, image: np.ndarray | None, key: object, corner: tuple[float, float],
                    alpha: float) -> Box | None:
        """An RGBA picture (a pain map) with its lower-left corner at ``corner`` (pixels from the
        top-left: x, y of the bottom edge). ``key`` says when the image is new. Returns its box.
        """
        picture = self.pictures[index]
        if image is None or not self.visible or alpha <= 0.02:
            picture.actor.VisibilityOff()
            return None
        picture.set(image, key)
        h, w = image.shape[:2]
        x, bottom = corner
        picture.actor.SetPosition(x, self.size[1] - bottom)
        picture.actor.GetProperty().SetOpacity(alpha)
        picture.actor.VisibilityOn()
        return (x, bottom - h, x + w, bottom)


class _Picture:
    """An RGBA image on the overlay, uploaded only when it changes."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.data = vtkImageData()
        self.mapper = vtkImageMapper()
        self.mapper.SetInputData(self.data)
        self.mapper.SetColorWindow(255)
        self.mapper.SetColorLevel(127.5)
        self.actor = vtkActor2D()
        self.actor.SetMapper(self.mapper)
        self.actor.VisibilityOff()
        renderer.AddViewProp(self.actor)
        self.key: object = None

    def set(self, image: np.ndarray, key: object) -> None:
        if key == self.key:
            return
        h, w = image.shape[:2]
        self.data.SetDimensions(w, h, 1)
        flat = np.ascontiguousarray(image[::-1].reshape(-1, image.shape[2]))  # VTK rows run up
        self.data.GetPointData().SetScalars(numpy_to_vtk(flat, deep=True))
        self.data.Modified()
        self.key = key


def mri_inset_height(size: tuple[int, int]) -> int:
    """Pixel height of the MRI inset for a window of ``size``: a third of it, like the step's picture."""
    width, height = (max(int(v), 1) for v in size)
    return max(int(min(height * 0.34, width * 0.3)), 64)
