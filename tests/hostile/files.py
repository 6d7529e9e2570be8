"""Hostile files, made fresh for each test: broken pictures, special files, odd encodings.

Every picture is small on disk; the "bomb" claims 30000 x 30000 pixels in a few hundred
bytes, as a 2.7 MB file that unpacks to 2.7 GB would.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

STEP = 'format = 1\n\n[[steps]]\nid = "one"\nstate = "healthy"\n'  # additions start on line 6


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int, idat: bytes) -> bytes:
    """A PNG of any claimed size around the given compressed data, checksums correct."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat)
            + _chunk(b"IEND", b""))


def picture(kind: str = "PNG", size: tuple[int, int] = (80, 60)) -> bytes:
    """A good picture of noise (so that the compressed data fills the file)."""
    pixels = (np.random.default_rng(3).random((size[1], size[0], 3)) * 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue()


def corrupt_png() -> bytes:
    """A valid signature and header, and a body with bytes overwritten (checksum wrong)."""
    data = bytearray(picture("PNG"))
    at = data.index(b"IDAT") + 40
    data[at:at + 20] = bytes(20)
    return bytes(data)


def garbage_png() -> bytes:
    """Checksums that match, around compressed data that is not zlib at all."""
    return png_header(80, 60, bytes(range(256)) * 4)


def truncated(data: bytes) -> bytes:
    """The first half of a file."""
    return data[: len(data) // 2]


def corrupt_jpeg() -> bytes:
    """A JPEG whose structure is intact and whose compressed data has a stretch of 0xFF 0x00
    pairs: invalid Huffman codes, which libjpeg decodes past with grey blocks.
    """
    data = bytearray(picture("JPEG"))
    middle = len(data) // 2
    data[middle:middle + 200] = b"\xff\x00" * 100
    return bytes(data)


def bomb_png() -> bytes:
    """30000 x 30000 pixels claimed in a few hundred bytes."""
    return png_header(30000, 30000, zlib.compress(b"\0" * 4096))


def gif_named_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(out, "GIF")
    return out.getvalue()


def fifo(path: Path) -> Path:
    """A named pipe: reading it waits for a writer that never comes."""
    os.mkfifo(path)
    return path


def scene_with_image(folder: Path, image: bytes | None, name: str = "figure.png") -> Path:
    """``folder/scene.toml`` showing ``folder/name`` (written unless ``image`` is None)."""
    if image is not None:
        (folder / name).write_bytes(image)
    scene = folder / "scene.toml"
    scene.write_text(STEP + f'image = "{name}"\n', encoding="utf-8")
    return scene
