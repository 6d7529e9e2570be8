"""Ctrl-C (or ``kill``) that cannot be lost on the way.

Python turns the signal into a KeyboardInterrupt wherever the program happens to be; when
that is inside a finaliser (VTK objects are freed all the time while a video is written)
Python prints "Exception ignored" and carries on, and the video would be finished after
all. So the signal is also remembered, and the export loops ask at every frame.
"""

from __future__ import annotations

import signal
from types import FrameType

_requested = False


def _stop(_signal: int, _frame: FrameType | None) -> None:
    global _requested
    _requested = True
    raise KeyboardInterrupt


def stop_cleanly_on_signals() -> None:
    """Ctrl-C and ``kill`` (SIGTERM) both stop the program as a KeyboardInterrupt."""
    try:
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread (discviz called from a program's worker thread)
        pass


def check() -> None:
    """Raise KeyboardInterrupt again if a stop was asked for and got swallowed somewhere."""
    if _requested:
        raise KeyboardInterrupt
