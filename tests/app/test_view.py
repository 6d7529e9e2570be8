"""What reaches the screen: the picture changes between steps, transitions animate,
mouse moves keep the camera, and errors land in the banner instead of crashing.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from discviz.geometry import build_surfaces
from discviz.render.renderer import software_opengl
from tests.app.helpers import pixels, settle

pytestmark = pytest.mark.gui


def shot(viewer) -> np.ndarray:
    return pixels(viewer.view.grab_image())


def test_the_view_changes_between_steps(qtbot, viewer) -> None:
    first = shot(viewer)
    assert first.std() > 10  # not a blank picture
    viewer.go_to(2)
    settle(qtbot, viewer)
    crack = shot(viewer)
    assert first.shape == crack.shape
    assert np.abs(first - crack).mean() > 8
    viewer.go_to(0)
    settle(qtbot, viewer)
    assert np.abs(first - shot(viewer)).mean() < 2  # the same step looks the same again


def test_a_transition_animates_then_rests(qtbot, viewer) -> None:
    viewer.playback.speed = 0.75  # the 2 s transition in 2.7 s: several frames even on a busy machine
    times: list[float] = []
    viewer.playback.frame_ready.connect(lambda frame: times.append(frame.time))
    with qtbot.waitSignal(viewer.playback.finished, timeout=30000):
        viewer.next_step()
        assert viewer.playback.animating
        assert viewer.caption.title.text() == "Inside a healthy disc"  # the words change at once
    span = viewer.playback.span(1)
    assert len(times) >= 3 and times == sorted(times)
    assert times[0] == pytest.approx(span.start) and times[-1] == pytest.approx(span.settled)
    assert 0 < viewer.view.frame.progress <= 1 and viewer.view.frame.step_index == 1
    times.clear()
    with qtbot.waitSignal(viewer.playback.finished, timeout=30000):
        viewer.previous_step()  # back: the same morph in reverse
    assert times[0] == pytest.approx(span.settled) and times == sorted(times, reverse=True)
    assert viewer.view.frame.step_index == 0


def test_orbit_plays_during_the_hold_and_the_mouse_stops_it(qtbot, make_viewer) -> None:
    viewer = make_viewer(speed=1.0)  # step 1 orbits 30 degrees over its reading pause
    viewer.go_to(1)
    qtbot.waitSignal(viewer.playback.finished, timeout=10000).wait()
    viewer.go_to(0)
    qtbot.waitUntil(lambda: viewer.view.frame.time > viewer.playback.span(0).settled + 0.2, timeout=10000)
    assert viewer.playback.animating  # orbiting
    qtbot.mousePress(viewer.view.plotter, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(viewer.view.plotter, Qt.MouseButton.LeftButton)
    assert not viewer.playback.animating and viewer.view.keep_camera
    assert viewer.playback.time == pytest.approx(viewer.playback.rest_time(0))


def test_a_failing_draw_shows_in_the_banner(qtbot, viewer, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("graphics went away")

    monkeypatch.setattr(viewer.view.renderer, "show", broken)
    viewer.next_step()
    qtbot.waitUntil(viewer.banner.isVisible)
    assert "graphics went away" in viewer.banner.text
    assert viewer.isVisible() and viewer.playback.index == 1
    monkeypatch.undo()
    viewer.banner.clear()
    viewer.next_step()
    settle(qtbot, viewer)
    assert viewer.view.frame.step_index == 2 and not viewer.banner.isVisible()


def test_an_error_in_an_action_shows_in_the_banner(qtbot, viewer, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise ValueError("no such cut")

    monkeypatch.setattr(viewer.overrides, "next_cutaway", broken)
    viewer.actions["cutaway"].trigger()
    assert viewer.banner.isVisible() and "no such cut" in viewer.banner.text
    viewer.banner.clear()


def test_a_focused_step_looks_at_the_tear_and_a_pan_is_where_the_next_glide_starts(qtbot, viewer) -> None:
    viewer.go_to(2)  # "A crack starts inside": focus = ["fissure", "nucleus"], the crack beside the core
    settle(qtbot, viewer)
    frame = viewer.view.frame
    assert "fissure" in frame.focus
    parts = build_surfaces(frame.disc_state, frame.params)
    looked_at = np.concatenate([parts[name].points for name in frame.focus])
    centre = (looked_at.min(axis=0) + looked_at.max(axis=0)) / 2
    assert frame.camera.focus == pytest.approx(tuple(centre), abs=0.3)
    assert viewer.view.plotter.camera.focal_point == pytest.approx(frame.camera.focus, abs=1e-6)
    qtbot.mouseClick(viewer.view.plotter, Qt.MouseButton.LeftButton)  # the presenter takes the camera
    camera = viewer.view.plotter.camera
    camera.focal_point = tuple(np.add(camera.focal_point, (5.0, 0.0, 0.0)))
    camera.position = tuple(np.add(camera.position, (5.0, 0.0, 0.0)))
    panned = viewer.view.current_camera()
    assert panned.focus == pytest.approx(camera.focal_point) and panned.focus_weight == 1.0


def test_clicking_a_structure_names_it_in_the_current_language_and_the_background_clears_it(
        qtbot, viewer) -> None:
    from PySide6.QtCore import QPoint

    from discviz.render.labels import choose_anchor
    from discviz.scene.glossary import label

    viewer.set_language("zh")
    viewer.go_to(1)  # inside a healthy disc: the lower bone shows, and has no label of its own
    settle(qtbot, viewer)
    view = viewer.view
    assert "vertebra-lower" not in view.renderer.placed
    ids, colours = view.renderer.id_picture(scale=1.0)
    row, column = choose_anchor((ids == colours["vertebra-lower"]).all(axis=2))
    ratio = view.plotter.devicePixelRatioF()
    where = QPoint(int(column / ratio), int(row / ratio))
    qtbot.mouseClick(view.plotter, Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: "vertebra-lower" in view.renderer.placed, timeout=10000)
    shown = view.renderer.overlay.labels["vertebra-lower"]
    assert shown.GetVisibility() and shown.caption == label("vertebra-lower", "patient", "zh")
    qtbot.mouseClick(view.plotter, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))  # the background
    qtbot.waitUntil(lambda: "vertebra-lower" not in view.renderer.placed, timeout=10000)
    viewer.set_language("en")


def test_software_opengl_smooths_edges_with_fxaa_instead_of_multisampling(viewer) -> None:
    window = viewer.view.plotter.render_window
    renderer = viewer.view.renderer
    software = software_opengl(window.ReportCapabilities())
    assert renderer.fxaa == software
    assert window.GetMultiSamples() == (0 if software else 4)
    assert renderer.main.renderer.GetUseFXAA() == software
    assert not renderer.overlay.renderer.GetUseFXAA()  # text stays as FreeType drew it
    renderer.settle_labels()  # the id picture is drawn flat, without FXAA, which comes back after
    assert renderer.main.renderer.GetUseFXAA() == software


def _label_ends(viewer) -> dict[str, str | None]:
    """Each label drawn now -> the structure (from a fresh id picture) under its anchor dot."""
    view = viewer.view
    height = view.renderer.size[1]
    out = {}
    for record in view.renderer.label_records():
        found = view.renderer.structure_at(record.anchor[0], height - record.anchor[1])
        out[record.structure] = found[0] if found else None
    return out


def test_while_the_first_step_plays_every_label_stays_on_its_own_structure(viewer) -> None:
    """Between settles the labels follow their pinned points: the nerve root turning in front
    of the ring's pinned point must not leave "tough outer ring" pointing at the root.
    """
    playback = viewer.playback
    span = playback.span(0)  # the morph in, then the orbit over the reading pause
    seen: list[dict[str, str | None]] = []
    for time in np.linspace(span.start, span.end - 1e-3, 14):
        viewer.view.draw(viewer.overrides.apply(playback.player.frame_at(float(time))))
        seen.append(_label_ends(viewer))  # no paint in between: the labels as the animation draws them
    wrong = [(name, found) for ends in seen for name, found in ends.items() if found != name]
    assert not wrong, wrong
    assert sum(len(ends) for ends in seen) >= 2 * len(seen)  # labels stayed on screen, not just gone
