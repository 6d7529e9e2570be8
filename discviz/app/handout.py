"""The handout: the explanation on A4 paper (PDF) for the patient to take home.

Page one: the clinic's name, the explanation's title, and a box with the patient's level
and findings in plain words; then each step's picture with its title and caption, about two
steps a page; at the end a box for the surgeon's notes. Every page says that the pictures
are illustrations from a model, and carries its number.

Written with Qt's QPdfWriter and QPainter, already installed with the viewer: it embeds
the fonts it uses (subsets, Chinese included) so the file prints anywhere, writes real
text (searchable, readable by screen readers and PDF text tools) and needs no new
dependency. The file is written to a temporary name beside the target, then renamed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from discviz.app.uitext import tr
from discviz.render.output import atomic_write

Progress = Callable[[int, int], None]
PAGE_MM = (210.0, 297.0)  # A4 portrait
MARGIN_MM = 15.0
FOOTER_MM = 9.0
GAP_MM = 5.0
NOTES_MM = 55.0
FAMILIES = ["DejaVu Sans", "Noto Sans", "Segoe UI", "Helvetica Neue", "Arial", "Noto Sans CJK SC",
            "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei"]
INK = QColor("#1d2733")
MUTED = QColor("#5c6b7a")
BOX = QColor("#eef2f6")
RULE = QColor("#b9c4cf")


@dataclass(frozen=True)
class HandoutStep:
    """One step: its picture (RGB (h, w, 3) uint8, from the renderer) and its words."""

    title: str
    caption: str
    picture: np.ndarray


@dataclass(frozen=True)
class Handout:
    """Everything a handout prints."""

    title: str
    language: str
    steps: Sequence[HandoutStep]
    level: str = ""  # "Level L5-S1: the disc between ..."; "" leaves out the findings box
    findings: Sequence[str] = field(default_factory=tuple)
    clinic: str = ""
    mri: Sequence[np.ndarray] = field(default_factory=tuple)  # the disc's synthetic MRI slices


def _font(points: float, bold: bool = False) -> QFont:
    """The handout's type. Chinese headings are not made bold: the CJK fonts most machines
    have come in one weight, and Qt's synthetic bold draws the text twice, which a PDF
    reader then copies (and reads aloud) twice.
    """
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def to_qimage(picture: np.ndarray) -> QImage:
    """A QImage that owns a copy of an RGB array."""
    rgb = np.ascontiguousarray(picture[..., :3], dtype=np.uint8)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class _Pages:
    """Lays out and paints on a QPdfWriter, in device pixels; a block that does not fit the
    rest of the page starts a new one.
    """

    def __init__(self, writer: QPdfWriter, painter: QPainter | None, dpi: int, language: str,
                 total: int = 0) -> None:
        self.writer, self.language, self.total = writer, language, total
        self.painter = painter if painter is not None else _NullPainter()
        self.bold = not language.startswith("zh")
        self.painting = painter is not None
        self.mm = dpi / 25.4
        self.left = MARGIN_MM * self.mm
        self.width = (PAGE_MM[0] - 2 * MARGIN_MM) * self.mm
        self.top = MARGIN_MM * self.mm
        self.bottom = (PAGE_MM[1] - MARGIN_MM - FOOTER_MM) * self.mm
        self.y = self.top
        self.page = 1

    def room(self) -> float:
        return self.bottom - self.y

    def new_page(self) -> None:
        self.footer()
        if self.painting:
            self.writer.newPage()
        self.page += 1
        self.y = self.top

    def footer(self) -> None:
        """The illustration note and "page / pages" at the foot of the page."""
        if not self.painting:
            return
        font = _font(8)
        y = (PAGE_MM[1] - MARGIN_MM - FOOTER_MM + 3.5) * self.mm
        self.painter.setFont(font)
        self.painter.setPen(MUTED)
        rect = QRectF(self.left, y, self.width, FOOTER_MM * self.mm)
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                              footer_text(self.language))
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                              f"{self.page} / {self.total}")

    def text_height(self, text: str, font: QFont, width: float | None = None) -> float:
        metrics = QFontMetricsF(font, self.writer)
        rect = metrics.boundingRect(QRectF(0, 0, width or self.width, 1e6),
                                    int(Qt.TextFlag.TextWordWrap), text)
        return rect.height()

    def text(self, text: str, font: QFont, colour: QColor = INK, left: float | None = None,
             width: float | None = None) -> None:
        width = width or self.width
        height = self.text_height(text, font, width)
        if height > self.room() and self.y > self.top:  # a very long caption: go on overleaf
            self.new_page()
        self.painter.setFont(font)
        self.painter.setPen(colour)
        self.painter.drawText(QRectF(left if left is not None else self.left, self.y, width, height),
                              int(Qt.TextFlag.TextWordWrap), text)
        self.y += height


def write_handout(handout: Handout, path: Path, dpi: int = 150, progress: Progress | None = None) -> int:
    """Write the PDF (atomically); returns the number of pages."""
    with atomic_write(Path(path)) as temporary:
        return _paint(handout, temporary, dpi, progress)


class _NullPainter:
    """Stands in for the painter while the pages are only counted."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


def _paint(handout: Handout, path: Path, dpi: int, progress: Progress | None) -> int:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    writer.setResolution(dpi)
    writer.setTitle(handout.title)
    writer.setCreator("discviz")
    counted = _Pages(writer, None, dpi, handout.language)  # first the page count, for the footers
    _layout(counted, handout, None)
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError(f"could not write the PDF {path}")
    pages = _Pages(writer, painter, dpi, handout.language, total=counted.page)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        _layout(pages, handout, progress)
        pages.footer()
    finally:
        painter.end()
    return pages.page


