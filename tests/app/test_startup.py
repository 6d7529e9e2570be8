"""Start-up: the first step on screen, the title, the counter; and the command line."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_start_up_shows_the_first_step(viewer) -> None:
    assert viewer.playback.index == 0
    assert viewer.view.frame is not None and viewer.view.frame.step_id == "healthy-disc"
    assert viewer.caption.title.text() == "A healthy disc"
    assert "cushion" in viewer.caption.caption.text()
    assert viewer.nav.counter.text() == "1 / 9"
    assert viewer.windowTitle().startswith("Why does my back hurt?")
    assert viewer.step_list.count() == 9 and viewer.step_list.currentRow() == 0
    assert not viewer.instructor.isVisible()
    assert not viewer.banner.isVisible()
