"""Pictures from users (a step's inset), decoded defensively with Pillow before any pixel
reaches VTK or Qt, whose decoders crash on corrupt files (a PNG with a good signature and a
broken body took the whole viewer down inside libpng).

The file is read once through :func:`discviz.userfiles.read_user_file` (a regular file of
at most :data:`MAX_PICTURE_BYTES`), its header must say PNG or JPEG with at most
:data:`MAX_PICTURE_PIXELS` pixels (a small file can unpack to gigabytes), then every byte
is checked: the PNG chunk checksums, and a full decode of the image data.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from discviz.errors import InputError
from discviz.userfiles import read_user_file, size_text

MAX_PICTURE_BYTES = 10 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000  # a 48-megapixel phone photo is too large: 8000 x 5000 fits
FORMATS = ("PNG", "JPEG")
JPEG_CHECK_SECONDS = 20.0


class PictureError(ValueError):
    """A picture that cannot be used; the message says why in plain words."""


def _open(data: bytes) -> Image.Image:
    """Open (header only) with the pixel limit enforced before anything is decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except UnidentifiedImageError:
            raise PictureError("is not a PNG or JPEG picture") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            pixels = re.search(r"\((\d+) pixels\)", str(error))
            raise PictureError(_too_many(int(pixels.group(1)) if pixels else None)) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise PictureError("is a picture of no pixels")
    if width * height > MAX_PICTURE_PIXELS:
        raise PictureError(_too_many(width * height, f"{width} x {height} pixels"))
    return image


def _too_many(pixels: int | None, size: str = "") -> str:
    limit = f"at most {MAX_PICTURE_PIXELS // 1_000_000} million pixels"
    if pixels is None:
        return f"has too many pixels ({limit}); make the picture smaller"
    size = size or f"{pixels / 1e6:.0f} million pixels"
    return f"is too large: {size} ({limit}); make the picture smaller"


def _decode(data: bytes, box: tuple[int, int] | None = None) -> Image.Image:
    """Check the whole file and decode it (a JPEG straight at a reduced scale when ``box``
    is small: the decoder still reads every byte).
    """
    try:
        _open(data).verify()  # PNG: every chunk and its checksum
        image = _open(data)
        if box is not None:
            image.draft("RGB", box)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        if image.format == "JPEG":
            damage = _jpeg_damage(data)
            if damage is not None:
                raise ValueError(damage)
    except PictureError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # what Pillow raises for a broken file
        raise PictureError(f"is damaged ({_reason(error)}); save the picture again as PNG or JPEG") from None
    return image


def _jpeg_damage(data: bytes) -> str | None:
    """What ffmpeg's JPEG decoder finds wrong (None: nothing). libjpeg, and so Pillow,
    decodes past a bad Huffman code or stray bytes and shows damage; ffmpeg reports it. It
    runs in its own process: a decoder fault there cannot touch discviz. Results are kept
    by content, so a reload of an unchanged scene does not run it again.
    """
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _JPEG_CHECKED:
        if len(_JPEG_CHECKED) > 64:
            _JPEG_CHECKED.clear()
        _JPEG_CHECKED[digest] = _run_jpeg_check(data)
    return _JPEG_CHECKED[digest]


_JPEG_CHECKED: dict[str, str | None] = {}


def _run_jpeg_check(data: bytes) -> str | None:
    try:
        import imageio_ffmpeg

        program = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # no ffmpeg on this machine: Pillow's check stands
        return None
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
    try:
        done = subprocess.run(
            [program, "-nostdin", "-hide_banner", "-v", "error", "-f", "jpeg_pipe", "-i", "pipe:0",
             "-f", "null", "-"],
            input=data, capture_output=True, timeout=JPEG_CHECK_SECONDS, check=False, creationflags=flags)
    except subprocess.TimeoutExpired:
        return "it takes too long to decode"
    except OSError:
        return None
    if done.returncode != 0 or done.stderr.strip():
        return "its compressed data is corrupt"
    return None


def _reason(error: BaseException) -> str:
    """Pillow's words for what is wrong, said plainly where we know them."""
    text = str(error).strip().rstrip(".") or type(error).__name__
    lowered = text.lower()
    if "truncated" in lowered:
        return "the file is cut short"
    if "checksum" in lowered or "crc" in lowered:
        return "its data does not match its checksums"
    return text[:80]


def _read(path: Path) -> bytes:
    try:
        return read_user_file(path, MAX_PICTURE_BYTES)
    except InputError as error:
        message = error.problems[0].message  # said of the file: "image 'x.png' is too large"
        message = message.replace("file is too large", "is too large").replace(
            "cannot read the file: ", "cannot be read: ")
        raise PictureError(message.replace(f"at most {size_text(MAX_PICTURE_BYTES)}",
                                           f"at most {size_text(MAX_PICTURE_BYTES)} for a picture")) from None


def picture_problem(path: Path) -> str | None:
    """What is wrong with the picture file at ``path``, or None when it can be shown."""
    try:
        _decode(_read(path))
    except PictureError as error:
        return str(error)
    return None


def _fit(image: Image.Image, box: tuple[int, int], grow: bool = True) -> Image.Image:
    scale = min(max(box[0], 1) / image.width, max(box[1], 1) / image.height)
    if not grow:
        scale = min(scale, 1.0)
    size = (max(round(image.width * scale), 1), max(round(image.height * scale), 1))
    return image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)


def load_picture(path: Path, box: tuple[int, int], grow: bool = True) -> np.ndarray:
    """The picture as RGBA rows (top row first), scaled to fit ``box`` (width, height; only
    down unless ``grow``); PictureError when it cannot be shown.
    """
    image = _fit(_decode(_read(path), box).convert("RGBA"), box, grow)
    return np.asarray(image, dtype=np.uint8).copy()


def fit_picture(pixels: np.ndarray, box: tuple[int, int]) -> np.ndarray:
    """RGBA rows scaled to fit ``box`` (width, height), keeping their proportions."""
    return np.asarray(_fit(Image.fromarray(pixels, "RGBA"), box), dtype=np.uint8).copy()


def file_stamp(path: Path) -> tuple[int, int] | None:
    """When a file last changed and its size (None when it cannot be looked at)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size


class LastGoodPicture:
    """The pixels of a picture file, decoded again when the file changes; while the file on
    disk is broken the last good pixels stay (the viewer keeps the last good scene on screen,
    its inset included).
    """

    def __init__(self, box: tuple[int, int] = (1600, 1600)) -> None:
        self.box = box
        self.path: Path | None = None
        self.stamp: tuple[int, int] | None = None
        self.pixels: np.ndarray | None = None

    def get(self, path: Path) -> np.ndarray | None:
        """The pixels of ``path`` (the last good ones if it broke since); None if it never was good."""
        stamp = file_stamp(path)
        if path == self.path and stamp == self.stamp:
            return self.pixels
        try:
            pixels = load_picture(path, self.box, grow=False)
        except PictureError:
            if path != self.path:
                self.path, self.stamp, self.pixels = path, stamp, None
            else:
                self.stamp = stamp  # tried once; the next change of the file tries again
            return self.pixels
        self.path, self.stamp, self.pixels = path, stamp, pixels
        return pixels
