"""Soak: hundreds of step changes neither grow memory nor leave actors behind."""

from __future__ import annotations

import gc

import pytest

from tests.app.helpers import resident_bytes

pytestmark = [pytest.mark.gui, pytest.mark.slow]
CHANGES = 300


def test_300_step_changes_back_and_forth(qtbot, make_viewer) -> None:
    viewer = make_viewer(size=(640, 480))
    count = viewer.playback.count

    def change(number: int) -> None:
        lap, place = divmod(number, count - 1)  # 0 -> 8 -> 0 -> 8 ...
        index = place + 1 if lap % 2 == 0 else count - 2 - place
        viewer.go_to(index)
        viewer.view.plotter.repaint()  # really render each one

    for number in range(2 * (count - 1)):  # warm up: every step both ways, caches filled
        change(number)
    gc.collect()
    actors, memory = viewer.view.renderer.actor_count(), resident_bytes()
    for number in range(CHANGES):
        change(number)
    qtbot.wait(10)
    gc.collect()
    assert viewer.view.renderer.actor_count() == actors
    growth = resident_bytes() / memory - 1
    print(f"soak: {CHANGES} changes, actors {actors}, memory {memory / 1e6:.0f} MB, growth {growth:+.1%}")
    assert growth < 0.10, f"memory grew by {growth:.1%}"
    assert viewer.playback.frames_shown >= CHANGES
