"""Which characters a font file has glyphs for: its Unicode ``cmap`` read straight from the file.

Only the character map is read (formats 4 and 12, the ones Unicode fonts carry), in a few
milliseconds; fontTools reads the glyph names too, which takes a Chinese font a tenth of a
second before the viewer's first picture. Anything else falls back to fontTools.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

#: (platform, encoding) of the Unicode subtables, the most complete first (fontTools' order)
PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class UnreadableFont(ValueError):
    """Not a TrueType/OpenType file (or collection), or one with no Unicode character map."""


class UnknownMapFormat(UnreadableFont):
    """A font whose Unicode character map is of a format this reader does not know."""


def _u16(data: bytes, offset: int) -> int:
    return struct.unpack_from(">H", data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from(">I", data, offset)[0]


def _cmap_table(data: bytes, font_number: int) -> int:
    """The file offset of the ``cmap`` table of font ``font_number`` (a collection holds several)."""
    start = 0
    if data[:4] == b"ttcf":
        if font_number >= _u32(data, 8):
            raise UnreadableFont("no such font in the collection")
        start = _u32(data, 12 + 4 * font_number)
    if data[start:start + 4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise UnreadableFont("not a TrueType or OpenType font")
    for record in range(_u16(data, start + 4)):
        entry = start + 12 + 16 * record
        if data[entry:entry + 4] == b"cmap":
            return _u32(data, entry + 8)
    raise UnreadableFont("the font has no character map")


def _format_4(data: bytes, at: int) -> np.ndarray:
    """Characters with a glyph in a segment-mapping subtable (the Basic Multilingual Plane)."""
    count = _u16(data, at + 6) // 2
    arrays = at + 14
    end = np.frombuffer(data, ">u2", count, arrays).astype(np.int64)
    start = np.frombuffer(data, ">u2", count, arrays + 2 * count + 2).astype(np.int64)
    delta = np.frombuffer(data, ">i2", count, arrays + 4 * count + 2).astype(np.int64)
    range_offset_at = arrays + 6 * count + 2
    range_offset = np.frombuffer(data, ">u2", count, range_offset_at).astype(np.int64)
    glyph_ids_at = range_offset_at + 2 * count
    glyph_ids = np.frombuffer(data, ">u2", (len(data) - glyph_ids_at) // 2, glyph_ids_at).astype(np.int64)
    found: list[np.ndarray] = []
    for segment in range(count):
        if start[segment] > end[segment] or start[segment] == 0xFFFF:
            continue  # the closing 0xFFFF segment maps nothing
        codes = np.arange(start[segment], end[segment] + 1)
        if range_offset[segment] == 0:
            glyphs = (codes + delta[segment]) & 0xFFFF
        else:  # the offset counts bytes from the segment's own idRangeOffset entry
            index = range_offset[segment] // 2 + segment - count + codes - start[segment]
            inside = (index >= 0) & (index < len(glyph_ids))  # past the table: no glyph
            raw = np.where(inside, glyph_ids[np.clip(index, 0, max(len(glyph_ids) - 1, 0))], 0)
            glyphs = np.where(raw != 0, (raw + delta[segment]) & 0xFFFF, 0)
        found.append(codes[glyphs != 0])
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _format_12(data: bytes, at: int) -> np.ndarray:
    """Characters with a glyph in a segmented-coverage subtable (all of Unicode)."""
    count = _u32(data, at + 12)
    groups = np.frombuffer(data, ">u4", 3 * count, at + 16).astype(np.int64).reshape(count, 3)
    found = [np.arange(first, last + 1) for first, last, _ in groups if last >= first]
    codes = np.concatenate(found) if found else np.zeros(0, np.int64)
    glyph_zero = groups[groups[:, 2] == 0, 0]  # a group starting at glyph 0 maps its first code to nothing
    return codes[~np.isin(codes, glyph_zero)]


READERS = {4: _format_4, 12: _format_12}


def characters(path: Path, font_number: int = 0) -> frozenset[int]:
    """The code points font ``font_number`` of ``path`` has a glyph for: UnreadableFont when
    the file is no such font, UnknownMapFormat when its map is of a rarer format.
    """
    data = path.read_bytes()
    try:
        table = _cmap_table(data, font_number)
        subtables = {(_u16(data, table + 4 + 8 * i), _u16(data, table + 6 + 8 * i)):
                     table + _u32(data, table + 8 + 8 * i) for i in range(_u16(data, table + 2))}
        best = next((subtables[key] for key in PREFERRED if key in subtables), None)
        if best is None:
            raise UnreadableFont("the font has no Unicode character map")
        reader = READERS.get(_u16(data, best))
        if reader is None:
            raise UnknownMapFormat(f"character map format {_u16(data, best)}")
        return frozenset(reader(data, best).tolist())
    except UnreadableFont:
        raise
    except (struct.error, ValueError, IndexError) as error:  # cut short or garbled
        raise UnreadableFont(str(error)) from error
