"""Small helpers for the viewer tests."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from discviz.app.window import ViewerWindow


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Process events until ``condition`` holds (like qtbot.waitUntil, for any fixture scope)."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("condition not met in time")
        QApplication.processEvents()
        time.sleep(0.005)


def pixels(image: QImage) -> np.ndarray:
    """An RGB array of a QImage."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * height)
    return data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3).astype(int)


def settle(qtbot, window: ViewerWindow, timeout: int = 15000) -> None:
    """Wait until no animation runs and any pending redraw is done."""
    qtbot.waitUntil(lambda: not window.playback.animating and not window._redraw_timer.isActive(),
                    timeout=timeout)


def resident_bytes() -> int:
    """Resident memory of this process (Linux)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")
