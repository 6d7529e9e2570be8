"""The player without VTK: timeline, eased transitions, fades, camera, cutaway, params."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from discviz.geometry import build_surfaces
from discviz.player.camera import direction, interpolate
from discviz.player.focus import CLOSE_UP_ZOOM, close_up
from discviz.player.frame import Player
from discviz.player.timeline import Timeline, reading_pause
from discviz.player.viewstate import Camera
from discviz.scene.load import load_scene

MINI = Path(__file__).parents[1] / "render" / "mini.toml"


@pytest.fixture(scope="module")
def player() -> Player:
    return Player(load_scene(MINI))


def test_timeline_adds_transitions_and_holds(player: Player) -> None:
    spans = player.timeline.spans
    assert [s.start for s in spans] == pytest.approx([0.0, 0.4, 1.4])
    assert spans[0].transition == 0.0  # the first step is simply there
    assert player.timeline.duration == pytest.approx(2.4)
    assert player.timeline.span_at(0.5).index == 1
    assert player.timeline.span_at(99).index == 2


def test_hold_zero_becomes_a_reading_pause_that_grows_with_the_caption() -> None:
    short, long = reading_pause("Short."), reading_pause(" ".join(["word"] * 40))
    assert 3.0 <= short < long <= 20.0
    assert reading_pause("纤维环出现裂缝。" * 5) > reading_pause("纤维环。")
    scene = load_scene("discogenic-pain")
    keyed = Timeline(scene, reading=False)
    assert all(s.hold == 0 for s in keyed.spans)  # the viewer waits for a key
    assert all(s.hold >= 3.0 for s in Timeline(scene).spans)  # a video pauses to read


def test_state_morphs_with_eased_progress(player: Player) -> None:
    span = player.timeline.spans[1]
    times = np.linspace(span.start, span.settled, 9)
    progress = [player.frame_at(t).progress for t in times]
    assert progress[0] == pytest.approx(0.0) and progress[-1] == pytest.approx(1.0)
    assert all(b >= a for a, b in itertools.pairwise(progress))
    steps = np.diff(progress)
    assert steps[0] < steps[len(steps) // 2] > steps[-1]  # ease in and out
    assert {player.frame_at(t).disc_state for t in times} == {"ruptured"}


def test_structures_fade_instead_of_popping(player: Player) -> None:
    span = player.timeline.spans[1]
    middle = player.frame_at((span.start + span.settled) / 2)
    assert 0.0 < middle.opacity["fissure"] < 1.0  # fading in
    assert 0.0 < middle.highlight["fissure"] < 1.0
    assert player.frame_at(span.settled).opacity["fissure"] == pytest.approx(1.0)
    assert "fissure" not in player.frame_at(0.0).opacity


def test_labels_fade_out_and_cutaway_slides_in(player: Player) -> None:
    span = player.timeline.spans[1]
    middle = player.frame_at((span.start + span.settled) / 2)
    text, alpha = middle.labels["annulus"]
    assert text and 0.0 < alpha < 1.0  # leaving with the previous step
    assert middle.cutaway == "axial" and 0.0 < middle.cutaway_amount < 1.0
    assert player.frame_at(span.settled).cutaway_amount == pytest.approx(1.0)


def test_camera_swings_along_the_great_circle_and_orbits_while_holding(player: Player) -> None:
    first, second = player.timeline.spans[0], player.timeline.spans[1]
    start = player.frame_at(first.end - 1e-6).camera
    end = player.frame_at(second.settled).camera
    middle = player.frame_at((second.start + second.settled) / 2).camera
    a, b, m = (direction(c.azimuth, c.elevation) for c in (start, end, middle))
    assert np.dot(m, a) > np.dot(b, a) and np.dot(m, b) > np.dot(a, b)
    assert np.linalg.norm(np.cross(a, b) @ m) < 1e-6  # on the great circle through both
    last = player.timeline.spans[2]
    before, after = player.frame_at(last.settled).camera, player.frame_at(last.end - 1e-6).camera
    assert (after.azimuth - before.azimuth) % 360 == pytest.approx(30.0, abs=0.1)


def test_zoom_interpolates_in_log_space() -> None:
    mid = interpolate(Camera(0, 0, 1.0), Camera(0, 0, 4.0), 0.5)
    assert mid.zoom == pytest.approx(2.0)
    opposite = interpolate(Camera(0, 10, 1.0), Camera(180, 10, 1.0), 0.5)
    assert np.isfinite(opposite.azimuth)


def test_caption_and_labels_follow_language_and_audience() -> None:
    scene = load_scene(MINI)
    en, zh = Player(scene, "en"), Player(scene, "zh")
    assert en.frame_at(0).caption != zh.frame_at(0).caption
    patient = Player(scene, "en", "patient").frame_at(0).labels["annulus"][0]
    clinician = Player(scene, "en", "clinician").frame_at(0).labels["annulus"][0]
    assert patient != clinician and clinician.lower() == "annulus fibrosus"


def test_numeric_parameters_glide_between_steps(tmp_path: Path) -> None:
    # (the lecture's Dallas steps now set fissure.grade, a whole number, which switches)
    scene = tmp_path / "depths.toml"
    scene.write_text('format = 1\n\n[[steps]]\nid = "shallow"\nstate = "ruptured"\n'
                     'params = { "fissure.depth" = 0.33 }\n\n[[steps]]\nid = "deep"\nstate = "ruptured"\n'
                     'params = { "fissure.depth" = 0.67 }\n', encoding="utf-8")
    player = Player(load_scene(scene))
    span = player.timeline.spans[1]
    middle = player.frame_at((span.start + span.settled) / 2).params.f("fissure.depth")
    assert 0.33 < middle < 0.67


FOCUSED = """format = 1
preset = "L4-L5"
[defaults]
transition = 1.0
hold = 1.0
[[steps]]
id = "whole"
state = "healthy"
view = "posterior"
[[steps]]
id = "crack"
state = "ruptured"
view = { azimuth = 160, elevation = 60, zoom = 3, focus = "fissure" }
[[steps]]
id = "seal-to-come"
state = "nerve-ingrowth"
view = { azimuth = 160, elevation = 60, zoom = 3, focus = "repair" }
"""


def _box_centre(points: np.ndarray) -> np.ndarray:
    return (points.min(axis=0) + points.max(axis=0)) / 2


def test_a_focused_step_centres_on_its_structures_and_the_camera_glides_there(tmp_path: Path) -> None:
    path = tmp_path / "focused.toml"
    path.write_text(FOCUSED)
    player = Player(load_scene(path))
    params = player.step_params[1]
    whole, crack, seal = player.timeline.spans
    assert player.frame_at(whole.end - 1e-6).camera.focus is None

    settled = player.frame_at(crack.settled).camera
    fissure = _box_centre(build_surfaces("ruptured", params)["fissure"].points)
    assert settled.focus == pytest.approx(tuple(fissure)) and settled.focus_weight == 1.0
    angle = np.degrees(np.arctan2(fissure[0], -fissure[1])) % 360
    assert angle == pytest.approx(params.f("fissure.position"), abs=10)  # where the tear is

    middle = player.frame_at((crack.start + crack.settled) / 2).camera
    assert middle.focus == settled.focus  # the unfocused camera borrows the point...
    assert 0.0 < middle.focus_weight < 1.0  # ...and only the weight glides
    assert 1.0 < middle.zoom < 3.0

    # a structure the step's state lacks is looked for where the story has it
    repair = _box_centre(build_surfaces("repaired", params)["repair"].points)
    assert player.frame_at(seal.settled).camera.focus == pytest.approx(tuple(repair))


def test_focus_points_glide_in_a_straight_line() -> None:
    start = Camera(160, 60, 2.0, (0.0, 10.0, 0.0), 1.0)
    end = Camera(160, 60, 2.0, (4.0, 10.0, 2.0), 1.0)
    assert interpolate(start, end, 0.25).focus == pytest.approx((1.0, 10.0, 0.5))
    unfocused = interpolate(Camera(0, 0, 1.0), Camera(0, 0, 1.0), 0.5)
    assert unfocused.focus is None and unfocused.focus_weight == 0.0


def test_a_close_up_looks_at_the_tear_or_once_repaired_at_the_seal() -> None:
    player = Player(load_scene("discogenic-pain"))
    for index, step in enumerate(player.scene.steps):
        frame = player.frame_at(player.timeline.spans[index].settled)
        camera = close_up(frame)
        target = "repair" if step.state == "repaired" else "fissure"
        built = "ruptured" if step.state == "healthy" else step.state
        expected = _box_centre(build_surfaces(built, frame.params)[target].points)
        assert camera.focus == pytest.approx(tuple(expected)), step.id
        assert camera.zoom == max(frame.camera.zoom, CLOSE_UP_ZOOM) and camera.focus_weight == 1.0
        assert (camera.azimuth, camera.elevation) == (frame.camera.azimuth, frame.camera.elevation)


def test_the_discogram_look_fades_in_and_out_with_its_step(tmp_path: Path) -> None:
    scene = tmp_path / "contrast.toml"
    scene.write_text(
        'format = 1\n\n[defaults]\ntransition = 1.0\nhold = 1.0\n\n'
        '[[steps]]\nid = "plain"\nstate = "ruptured"\n\n'
        '[[steps]]\nid = "dye"\nstate = "ruptured"\ncontrast = true\n\n'
        '[[steps]]\nid = "after"\nstate = "ruptured"\n', encoding="utf-8")
    loaded = load_scene(scene)
    assert [step.contrast for step in loaded.steps] == [False, True, False]
    player = Player(loaded)
    spans = player.timeline.spans
    assert player.frame_at(0.5).contrast == 0.0
    middle = player.frame_at((spans[1].start + spans[1].settled) / 2).contrast
    assert 0.0 < middle < 1.0
    assert player.frame_at(spans[1].settled + 0.1).contrast == pytest.approx(1.0)
    assert player.frame_at(spans[2].settled + 0.1).contrast == pytest.approx(0.0)


SIDE = Path(__file__).parents[1] / "render" / "side.toml"


def test_a_view_beside_slides_in_with_its_own_state_labels_subtitle_and_pain_map() -> None:
    player = Player(load_scene(SIDE), "zh")
    span = player.timeline.spans[1]
    before = player.frame_at(span.start - 0.01)
    assert before.beside is None and before.split == 0.0 and before.subtitle == ""
    middle = player.frame_at(span.start + span.transition / 2)
    assert middle.beside is not None and 0.0 < middle.split < 0.5  # the second view glides in
    assert 0.0 < middle.beside.opacity["nerve-roots"] < 1.0
    settled = player.frame_at(span.end - 0.01)
    side = settled.beside
    assert side is not None and settled.split == 0.5 and settled.beside_side == "left"
    assert side.disc_state == "ruptured" and settled.disc_state == "nerve-ingrowth"
    assert (side.subtitle, settled.subtitle) == ("神经受压", "疼痛的椎间盘")
    assert (side.pain, settled.pain) == ("L5-left", "low-back")
    assert set(side.labels) == {"nerve-roots", "dural-sac"} and "dural-sac" in side.opacity
    assert side.labels["nerve-roots"][0] == player._label("nerve-roots", "patient", "zh")
    assert "fissure" not in side.opacity  # its own state: no tear in the pinched-nerve view
    assert settled.settled and not middle.settled


def test_every_text_the_player_draws_is_listed_for_the_font_check() -> None:
    player = Player(load_scene(SIDE), "zh")
    texts = player.texts()
    assert "两种疼痛" in texts and "神经受压" in texts and "腰痛还是腿痛？" in texts
    assert player._label("dural-sac", "patient", "zh") in texts
