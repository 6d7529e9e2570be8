"""Text over the 3D view: step title, caption panel, structure labels with leader lines,
and the inset picture. Every actor is made once; frames only change text, place and alpha.

Sizes follow the window height, so type stays large on a wall screen and at 1366x768.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingAnnotation import vtkCaptionActor2D
from vtkmodules.vtkRenderingCore import vtkActor2D, vtkImageMapper, vtkTextActor, vtkTextProperty

from discviz.pictures import LastGoodPicture, file_stamp, fit_picture
from discviz.render.fonts import cjk_font
from discviz.render.wrap import text_width, wrap

PANEL = (0.07, 0.09, 0.12)  # caption panel: near-black blue, behind light text
TEXT = (0.97, 0.97, 0.95)
LABEL_BG = (0.10, 0.12, 0.16)
MAX_LABELS = 12
CLUSTER_SHARE = 0.08  # anchors closer than this share of the picture go to alternate sides


def style(prop: vtkTextProperty, size: int, bold: bool = False, colour: tuple[float, ...] = TEXT) -> None:
    """Font file with CJK glyphs when the machine has one; colour and size."""
    font = cjk_font()
    if font is not None:
        prop.SetFontFamily(4)  # VTK_FONT_FILE
        prop.SetFontFile(str(font))
    prop.SetFontSize(size)
    prop.SetBold(bold)
    prop.SetColor(*colour)
    prop.SetShadow(False)


class Overlay:
    """The 2D layer over the view."""

    def __init__(self, plotter: pv.Plotter) -> None:
        self.plotter = plotter
        self.renderer = plotter.renderer
        self.title = vtkTextActor()
        self.caption = vtkTextActor()
        self.step_counter = vtkTextActor()
        for actor in (self.title, self.caption, self.step_counter):
            self.renderer.AddViewProp(actor)
        self.labels: dict[str, vtkCaptionActor2D] = {}
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
        self._inset_image: pv.ImageData | None = None
        self.mri = vtkActor2D()  # the synthetic MRI slice of the step, drawn from the model
        self.mri.VisibilityOff()
        self.mri_mapper = vtkImageMapper()
        self.mri_mapper.SetColorWindow(255)
        self.mri_mapper.SetColorLevel(127.5)
        self.mri.SetMapper(self.mri_mapper)
        self.renderer.AddViewProp(self.mri)
        self._mri_image: pv.ImageData | None = None
        self._mri_shown: np.ndarray | None = None
        self._mri_width = 0  # pixels the MRI inset takes at the right (0 when hidden)
        self.visible = True

    # -- title and caption ----------------------------------------------------------------

    def set_text(self, title: str, caption: str, alpha: float, counter: str = "") -> None:
        """Lay out the title (top left) and the caption panel (bottom), wrapped to the window."""
        width, height = (max(int(v), 1) for v in self.plotter.window_size)  # 0 before first show
        unit = max(min(height, width * 9 / 16), 360)
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
        self.title.SetInput("\n".join(wrap(title, (width * 0.62) / title_size)) if title else "")
        self.title.SetPosition(margin, height - margin)

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

        style(self.step_counter.GetTextProperty(), int(unit / 48), colour=(0.8, 0.84, 0.9))
        prop = self.step_counter.GetTextProperty()
        prop.SetJustificationToRight()
        prop.SetVerticalJustificationToTop()
        self.step_counter.SetInput(counter)
        self.step_counter.SetPosition(width - margin, height - margin)
        for actor in (self.title, self.caption, self.step_counter):
            actor.SetVisibility(self.visible)

    # -- labels ---------------------------------------------------------------------------

    def set_labels(self, anchors: dict[str, tuple[str, float, np.ndarray]]) -> None:
        """Labels pinned to world points, pushed outward from the picture's centre and kept
        apart vertically so they never stack on each other.
        """
        width, height = (max(int(v), 1) for v in self.plotter.window_size)  # 0 before first show
        unit = max(min(height, width * 9 / 16), 360)
        size = int(unit / 40)
        placed: list[tuple[float, float, float]] = []  # x, y, width of each label
        wanted = dict(list(anchors.items())[:MAX_LABELS])
        for name, caption in self.labels.items():
            if name not in wanted:
                caption.VisibilityOff()
        screen = {name: self._to_screen(point) for name, (_, _, point) in wanted.items()}
        sides = cluster_sides(screen, unit * CLUSTER_SHARE, width / 2)
        order = sorted(wanted, key=lambda n: -screen[n][1])
        for name in order:
            text, alpha, point = wanted[name]
            caption = self.labels.get(name) or self._new_label(name)
            x, y = screen[name]
            dx, dy = x - width / 2, y - height / 2
            if name in sides:  # one of several close together: straight out to its side
                dx, dy = sides[name], 0.0
            norm = max(np.hypot(dx, dy), 1.0)
            push = unit * 0.13
            tx, ty = x + dx / norm * push, y + dy / norm * push * 0.7
            text_w = (text_width(text) + 1.2) * size  # CJK characters are a full em wide
            text_w = min(text_w, width * 0.35)
            if dx < 0:
                tx -= text_w
            tx = min(max(tx, 4.0), width - text_w - 4.0)
            ty = free_row(tx, ty, text_w, placed, size * 1.9, height * 0.2, height * 0.86)
            placed.append((tx, ty, text_w))
            caption.SetAttachmentPoint(*map(float, point))
            caption.SetCaption(text)
            caption.SetPosition(tx - x, ty - y)
            caption.SetWidth(text_w / width)
            caption.SetHeight(size * 1.6 / height)
            prop = caption.GetCaptionTextProperty()
            style(prop, size, bold=True)
            prop.SetOpacity(alpha)
            prop.SetBackgroundColor(*LABEL_BG)
            prop.SetBackgroundOpacity(0.72 * alpha)
            caption.GetProperty().SetOpacity(alpha)
            caption.SetVisibility(bool(self.visible and alpha > 0.02))

    def _new_label(self, name: str) -> vtkCaptionActor2D:
        caption = vtkCaptionActor2D()
        caption.BorderOff()
        caption.LeaderOn()
        caption.ThreeDimensionalLeaderOff()
        caption.GetProperty().SetColor(*TEXT)
        caption.GetProperty().SetLineWidth(2.0)
        caption.GetTextActor().SetTextScaleModeToNone()
        caption.SetPadding(4)
        self.renderer.AddViewProp(caption)
        self.labels[name] = caption
        return caption

    def _to_screen(self, point: np.ndarray) -> tuple[float, float]:
        self.renderer.SetWorldPoint(*map(float, point), 1.0)
        self.renderer.WorldToDisplay()
        x, y, _ = self.renderer.GetDisplayPoint()
        return float(x), float(y)

    # -- inset pictures ---------------------------------------------------------------------

    def set_mri(self, rgb: np.ndarray | None, alpha: float) -> None:
        """The step's MRI slice (RGB, rows from the top) in the upper right corner."""
        if rgb is None or not self.visible:
            self.mri.VisibilityOff()
            self._mri_width = 0
            return
        if rgb is not self._mri_shown:
            image = pv.ImageData(dimensions=(rgb.shape[1], rgb.shape[0], 1))
            image.point_data["rgb"] = np.ascontiguousarray(rgb[::-1].reshape(-1, 3))  # rows bottom-up
            self.mri_mapper.SetInputData(image)
            self._mri_image, self._mri_shown = image, rgb
        width, height = (max(int(v), 1) for v in self.plotter.window_size)
        margin = int(min(width, height) * 0.035)
        self.mri.SetPosition(width - rgb.shape[1] - margin, height - rgb.shape[0] - margin * 2.2)
        self.mri.GetProperty().SetOpacity(alpha)
        self.mri.VisibilityOn()
        self._mri_width = int(rgb.shape[1])

    def set_image(self, path: Path | None, alpha: float) -> None:
        """The step's picture, in the upper right corner, a quarter of the width."""
        if path is None or not self.visible:
            self.inset.VisibilityOff()
            return
        width, height = (max(int(v), 1) for v in self.plotter.window_size)  # 0 before first show
        target = (int(width * 0.24), int(height * 0.3))
        key = (path, target, file_stamp(path))
        if key != self._inset_key:
            # decoded by Pillow, checked in full: VTK never reads a user's picture file; a file
            # broken since the scene was checked keeps its last good pixels
            source = self._picture.get(path)
            if source is None:
                self.inset.VisibilityOff()
                return
            pixels = fit_picture(source, target)
            image = pv.ImageData(dimensions=(pixels.shape[1], pixels.shape[0], 1))
            image.point_data["rgba"] = pixels[::-1].reshape(-1, 4)  # VTK's rows run bottom-up
            self.inset_mapper.SetInputData(image)
            self._inset_image = image
            self._inset_key = key
            self._inset_dims = (pixels.shape[1], pixels.shape[0])
        margin = int(min(width, height) * 0.035)
        beside = self._mri_width + margin // 2 if self._mri_width else 0
        self.inset.SetPosition(width - self._inset_dims[0] - margin - beside,
                               height - self._inset_dims[1] - margin * 2.2)
        self.inset.GetProperty().SetOpacity(alpha)
        self.inset.VisibilityOn()