def _layout(pages: _Pages, handout: Handout, progress: Progress | None) -> None:
    """Page one: the header, the patient's disc and the notes box; then the steps, two a page
    (the notes go to the end when page one has no room left for them).
    """
    _header(pages, handout)
    _mri(pages, handout)
    notes_first = pages.room() >= NOTES_MM * pages.mm + 10 * pages.mm
    if notes_first:
        _notes(pages)
    total = len(handout.steps)
    for index, step in enumerate(handout.steps):
        if index == 0 and notes_first:
            pages.new_page()
        _step(pages, index, step)
        if progress:
            progress(index + 1, total)
    if not notes_first:
        _notes(pages)


def _header(pages: _Pages, handout: Handout) -> None:
    lang, mm = handout.language, pages.mm
    if handout.clinic:
        pages.text(handout.clinic, _font(10, bold=pages.bold), MUTED)
        pages.y += 2 * mm
    pages.text(handout.title, _font(20, bold=pages.bold))
    pages.y += 1.5 * mm
    pages.text(tr("An explanation to take home, with pictures from a 3D model of the disc.", lang),
               _font(10), MUTED)
    pages.y += 4 * mm
    if not handout.level and not handout.findings:
        return
    pad = 4 * mm
    inner = pages.width - 2 * pad
    heading = _font(12, bold=pages.bold)
    body = _font(10.5)
    lines = [handout.level, *(f"•  {line}" for line in handout.findings)]
    height = pad * 2 + pages.text_height(tr("Your disc", lang), heading, inner) + 2 * mm + sum(
        pages.text_height(line, body, inner) + 1.2 * mm for line in lines if line)
    pages.painter.setPen(Qt.PenStyle.NoPen)
    pages.painter.setBrush(BOX)
    pages.painter.drawRoundedRect(QRectF(pages.left, pages.y, pages.width, height), 2 * mm, 2 * mm)
    top = pages.y
    pages.y += pad
    pages.text(tr("Your disc", lang), heading, left=pages.left + pad, width=inner)
    pages.y += 2 * mm
    for line in lines:
        if line:
            pages.text(line, body, left=pages.left + pad, width=inner)
            pages.y += 1.2 * mm
    pages.y = top + height + GAP_MM * mm


def _mri(pages: _Pages, handout: Handout) -> None:
    """The disc's synthetic MRI slices side by side, under a heading."""
    if not handout.mri:
        return
    mm = pages.mm
    heading = tr("Your MRI, as the model draws it", handout.language)
    pages.text(heading, _font(12, bold=pages.bold))
    pages.y += 2 * mm
    gap = 4 * mm
    height = min(70 * mm, pages.room() / 2)
    widths = [p.shape[1] * height / p.shape[0] for p in handout.mri]
    scale = min(1.0, (pages.width - gap * (len(widths) - 1)) / sum(widths))
    x = pages.left
    for picture, width in zip(handout.mri, widths, strict=True):
        rect = QRectF(x, pages.y, width * scale, height * scale)
        if pages.painting:
            pages.painter.drawImage(rect, to_qimage(picture))
        x += width * scale + gap
    pages.y += height * scale + GAP_MM * mm


def _step(pages: _Pages, index: int, step: HandoutStep) -> None:
    mm = pages.mm
    picture_height = step.picture.shape[0] * pages.width / step.picture.shape[1]
    title = f"{index + 1}.  {step.title}"
    title_font, caption_font = _font(12.5, bold=pages.bold), _font(10.5)
    needed = (picture_height + 2.5 * mm + pages.text_height(title, title_font)
              + 1.5 * mm + pages.text_height(step.caption, caption_font))
    if needed > pages.room() and pages.y > pages.top:
        pages.new_page()
    if pages.painting:
        pages.painter.drawImage(QRectF(pages.left, pages.y, pages.width, picture_height),
                                to_qimage(step.picture))
    pages.painter.setPen(QPen(RULE, 0.3 * mm))
    pages.painter.setBrush(Qt.BrushStyle.NoBrush)
    pages.painter.drawRect(QRectF(pages.left, pages.y, pages.width, picture_height))
    pages.y += picture_height + 2.5 * mm
    pages.text(title, title_font)
    pages.y += 1.5 * mm
    pages.text(step.caption, caption_font)
    pages.y += GAP_MM * mm


def _notes(pages: _Pages) -> None:
    mm = pages.mm
    if pages.room() < NOTES_MM * mm:
        pages.new_page()
    heading = _font(12, bold=pages.bold)
    pages.text(tr("Notes from your surgeon", pages.language), heading)
    pages.y += 2 * mm
    height = min(max(pages.room() - 2 * mm, NOTES_MM * mm), 120 * mm)
    box = QRectF(pages.left, pages.y, pages.width, height)
    pages.painter.setPen(QPen(RULE, 0.35 * mm))
    pages.painter.setBrush(Qt.BrushStyle.NoBrush)
    pages.painter.drawRoundedRect(box, 2 * mm, 2 * mm)
    pages.painter.setPen(QPen(RULE, 0.2 * mm))
    line = box.top() + 9 * mm
    while line < box.bottom() - 3 * mm:
        pages.painter.drawLine(box.left() + 4 * mm, line, box.right() - 4 * mm, line)
        line += 9 * mm
    pages.y = box.bottom()


def footer_text(language: str) -> str:
    """The line at the foot of every page."""
    return tr("The pictures are illustrations from a 3D model of a disc, not your own scans.", language)
