"""Type sizes that follow the window: large enough for a wall screen, never cut off on a laptop."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget


def caption_pixels(window_height: int) -> int:
    """Caption size in (logical) pixels for a window this tall."""
    return int(min(max(window_height / 40.0, 16.0), 40.0))


def set_pixel_size(widget: QWidget, pixels: int, bold: bool = False) -> None:
    """Set the widget's font size in pixels (sizes in pixels scale with high-DPI screens)."""
    font = QFont(widget.font())
    font.setPixelSize(max(int(pixels), 8))
    font.setBold(bold)
    widget.setFont(font)
