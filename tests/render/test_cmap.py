"""The font's character map read straight from the file (discviz/render/cmap.py) says what
fontTools says: the characters with a glyph, from single fonts and collections.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.ttCollection import TTCollection

from discviz.render import fonts
from discviz.render.cmap import UnknownMapFormat, UnreadableFont, characters


def by_fonttools(path: Path, number: int = 0) -> set[int]:
    with TTFont(str(path), fontNumber=number, lazy=True) as font:
        return {code for code, glyph in font.getBestCmap().items() if font.getGlyphID(glyph) != 0}


def built_font(path: Path, codes: list[int]) -> Path:
    """A minimal TrueType font with one square glyph for each of ``codes``."""
    names = [".notdef"] + [f"g{code:x}" for code in codes]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({code: f"g{code:x}" for code in codes})
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 500))
    pen.lineTo((400, 500))
    pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf({name: glyph for name in names})
    builder.setupHorizontalMetrics({name: (500, 100) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


def test_a_shipped_latin_font_reads_as_fonttools_reads_it() -> None:
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    found = characters(dejavu)
    assert found == by_fonttools(dejavu)
    assert ord("A") in found and ord("椎") not in found


def test_characters_beyond_the_basic_plane_come_from_the_full_map(tmp_path: Path) -> None:
    codes = [0x41, 0x42, 0x692E, 0x20000, 0x20001, 0x1F600]  # A B 椎, two CJK extension B, an emoji
    path = built_font(tmp_path / "wide.ttf", codes)
    assert characters(path) == set(codes) == by_fonttools(path)


def test_each_font_of_a_collection_has_its_own_characters(tmp_path: Path) -> None:
    first = built_font(tmp_path / "a.ttf", [0x41, 0x42])
    second = built_font(tmp_path / "b.ttf", [0x692E, 0x95F4, 0x76D8])
    collection = TTCollection()
    collection.fonts = [TTFont(str(first)), TTFont(str(second))]
    path = tmp_path / "both.ttc"
    collection.save(str(path))
    assert characters(path, 0) == {0x41, 0x42}
    assert characters(path, 1) == {0x692E, 0x95F4, 0x76D8} == by_fonttools(path, 1)
    with pytest.raises(UnreadableFont):
        characters(path, 2)


def test_a_file_that_is_no_font_covers_nothing(tmp_path: Path) -> None:
    path = tmp_path / "notes.ttf"
    path.write_bytes(b"these are not glyphs" * 10)
    with pytest.raises(UnreadableFont):
        characters(path)
    assert fonts.missing_glyphs(path, "A椎") == "A椎"


def test_a_rarer_map_format_is_read_by_fonttools_instead(tmp_path: Path) -> None:
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    path = built_font(tmp_path / "plain.ttf", [0x41, 0x42, 0x43])
    font = TTFont(str(path))
    trimmed = CmapSubtable.newSubtable(6)  # a trimmed table: one run of codes
    trimmed.platformID, trimmed.platEncID, trimmed.language = 3, 1, 0
    trimmed.cmap = {0x41: "g41", 0x42: "g42", 0x43: "g43"}
    font["cmap"].tables = [trimmed]
    odd = tmp_path / "trimmed.ttf"
    font.save(str(odd))
    with pytest.raises(UnknownMapFormat):
        characters(odd)
    assert fonts.missing_glyphs(odd, "ABCD") == "D"