def mri_inset_height(plotter: pv.Plotter) -> int:
    """Pixel height of the MRI inset for the window: a third of it, like the step's picture."""
    width, height = (max(int(v), 1) for v in plotter.window_size)
    return max(int(min(height * 0.34, width * 0.3)), 64)


def cluster_sides(screen: dict[str, tuple[float, float]], reach: float,
                   centre_x: float) -> dict[str, float]:
    """Sides (-1 left, +1 right) for labels whose anchors crowd together, as they do around
    the fissure in a close-up: pushed out from the picture's centre they would stack on one
    side with crossing leaders. Top to bottom they alternate, starting on the cluster's side.
    """
    names = list(screen)
    group = {name: i for i, name in enumerate(names)}
    for a, b in itertools.combinations(names, 2):  # at most MAX_LABELS: a few dozen pairs
        (ax, ay), (bx, by) = screen[a], screen[b]
        if np.hypot(ax - bx, ay - by) < reach and group[a] != group[b]:
            old, new = group[b], group[a]
            group = {n: new if g == old else g for n, g in group.items()}
    sides: dict[str, float] = {}
    for g in set(group.values()):
        members = sorted((n for n in names if group[n] == g), key=lambda n: -screen[n][1])
        if len(members) < 2:
            continue
        mean_x = float(np.mean([screen[n][0] for n in members]))
        first = -1.0 if mean_x <= centre_x else 1.0
        for k, name in enumerate(members):
            sides[name] = first if k % 2 == 0 else -first
    return sides


def free_row(x: float, y: float, width: float, placed: list[tuple[float, float, float]],
             row: float, low: float, high: float) -> float:
    """The height nearest ``y`` (within low..high, in steps of ``row``, below first) where a
    label at ``x`` of ``width`` overlaps none already ``placed`` (x, y, width).
    """
    def clear(at: float) -> bool:
        return all(not (x < ox + ow and ox < x + width and abs(oy - at) < row) for ox, oy, ow in placed)

    start = min(max(y, low), high)
    for k in range(64):
        at = start + (-1 if k % 2 == 1 else 1) * ((k + 1) // 2) * row  # y, below, above, ...
        if low <= at <= high and clear(at):
            return at
    return start
