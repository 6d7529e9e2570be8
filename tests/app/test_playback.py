"""Playback on its own: which times it shows for each kind of step change."""

from __future__ import annotations

import pytest

from discviz.app.playback import Playback
from discviz.player.frame import Player
from discviz.player.viewstate import Camera
from discviz.scene.load import load_scene

pytestmark = pytest.mark.gui


@pytest.fixture
def playback(qapp) -> Playback:
    return Playback(Player(load_scene("discogenic-pain")), speed=0.0)


def shown(playback: Playback) -> list:
    frames: list = []
    playback.frame_ready.connect(frames.append)
    return frames


def test_every_step_rests_inside_its_own_span(playback) -> None:
    for index in range(playback.count):
        frame = playback.player.frame_at(playback.rest_time(index))
        assert frame.step_index == index and frame.progress == 1.0


def test_orbiting_steps_rest_after_their_orbit(playback) -> None:
    span, step = playback.span(0), playback.player.scene.steps[0]
    assert step.orbit == 30
    camera = playback.player.frame_at(playback.rest_time(0)).camera
    assert camera.azimuth == pytest.approx(step.view.azimuth + step.orbit, abs=0.1)
    assert playback.rest_time(0) > span.settled


def test_instant_steps_show_the_resting_frame(playback) -> None:
    frames = shown(playback)
    playback.next()
    assert playback.index == 1 and not playback.animating
    assert frames[-1].time == pytest.approx(playback.rest_time(1))
    playback.go_to(99)
    assert playback.index == playback.count - 1
    playback.previous()
    assert playback.index == playback.count - 2


def test_going_back_plays_the_morph_in_reverse(playback, qtbot) -> None:
    playback.go_to(3)
    playback.speed = 20.0
    frames = shown(playback)
    with qtbot.waitSignal(playback.finished, timeout=5000):
        playback.previous()
    times = [f.time for f in frames]
    span = playback.span(3)
    assert times[0] == pytest.approx(span.settled) and times == sorted(times, reverse=True)
    assert frames[-1].step_index == 2


def test_the_camera_glides_from_where_the_presenter_left_it(playback, qtbot) -> None:
    playback.speed = 10.0
    frames = shown(playback)
    start = Camera(10.0, 5.0, 2.0)
    with qtbot.waitSignal(playback.finished, timeout=5000):
        playback.reset_view(start)
    assert frames[0].camera == start
    assert frames[-1].camera == playback.player.frame_at(playback.rest_time(0)).camera
    assert len(frames) >= 3


def test_the_timer_keeps_wall_clock_time(playback, qtbot) -> None:
    playback.speed = 8.0  # the 2 s transition in a quarter of a second
    with qtbot.waitSignal(playback.finished, timeout=6000):
        playback.go_to(1)
        assert playback.animating
    assert playback.time == pytest.approx(playback.rest_time(1))
