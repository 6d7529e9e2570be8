"""Soak: a lecture's worth of quick arrow keys neither grows memory nor leaves actors behind.

The keys come as a presenter's do (Right, Right, Left, Left, drifting through the scene),
each before the transition it started has ended, so frames are drawn at ever new points of
interrupted transitions: the case that once filled the geometry caches by hundreds of MB.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import sys

import pytest
from PySide6.QtCore import Qt

from tests.app.helpers import resident_bytes

pytestmark = [
    pytest.mark.gui, pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads resident memory from /proc"),
]
CHANGES = 500
WARM_UP = 120
WAITS_MS = (0, 0, 0, 120)  # never long enough for a 2 s transition to end; 0: the next key at once
PATTERN = (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Left)


def test_500_interrupted_step_changes_grow_nothing(qtbot, make_viewer) -> None:
    viewer = make_viewer(speed=1.0, size=(800, 560))
    viewer.view.setMaximumSize(viewer.view.minimumSize())  # render small: fewer pixels, the same work
    target = viewer.view.plotter
    waits = itertools.cycle(WAITS_MS)
    counts = {"presses": 0, "interrupted": 0}

    def press(key: Qt.Key) -> None:
        counts["interrupted"] += viewer.playback.animating
        counts["presses"] += 1
        qtbot.keyClick(target, key)
        wait = next(waits)
        if wait:  # (two keys at once draw two frames and paint one: half the painting time)
            qtbot.wait(wait)

    def presses(count: int) -> None:
        for number in range(count):
            press(PATTERN[number % 4])
            if number % 4 == 3:  # R, R, L, L stays put: drift one step on, wrapping at the end
                end = viewer.playback.index >= viewer.playback.count - 2
                press(Qt.Key.Key_Home if end else Qt.Key.Key_Right)

    def memory() -> int:
        """Resident memory at the first step at rest (what a step holds differs by step), the
        least of five looks: under Xvfb a few MiB of the drawing's buffers come and go.
        """
        looks = []
        for _ in range(5):
            qtbot.keyClick(target, Qt.Key.Key_Right)
            qtbot.wait(30)
            qtbot.keyClick(target, Qt.Key.Key_Home)
            qtbot.wait(30)
            viewer.playback.finish()  # at rest at once (the first step orbits for a while)
            qtbot.wait(300)
            gc.collect()
            libc.malloc_trim(0)  # free memory back to the system: what stays is in use
            looks.append(resident_bytes())
        return min(looks)

    def whole_transitions() -> None:
        """Every transition played through, both ways: every look of every step drawn once
        (the GL driver compiles a program for each new combination of cut, fade and glow).
        """
        viewer.playback.speed = 3.0
        for index in [*range(1, viewer.playback.count), *range(viewer.playback.count - 2, -1, -1)]:
            viewer.go_to(index)
            qtbot.waitUntil(lambda: viewer.view.frame.progress >= 1.0 and viewer.view.frame.text_alpha >= 1.0,
                            timeout=10000)
            viewer.playback.finish()
        viewer.playback.speed = 1.0

    libc = ctypes.CDLL("libc.so.6")
    target.setFocus()
    whole_transitions()
    presses(WARM_UP)  # every step and its labels seen, caches at their working size
    before = memory()
    actors, frames = viewer.view.renderer.actor_count(), viewer.playback.frames_shown
    counts.update(presses=0, interrupted=0)
    presses(CHANGES)
    growth = memory() / before - 1
    print(f"soak: {counts['presses']} presses, {counts['interrupted']} interrupted a transition, "
          f"{viewer.playback.frames_shown - frames} frames, actors {actors}, "
          f"memory {before / 2**20:.0f} MiB, "
          f"growth {growth:+.2%}")
    assert counts["presses"] >= CHANGES
    assert counts["interrupted"] > 0.8 * counts["presses"]  # the case that matters
    assert viewer.playback.frames_shown - frames >= CHANGES
    assert viewer.view.renderer.actor_count() == actors
    assert growth < 0.02, f"memory grew by {growth:.1%} over {CHANGES} step changes"
