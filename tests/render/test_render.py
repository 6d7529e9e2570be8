"""Offscreen renders: semantic pixel probes, golden images, leaks, video and the CLI."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

from discviz.geometry import build_surfaces
from discviz.player.frame import Player
from discviz.player.viewstate import Camera, ViewState
from discviz.render.export import frame_times, still_time, write_video
from discviz.scene.load import load_scene
from tests.render.shooter import Shooter

pytestmark = pytest.mark.render
HERE = Path(__file__).parent
MINI = HERE / "mini.toml"
BASELINES = HERE / "baselines"
SIZE = (480, 270)


@pytest.fixture(scope="module")
def player() -> Player:
    return Player(load_scene(MINI))


@pytest.fixture()
def view() -> Iterator[Shooter]:
    shoot = Shooter(SIZE)
    yield shoot
    shoot.close()


def settled(player: Player, index: int) -> ViewState:
    return player.frame_at(still_time(player, index))


def bluish(image: np.ndarray) -> np.ndarray:
    """Pixels of the nucleus gel (grey-blue in the palette): bright and clearly more blue than
    red (bone, annulus and cartilage are warm or neutral; the background is dark).
    """
    return (image[..., 2] - image[..., 0] > 18) & (image[..., 2] > 120)


def test_axial_cutaway_opens_the_disc_to_show_the_nucleus(player: Player, view) -> None:
    frame = dataclasses.replace(settled(player, 1), title="", caption="", labels={},
                                camera=Camera(180.0, 80.0, 1.6), opacity={"annulus": 1.0, "nucleus": 1.0,
                                                                          "vertebra-upper": 1.0})
    closed = view(dataclasses.replace(frame, cutaway="none"))
    opened = view(dataclasses.replace(frame, cutaway="axial", cutaway_amount=1.0))
    assert bluish(closed).sum() == 0  # the upper bone hides the disc
    assert bluish(opened).sum() > 0.03 * bluish(opened).size  # a solid section, gel showing


def test_highlight_glows_where_the_structure_is(player: Player, view) -> None:
    frame = dataclasses.replace(settled(player, 1), title="", caption="", labels={})
    plain = view(dataclasses.replace(frame, highlight={}))
    # the gel in the tear: the part of the tear that shows (its lining is a thin dark edge)
    lit = view(dataclasses.replace(frame, highlight={"nucleus-tract": 1.0}, time=0.45))
    changed = np.abs(lit - plain).sum(axis=2) > 30
    assert changed.sum() > 10
    plotter = view.plotter
    centre = view.renderer.structures["nucleus-tract"].source.points.mean(axis=0)
    plotter.renderer.SetWorldPoint(*centre, 1.0)
    plotter.renderer.WorldToDisplay()
    x, y, _ = plotter.renderer.GetDisplayPoint()
    rows, cols = np.nonzero(changed)
    # only the gel in the tear changed: every changed pixel is near its projected centre
    distance = np.hypot(cols - x, (SIZE[1] - 1 - rows) - y)
    assert np.median(distance) < 0.12 * SIZE[0]
    assert (lit[changed][:, 0] >= plain[changed][:, 0]).mean() > 0.9  # warmer, not darker


def test_a_focused_camera_brings_the_fissure_to_the_middle_and_close(player: Player, view) -> None:
    frame = dataclasses.replace(settled(player, 1), title="", caption="", labels={})
    fissure = build_surfaces("ruptured", frame.params)["fissure"].points
    target = tuple((fissure.min(axis=0) + fissure.max(axis=0)) / 2)
    glow = {}
    for name, camera in (("whole", Camera(160, 60, 1.0)), ("focused", Camera(160, 60, 3.0, target, 1.0))):
        shot = dataclasses.replace(frame, camera=camera)
        plain = view(dataclasses.replace(shot, highlight={}))
        lit = view(dataclasses.replace(shot, highlight={"fissure": 1.0}, time=0.45))
        glow[name] = np.abs(lit - plain).sum(axis=2) > 30
    assert glow["focused"].sum() > 5 * glow["whole"].sum() > 0  # zoomed in on the tear
    rows, cols = np.nonzero(glow["focused"])
    assert abs(np.median(cols) - SIZE[0] / 2) < 0.08 * SIZE[0]  # in the middle, left to right
    assert abs(np.median(rows) - SIZE[1] / 2) < 0.2 * SIZE[1]  # a little high: the caption is below


def test_caption_draws_text_in_its_box_and_languages_differ(view) -> None:
    scene = load_scene(MINI)
    en, zh = Player(scene, "en"), Player(scene, "zh")
    box = (slice(int(SIZE[1] * 0.84), SIZE[1]), slice(0, int(SIZE[0] * 0.8)))
    bare = view(dataclasses.replace(settled(en, 0), caption=""))[box]
    english = view(settled(en, 0))[box]
    chinese = view(settled(zh, 0))[box]
    light = lambda image: (image.min(axis=2) > 200).sum()  # noqa: E731
    assert light(bare) == 0 and light(english) > 40 and light(chinese) > 40
    assert np.abs(english - chinese).sum(axis=2).astype(bool).sum() > 100


@pytest.mark.parametrize("index", [0, 1, 2])
def test_golden_images(player: Player, index: int) -> None:
    from discviz.render.capture import Capture

    frame = settled(player, index)
    capture = Capture(SIZE)  # what `discviz render` draws: supersampled, labels pinned
    try:
        image = capture.shoot(frame, f"{index + 1} / 3").astype(int)
    finally:
        capture.close()
    path = BASELINES / f"mini-{index + 1}-{frame.step_id}.png"
    if os.environ.get("DISCVIZ_UPDATE_BASELINES"):
        path.parent.mkdir(exist_ok=True)
        iio.imwrite(path, image.astype(np.uint8))
    assert path.exists(), f"no baseline {path}: render it with DISCVIZ_UPDATE_BASELINES=1 and review it"
    expected = iio.imread(path)[..., :3].astype(int)
    difference = np.abs(image - expected).max(axis=2)
    assert (difference > 40).mean() < 0.02, f"{path.name}: {(difference > 40).mean():.1%} of pixels differ"
    assert difference.mean() < 4.0


def test_no_actor_churn_and_bounded_memory_over_500_frames(player: Player, view) -> None:
    def resident() -> int:
        with open("/proc/self/statm") as statm:  # Linux test machines only
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    times = np.linspace(0, player.timeline.duration, 100)
    for t in times[::5]:  # warm-up: every actor, label and cache exists
        view(player.frame_at(float(t)))
    for t in times:
        view.renderer.show(player.frame_at(float(t)))
    actors = view.renderer.actor_count()
    before = resident()
    for index, t in enumerate(np.tile(times, 5)):
        view.renderer.show(player.frame_at(float(t)))
        if index % 10 == 0:  # drawing costs 0.2 s a frame in software GL; show() is what churns
            view.plotter.render()
    assert view.renderer.actor_count() == actors
    assert resident() < before * 1.10


def test_video_has_one_frame_per_tick_and_moves_during_transitions(player: Player, tmp_path: Path) -> None:
    import imageio_ffmpeg

    fps = 5
    path = tmp_path / "mini.mp4"
    count = write_video(player, path, (160, 96), fps)
    times = frame_times(player, fps)
    assert count == len(times) == round(player.timeline.duration * fps) + 1
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    decoded = list(np.frombuffer(raw, np.uint8).reshape(-1, 96, 160, 3).astype(int))
    assert len(decoded) == count
    span = player.timeline.spans[1]
    moving = [i for i, t in enumerate(times[:-1]) if span.start <= t and times[i + 1] <= span.settled]
    assert moving
    change = [np.abs(decoded[i + 1] - decoded[i]).mean() for i in moving]
    assert min(change) > 0.1, f"a transition frame does not move: {change}"
    still = np.abs(decoded[-1] - decoded[-2]).mean()  # the end of the last hold
    assert sum(change) > 2.0 and still < max(change)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "discviz", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def test_render_command_writes_one_picture_per_step(tmp_path: Path) -> None:
    result = run_cli("render", str(MINI), "-o", str(tmp_path / "out"), "--size", "320x180", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [".discviz-render.json", "01-healthy.json", "01-healthy.png", "02-torn.json",
                     "02-torn.png", "03-nerves.json", "03-nerves.png"]  # + sidecars, manifest
    assert iio.imread(tmp_path / "out" / "01-healthy.png").shape[:2] == (180, 320)
    assert "steps [" in result.stderr  # progress


def test_render_command_refuses_bad_arguments_all_at_once(tmp_path: Path) -> None:
    result = run_cli("render", str(MINI), "-o", str(tmp_path), "--size", "big", "--lang", "fr",
                     "--video", str(tmp_path / "a.avi"), "--fps", "0")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "--size: expected WIDTHxHEIGHT such as 1920x1080, got 'big'",
        "--lang: this scene has no language 'fr'; it has: en, zh",
        "--video: 'a.avi': the video must end in .mp4 or .gif",
        "--fps: must be from 1 to 120, got 0",
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("size", [(480, 270), (400, 300), (270, 480)])
@pytest.mark.parametrize("view_name", ["left-posterolateral", "superior", "anterior"])
def test_named_views_fit_the_subject_with_margin_at_any_aspect(player: Player, size: tuple[int, int],
                                                               view_name: str) -> None:
    from discviz.scene.views import NAMED_VIEWS

    spec = NAMED_VIEWS[view_name]
    frame = dataclasses.replace(settled(player, 0), title="", caption="", labels={},
                                camera=Camera(spec.azimuth, spec.elevation, 1.0))
    shoot = Shooter(size)
    shots = [shoot(dataclasses.replace(frame, opacity=opacity))
             for opacity in ({}, {"annulus": 1.0, "vertebra-lower": 1.0, "nucleus": 1.0})]
    shoot.close()
    subject = np.abs(shots[1] - shots[0]).sum(axis=2) > 24
    rows, cols = np.nonzero(subject)
    assert len(rows) > 0.05 * subject.size  # the subject fills a good part of the view
    width, height = size
    assert cols.min() > 0.01 * width and cols.max() < 0.99 * width
    assert rows.min() > 0.01 * height and rows.max() < 0.99 * height


def test_inset_picture_sits_in_the_upper_right_corner(player: Player, view, tmp_path: Path) -> None:
    picture = tmp_path / "figure.png"
    red = np.zeros((60, 100, 3), np.uint8)
    red[..., 0] = 230
    iio.imwrite(picture, red)
    frame = dataclasses.replace(settled(player, 0), title="", caption="", labels={})
    without = view(frame)
    with_image = view(dataclasses.replace(frame, image=picture))
    reddish = (with_image[..., 0] > 200) & (with_image[..., 1] < 40) & (with_image[..., 2] < 40)
    assert ((without[..., 0] > 200) & (without[..., 1] < 40)).sum() == 0
    rows, cols = np.nonzero(reddish)
    assert len(rows) > 0.02 * reddish.size
    assert cols.min() > SIZE[0] / 2 and rows.max() < SIZE[1] / 2  # upper right (rows run down)


def test_the_step_counter_reads_on_a_white_background(player: Player, view) -> None:
    """The counter sits on its own dark plate: light words over white bone or a bright
    picture would otherwise vanish.
    """
    renderer = view.renderer
    renderer.show(settled(player, 0), counter="3 / 9")
    for pane in (renderer.main,):
        pane.renderer.GradientBackgroundOff()
        pane.renderer.SetBackground(1.0, 1.0, 1.0)
    view.plotter.render()
    image = np.asarray(view.plotter.screenshot(return_img=True))[..., :3].astype(int)
    counter = renderer.overlay.step_counter
    box = [0.0] * 4
    counter.GetBoundingBox(renderer.overlay.renderer, box)
    x, y = counter.GetPosition()  # the box is around this corner (display y runs up)
    x0, x1, y0, y1 = int(x + box[0]), int(x + box[1]), int(y + box[2]), int(y + box[3])
    region = image[SIZE[1] - y1:SIZE[1] - y0, x0:x1].mean(axis=2)
    assert region.size > 40
    light, dark = np.percentile(region, 95), np.percentile(region, 20)
    assert dark < 70 and light > dark + 90, (light, dark)  # light words on a dark plate
