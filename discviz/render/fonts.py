"""Find a font with Chinese glyphs on Windows, macOS or Linux, so captions never show boxes.

VTK draws text with FreeType from a font file; its built-in fonts have no CJK glyphs. The
fonts listed here ship with the operating system (Microsoft YaHei, PingFang, Noto CJK,
WenQuanYi); on Linux ``fc-match`` finds whatever else is installed.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

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


@functools.cache
def cjk_font() -> Path | None:
    """A font file with Chinese (and Latin) glyphs, or None when the machine has none."""
    override = os.environ.get("DISCVIZ_FONT")
    if override and Path(override).is_file():
        return Path(override)
    for path in _candidates():
        if path.is_file():
            return path
    found = _fc_match()
    if found is not None and found.suffix.lower() in (".ttf", ".ttc", ".otf"):
        return found
    return None

