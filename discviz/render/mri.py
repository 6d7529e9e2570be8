"""The synthetic T2 slice as a picture: grey levels, orientation letters and the words that
say it is an illustration of the model, not a scan (drawn with Pillow, in the viewer's
language, with a CJK font where the machine has one).

Used by ``discviz slice`` (PNG and JSON), and by the renderer for a step's MRI inset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from discviz.geometry.imaging.t2 import SliceImage, t2_slice, tear_point
from discviz.geometry.params import Params
from discviz.render.fonts import cjk_font
from discviz.render.output import atomic_write, write_bytes
from discviz.render.wrap import wrap

BAND = (12, 14, 18)  # the strip under the picture that holds the disclaimer
LETTER = (255, 214, 120)  # orientation letters: warm, apart from the grey levels
WORDS: dict[str, dict[str, str]] = {
    "illustration": {"en": "Illustration from the 3D model, not a scan",
                     "zh": "根据三维模型绘制的示意图，不是真实扫描"},
    "sagittal": {"en": "T2, side view (sagittal)", "zh": "T2，侧面（矢状位）"},
    "axial": {"en": "T2, cross-section from below (axial)", "zh": "T2，从下往上看的横截面（轴位）"},
    "beside": {"en": "{plane}, {mm:.0f} mm to the {side}", "zh": "{plane}，偏{side} {mm:.0f} 毫米"},
    "left": {"en": "left", "zh": "左"}, "right": {"en": "right", "zh": "右"},
    "A": {"en": "A", "zh": "前"}, "P": {"en": "P", "zh": "后"},
    "S": {"en": "S", "zh": "上"}, "I": {"en": "I", "zh": "下"},
    "L": {"en": "L", "zh": "左"}, "R": {"en": "R", "zh": "右"},
}
#: Letters at the (left, right, top, bottom) edges, radiological orientation (docs/patient.md).
EDGES: dict[str, tuple[str, str, str, str]] = {"sagittal": ("A", "P", "S", "I"),
                                              "axial": ("R", "L", "A", "P")}


def word(key: str, language: str) -> str:
    """One of :data:`WORDS` in ``language`` (English when it has none)."""
    texts = WORDS[key]
    return texts.get(language, texts["en"])


@dataclass(frozen=True)
class SlicePicture:
    """An RGB picture (h, w, 3) uint8 of a slice with its annotations, and where things are."""

    rgb: np.ndarray
    origin_px: tuple[float, float]  # the disc centre, pixels from the top-left corner
    mm_per_px: float
    plane: str
    offset_mm: float = 0.0  # how far the slice lies from the disc centre (toward the patient's left)

    def sidecar(self) -> dict[str, object]:
        """The JSON written beside the PNG (docs/patient.md)."""
        return {"plane": self.plane, "origin_px": [round(v, 2) for v in self.origin_px],
                "mm_per_px": round(self.mm_per_px, 6),
                "size_px": [int(self.rgb.shape[1]), int(self.rgb.shape[0])],
                "offset_mm": round(self.offset_mm, 2),
                "illustration": True}


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font with Chinese and Latin glyphs where the machine has one, else Pillow's own."""
    path = cjk_font()
    if path is not None:
        try:
            return ImageFont.truetype(str(path), size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


THROUGH: tuple[str, ...] = ("centre", "tear")
MARKER_REACH_MM = 1.5  # the high-intensity zone is marked when it lies this near the slice


def slice_picture(params: Params, state: str = "healthy", progress: float = 1.0,
                  plane: str = "sagittal", language: str = "en", height: int | None = None,
                  mm_per_px: float = 0.15, through: str = "centre") -> SlicePicture:
    """The annotated slice; with ``height`` the whole picture (band included) fits that many
    pixels (the viewer's inset), else it is drawn at ``mm_per_px``. ``through="tear"`` moves
    a sagittal slice sideways to pass through the tear (as a radiologist picks the slice that
    shows a paracentral high-intensity zone); an axial slice passes through it anyway.
    """
    offset = float(tear_point(params)[0]) if through == "tear" and plane == "sagittal" else 0.0
    image = t2_slice(params, state, progress, plane, mm_per_px, offset)
    marker = None
    if bool(params["fissure.hiz"]):
        spot = tear_point(params)
        normal = np.cross(image.right, np.multiply(image.down, -1.0))
        if abs(float((spot - offset * np.array([1.0, 0.0, 0.0])) @ normal)) < MARKER_REACH_MM:
            marker = image.pixel_of(spot)  # the spot lies in this slice: point at it
    return annotate(image, language, height, offset, marker)


TEXT_SHARE = 0.05  # the inset's band text: at least this share of its height (12 px at 720p)
MAX_BAND_SHARE = 0.5  # the band's most of the inset's height (then its words shrink)
MIN_TEXT_PX = 3  # the smallest words a thumbnail's band gets
MIN_WIDTH_SHARE = 0.62  # the inset is at least this wide (share of its height)


def annotate(image: SliceImage, language: str = "en", height: int | None = None,
             offset: float = 0.0, marker: tuple[float, float] | None = None) -> SlicePicture:
    """Grey levels to RGB, scaled to ``height``, with orientation letters and the band; an
    arrow at ``marker`` (the high-intensity zone), as radiologists mark a finding. With
    ``height`` the band's words keep a legible size (:data:`TEXT_SHARE`) and wrap onto more
    lines in a narrow picture rather than shrink; the slice gives up the room.
    """
    grey = (np.clip(image.pixels, 0.0, 1.0) * 255).astype(np.uint8)
    source = Image.fromarray(grey, "L").convert("RGB")
    plane_words = word(image.plane, language)
    if abs(offset) > 0.5:  # a parasagittal slice: say where it is
        side = word("left" if offset > 0 else "right", language)
        plane_words = word("beside", language).format(plane=plane_words, mm=abs(offset), side=side)
    texts = (plane_words, word("illustration", language))
    band_share = 0.15
    picture, scale, band = source, 1.0, 0
    for _ in range(3):  # the band's lines depend on the width, the width on the band
        if height is not None:
            inner = max(int(height * (1 - band_share)) if not band else height - band, 16)
            scale = inner / source.height
            picture = source.resize((max(round(source.width * scale), 16), inner), Image.Resampling.BILINEAR)
        # a narrow (axial) slice: the band is wider than it, so that its words take fewer lines
        width, inner = max(picture.width, int(height * MIN_WIDTH_SHARE) if height else 0), picture.height
        shift = (width - picture.width) // 2
        planned = max(int(inner * band_share / (1 - band_share)), 24)
        size = max(int(planned * 0.36), 8)
        if height is not None:
            size = max(size, round(height * TEXT_SHARE))
        pad = max(int(max(int(inner * 0.06), 10) * 0.4), 3)
        lines, count, needed = _band(texts, width - 2 * pad, size, planned)
        while height is not None and needed > height * MAX_BAND_SHARE and size > MIN_TEXT_PX:
            # a thumbnail: the words shrink rather than push the slice out of its box
            size = max(MIN_TEXT_PX, min(size - 1, int(size * height * MAX_BAND_SHARE / needed)))
            lines, count, needed = _band(texts, width - 2 * pad, size, planned)
        fits = height is None or inner + needed <= height + 1  # the slice made room for the band
        if fits and (needed <= band or height is None or needed == planned):
            band = needed
            break
        band = needed
    canvas = Image.new("RGB", (width, inner + band), BAND)
    canvas.paste(picture, (shift, 0))
    draw = ImageDraw.Draw(canvas)
    letter_size = max(int(inner * 0.06), 10)
    font = _font(letter_size)
    left, right, top, bottom = (word(k, language) for k in EDGES[image.plane])
    draw.text((pad, inner / 2), left, fill=LETTER, font=font, anchor="lm")
    draw.text((width - pad, inner / 2), right, fill=LETTER, font=font, anchor="rm")
    draw.text((width / 2, pad), top, fill=LETTER, font=font, anchor="mt")
    draw.text((width / 2, inner - pad), bottom, fill=LETTER, font=font, anchor="mb")
    if marker is not None:
        _arrow(draw, (marker[0] * scale + shift, marker[1] * scale),
               (image.origin_px[0] * scale + shift, image.origin_px[1] * scale), inner)
    step = size * 1.3
    y = inner + (band - count * step) / 2 + step / 2
    for block, colour in zip(lines, ((200, 204, 210), (240, 240, 235)), strict=True):
        fitted = _fit(draw, max(block, key=len), width - 2 * pad, size) if height is None else _font(size)
        for line in block:
            draw.text((width / 2, y), line, fill=colour, font=fitted, anchor="mm")
            y += step
    origin = (image.origin_px[0] * scale + shift, image.origin_px[1] * scale)
    return SlicePicture(np.asarray(canvas), origin, image.mm_per_px / scale, image.plane, offset)


def _band(texts: tuple[str, ...], width: float, size: int, planned: int) -> tuple[list[list[str]], int, int]:
    """(each text's lines, how many lines, the band's height) at font ``size`` in ``width``
    pixels; the band is at least ``planned`` high.
    """
    lines = [_lines(text, width, size) for text in texts]
    count = sum(len(block) for block in lines)
    return lines, count, max(planned, int(count * size * 1.3 + size * 0.8))


def _lines(text: str, width: float, size: int) -> list[str]:
    """``text`` wrapped to ``width`` pixels at font ``size`` (by words, Chinese by characters)."""
    font = _font(size)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    ems = width / size * 1.1
    lines = wrap(text, ems)
    while any(probe.textlength(line, font=font) > width for line in lines):
        ems *= len(lines) / (len(lines) + 1)  # narrower till it fits
        narrower = wrap(text, ems)
        if narrower == lines and ems < 1.0:  # a word wider than the band stays whole: stop there
            break
        lines = narrower
    return lines


def _arrow(draw: ImageDraw.ImageDraw, tip: tuple[float, float], centre: tuple[float, float],
           size: int) -> None:
    """An arrow pointing at ``tip`` from outside, away from the disc centre."""
    away = np.subtract(tip, centre)
    away = away / max(float(np.hypot(*away)), 1e-6)
    gap, length, head = size * 0.03, size * 0.13, size * 0.045
    end = np.add(tip, away * gap)
    start = end + away * length
    side = np.array([-away[1], away[0]])
    width = max(int(size * 0.012), 2)
    draw.line([tuple(start), tuple(end + away * head * 0.8)], fill=LETTER, width=width)
    draw.polygon([tuple(end), tuple(end + away * head + side * head * 0.6),
                  tuple(end + away * head - side * head * 0.6)], fill=LETTER)


def _fit(draw: ImageDraw.ImageDraw, text: str, width: float,
         size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font at ``size``, smaller until ``text`` fits ``width``."""
    while size > 7:
        font = _font(size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 1
    return _font(size)


def write_slice(picture: SlicePicture, path: Path) -> tuple[Path, Path]:
    """``FILE.png`` and ``FILE.json`` beside it, each written whole or not at all."""
    sidecar = path.with_suffix(".json")
    with atomic_write(path) as temporary:
        Image.fromarray(picture.rgb).save(temporary, format="PNG")
    write_bytes(sidecar, (json.dumps(picture.sidecar(), indent=2) + "\n").encode("utf-8"))
    return path, sidecar
