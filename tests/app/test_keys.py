"""Every presenter key does what it says, also while the 3D view has the focus."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from discviz.app.actions import ACTIONS
from discviz.scene.model import CUTAWAYS
from tests.app.helpers import settle

pytestmark = pytest.mark.gui
K = Qt.Key


def press(qtbot, viewer, key: Qt.Key, text_target=None) -> None:
    """A key press at the 3D view (which has the focus, as after a mouse drag)."""
    target = text_target or viewer.view.plotter
    target.setFocus()
    qtbot.keyClick(target, key)
    settle(qtbot, viewer)


@pytest.mark.parametrize("key", [K.Key_Right, K.Key_Space, K.Key_PageDown, K.Key_Down])
def test_next_keys(qtbot, viewer, key) -> None:
    press(qtbot, viewer, key)
    assert viewer.playback.index == 1
    assert viewer.view.frame.step_id == "healthy-inside"
    assert viewer.nav.counter.text() == "2 / 11"


@pytest.mark.parametrize("key", [K.Key_Left, K.Key_PageUp, K.Key_Up, K.Key_Backspace])
def test_previous_keys(qtbot, viewer, key) -> None:
    viewer.go_to(2)
    settle(qtbot, viewer)
    press(qtbot, viewer, key)
    assert viewer.playback.index == 1
    assert viewer.view.frame.step_id == "healthy-inside"
    assert viewer.caption.title.text() == "Inside a healthy disc"


def test_home_end_and_number_keys(qtbot, viewer) -> None:
    press(qtbot, viewer, K.Key_End)
    assert viewer.playback.index == 10
    press(qtbot, viewer, K.Key_Right)  # nothing after the last step
    assert viewer.playback.index == 10
    press(qtbot, viewer, K.Key_Home)
    assert viewer.playback.index == 0
    press(qtbot, viewer, K.Key_Left)  # nothing before the first
    assert viewer.playback.index == 0
    for number in (5, 9, 1, 3):
        press(qtbot, viewer, getattr(K, f"Key_{number}"))
        assert viewer.playback.index == number - 1
        assert viewer.nav.counter.text() == f"{number} / 11"
        assert viewer.step_list.currentRow() == number - 1


def test_keys_work_wherever_the_focus_is(qtbot, viewer) -> None:
    viewer.toggle_instructor()
    slider = viewer.instructor.sliders["fissure.depth"].slider
    for target in (viewer.step_list, viewer.nav.next_button, slider):
        before = viewer.playback.index
        press(qtbot, viewer, K.Key_Right, target)
        assert viewer.playback.index == before + 1


def test_black_screen_and_back(qtbot, viewer) -> None:
    press(qtbot, viewer, K.Key_C)  # leaves "Cutaway: axial" in the status bar
    press(qtbot, viewer, K.Key_B)
    assert viewer.black and viewer.stack.currentWidget() is viewer.black_page
    assert not viewer.menuBar().isVisible() and not viewer.statusBar().isVisible()
    assert not viewer.view.isVisible()
    press(qtbot, viewer, K.Key_Right)  # stepping still works in the dark
    press(qtbot, viewer, K.Key_Period)
    assert not viewer.black and viewer.view.isVisible() and viewer.menuBar().isVisible()
    assert viewer.statusBar().isVisible()
    assert viewer.playback.index == 1
    press(qtbot, viewer, K.Key_B)
    press(qtbot, viewer, K.Key_Escape)
    assert not viewer.black


@pytest.mark.parametrize("key", [K.Key_F, K.Key_F11])
def test_fullscreen_and_escape(qtbot, viewer, key) -> None:
    press(qtbot, viewer, key)
    qtbot.waitUntil(viewer.isFullScreen)
    assert viewer.actions["fullscreen"].isChecked()
    press(qtbot, viewer, K.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isFullScreen())
    press(qtbot, viewer, key)
    qtbot.waitUntil(viewer.isFullScreen)
    press(qtbot, viewer, key)
    qtbot.waitUntil(lambda: not viewer.isFullScreen())


def test_labels_on_and_off(qtbot, viewer) -> None:
    overlay = viewer.view.renderer.overlay
    assert any(label.GetVisibility() for label in overlay.labels.values())
    press(qtbot, viewer, K.Key_L)
    assert not viewer.view.renderer.labels_visible
    assert not any(label.GetVisibility() for label in overlay.labels.values())
    assert not viewer.actions["labels"].isChecked()
    press(qtbot, viewer, K.Key_L)
    assert any(label.GetVisibility() for label in overlay.labels.values())


def test_cutaway_cycles_and_the_step_restores_it(qtbot, viewer) -> None:
    assert viewer.view.frame.cutaway == "none"
    seen = []
    for _ in CUTAWAYS:
        press(qtbot, viewer, K.Key_C)
        seen.append(viewer.view.frame.cutaway)
        assert viewer.view.frame.cutaway_amount == 1.0
    assert seen == ["axial", "sagittal", "coronal", "quadrant", "none"]
    press(qtbot, viewer, K.Key_C)
    press(qtbot, viewer, K.Key_Right)  # healthy-inside has its own axial cut
    assert viewer.view.frame.cutaway == "axial"
    press(qtbot, viewer, K.Key_C)
    assert viewer.view.frame.cutaway == "sagittal"
    press(qtbot, viewer, K.Key_R)  # R gives the step back its own cut
    assert viewer.view.frame.cutaway == "axial"


def test_reset_view_after_rotating(qtbot, viewer) -> None:
    step_camera = viewer.view.current_camera()
    qtbot.mouseClick(viewer.view.plotter, Qt.MouseButton.LeftButton)  # the presenter takes the camera
    assert viewer.view.keep_camera
    viewer.view.plotter.camera.azimuth += 50
    viewer.view.plotter.camera.Dolly(1.5)
    moved = viewer.view.current_camera()
    assert abs(moved.zoom - step_camera.zoom) > 0.2
    viewer.toggle_labels()  # a redraw keeps the presenter's camera
    settle(qtbot, viewer)
    assert viewer.view.current_camera() == pytest.approx(moved)
    press(qtbot, viewer, K.Key_R)
    back = viewer.view.current_camera()
    assert not viewer.view.keep_camera
    assert back.azimuth == pytest.approx(step_camera.azimuth, abs=0.5)
    assert back.elevation == pytest.approx(step_camera.elevation, abs=0.5)
    assert back.zoom == pytest.approx(step_camera.zoom, rel=0.02)


def test_every_action_is_in_a_menu_with_its_keys(viewer) -> None:
    in_menus = {action for menu in viewer.menuBar().findChildren(type(viewer.menus.go_menu))
                for action in menu.actions()}
    for name, spec in ACTIONS.items():
        action = viewer.actions[name]
        assert action in in_menus, name
        assert action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
        assert len(action.shortcuts()) == len(spec.keys)
    assert "Space" in viewer.actions["next"].text() and "PgDown" in viewer.actions["next"].text()
    step_keys = [a.shortcut().toString() for a in viewer.menus.go_menu.actions() if a.shortcut().toString()]
    assert step_keys[-9:] == [str(n) for n in range(1, 10)]


def test_z_glides_in_to_the_tear_and_out_again(qtbot, viewer) -> None:
    viewer.go_to(1)  # healthy, axial cut: the close-up shows where the tear will open
    settle(qtbot, viewer)
    step = viewer.view.frame.camera
    press(qtbot, viewer, K.Key_Z)
    near = viewer.view.frame.camera
    assert viewer.actions["close_up"].isChecked()
    assert near.zoom >= 2.5 > step.zoom and near.focus_weight == 1.0
    angle = np.degrees(np.arctan2(near.focus[0], -near.focus[1])) % 360
    assert angle == pytest.approx(viewer.view.frame.params.f("fissure.position"), abs=10)
    assert viewer.view.plotter.camera.focal_point == pytest.approx(near.focus, abs=1e-6)
    press(qtbot, viewer, K.Key_Right)  # the next step has its own camera again
    assert not viewer.actions["close_up"].isChecked()
    assert viewer.view.frame.camera == viewer.playback.player.step_camera(2)
    press(qtbot, viewer, K.Key_Z)
    press(qtbot, viewer, K.Key_Z)  # and Z again leaves the close-up
    assert not viewer.actions["close_up"].isChecked()
    assert viewer.view.frame.camera == viewer.playback.player.step_camera(2)
