"""Start-up: the first step on screen, the title, the counter; and the command line."""

from __future__ import annotations

import pytest

from discviz.app.window import ViewerWindow
from discviz.scene.load import load_scene
from tests.app.conftest import BUNDLED, WINDOW_SIZE
from tests.app.helpers import wait_until

pytestmark = pytest.mark.gui


def test_start_up_shows_the_first_step(viewer) -> None:
    assert viewer.playback.index == 0
    assert viewer.view.frame is not None and viewer.view.frame.step_id == "healthy-disc"
    assert viewer.caption.title.text() == "Where the disc is"
    assert "cushion" in viewer.caption.caption.text()
    assert viewer.nav.counter.text() == "1 / 11"
    assert viewer.windowTitle().startswith("Why does my back hurt?")
    assert viewer.step_list.count() == 11 and viewer.step_list.currentRow() == 0
    assert not viewer.instructor.isVisible()
    assert not viewer.banner.isVisible()


def test_step_list_gets_a_thumbnail_of_every_step(viewer, qtbot) -> None:
    viewer.thumbnails.make(viewer.scene_ref, "en", "patient", len(viewer.scene.steps), delay=False)
    with qtbot.waitSignal(viewer.thumbnails.ready, timeout=120_000) as blocker:
        pass
    pictures = blocker.args[0]
    assert len(pictures) == 11
    icons = [viewer.step_list.item(row).icon() for row in range(viewer.step_list.count())]
    assert all(not icon.isNull() for icon in icons)
    assert viewer.step_list.iconSize().width() == 112
    viewer.set_language("zh")  # other words for the same steps: the pictures stay
    try:
        assert viewer.step_list.item(0).text().endswith("椎间盘在哪里")
        assert all(not viewer.step_list.item(row).icon().isNull() for row in range(viewer.step_list.count()))
    finally:
        viewer.set_language("en")


def test_the_first_picture_on_screen_has_its_labels(qtbot, settings) -> None:
    window = ViewerWindow(load_scene(BUNDLED), BUNDLED, settings=settings, speed=0.0)
    qtbot.addWidget(window)
    on_first: list[set[str]] = []
    window.first_frame.connect(lambda: on_first.append(set(window.view.renderer.placed)))
    window.resize(*WINDOW_SIZE)
    window.show()
    wait_until(lambda: bool(on_first))
    assert on_first[0] == {"vertebra-upper", "annulus", "nerve-roots"}  # the first step's labels
    qtbot.wait(300)
    assert not window.view.renderer.check_labels()  # settled already: nothing moves after it
    assert set(window.view.renderer.placed) == on_first[0]
    window.close()
