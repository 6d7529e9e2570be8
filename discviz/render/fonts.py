"""Find a font with Chinese glyphs on Windows, macOS or Linux, so captions never show boxes,
and say plainly when the machine has none.

VTK draws text with FreeType from a font file; its built-in fonts have no CJK glyphs. The
fonts listed here ship with the operating system (Microsoft YaHei, PingFang, Noto CJK,
WenQuanYi); on Linux ``fc-match`` finds whatever else is installed. ``DISCVIZ_FONT`` names a
font file to use; ``DISCVIZ_FONT_DIRS`` (folders separated by the path separator) makes the
search look only there (a portable install with its own fonts, and the tests' "machine
without a Chinese font").
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from discviz.render.cmap import UnknownMapFormat, UnreadableFont, characters

_WINDOWS = ("msyh.ttc", "msyh.ttf", "msyhbd.ttc", "simhei.ttf", "simsun.ttc", "Deng.ttf")
_MAC = (
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
_LINUX = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
)


def _candidates() -> list[Path]:
    folders = os.environ.get("DISCVIZ_FONT_DIRS")
    if folders is not None:
        found: list[Path] = []
        for folder in folders.split(os.pathsep):
            if folder and Path(folder).is_dir():
                found += sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
        return found
    if sys.platform.startswith("win"):
        root = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [folder / name for name in _WINDOWS for folder in (root, local)]
    if sys.platform == "darwin":
        return [Path(p) for p in _MAC]
    return [Path(p) for p in _LINUX]


def _fc_match() -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True,
                               text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found and Path(found).is_file() else None


FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
CJK_SAMPLE = "椎间盘腰痛"  # a font that has these has the Chinese of the bundled scenes


@functools.cache
def cjk_font() -> Path | None:
    """A font file with Chinese (and Latin) glyphs, or None when the machine has none."""
    override = os.environ.get("DISCVIZ_FONT")
    if override and Path(override).is_file():
        return Path(override)
    for path in _candidates():
        if path.is_file() and not missing_glyphs(path, CJK_SAMPLE):
            return path
    if os.environ.get("DISCVIZ_FONT_DIRS") is not None:
        return None  # told where to look: nowhere else
    found = _fc_match()
    if found is not None and found.suffix.lower() in FONT_SUFFIXES:
        return found
    return None


def font_file() -> Path | None:
    """The font every text is drawn with: one with Chinese and Latin glyphs when there is one
    (None: VTK's own Latin font).
    """
    return cjk_font()


@functools.lru_cache(maxsize=8)
def _cmap(path: Path) -> frozenset[int]:
    try:
        return characters(path)  # the usual Unicode maps, straight from the file
    except UnknownMapFormat:
        pass
    except (OSError, UnreadableFont):  # not a font we can read: it covers nothing we can prove
        return frozenset()
    from fontTools.ttLib import TTFont  # a rarer map: fontTools reads every kind

    try:
        with TTFont(str(path), fontNumber=0, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # not a font we can read: it covers nothing we can prove
        return frozenset()


def _builtin_covers(ch: str) -> bool:
    """VTK's own fonts: Latin, with common punctuation."""
    code = ord(ch)
    return code < 0x250 or 0x2000 <= code <= 0x206F or ch.isspace()


def missing_glyphs(font: Path | None, text: str) -> str:
    """The characters of ``text`` that ``font`` (None: VTK's built-in font) cannot draw."""
    wanted = dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) >= 0x20)
    if font is None:
        return "".join(ch for ch in wanted if not _builtin_covers(ch))
    cmap = _cmap(font)
    return "".join(ch for ch in wanted if ord(ch) not in cmap)


LANGUAGE_NAMES = {"zh": "Chinese", "en": "English", "ja": "Japanese", "ko": "Korean", "de": "German",
                  "fr": "French", "es": "Spanish"}
FONT_FIX = ("install a font that has them (on Windows and macOS, Microsoft YaHei or PingFang come "
            "with the system; on Debian or Ubuntu: sudo apt install fonts-wqy-microhei, or "
            "fonts-noto-cjk for Noto Sans CJK), or set DISCVIZ_FONT to a .ttf, .ttc or .otf file "
            "that has them")


def font_problem(language: str, texts: list[str] | tuple[str, ...]) -> str | None:
    """A plain sentence when the text in ``language`` needs glyphs the font found lacks (the
    picture would show empty boxes), naming the language, the font and the fix; else None.
    """
    font = font_file()
    missing = missing_glyphs(font, "".join(texts))
    if not missing:
        return None
    name = LANGUAGE_NAMES.get(language, language)
    sample = " ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
    if font is None:
        return (f"the {name} text (language '{language}') needs a font with {name} glyphs "
                f"({sample}), and no such font was found on this machine: {FONT_FIX}")
    return (f"the font {font.name} ({font}) lacks glyphs the {name} text (language '{language}') "
            f"needs ({sample}): {FONT_FIX}")

