"""The surgeon's monitor: the endoscope's round picture and its live inset."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from discviz.player.frame import Player
from discviz.player.viewstate import ViewState
from discviz.render.export import still_time
from discviz.render.scope import SCOPE_CIRCLE, SCOPE_LIFT
from discviz.scene.load import load_scene
from tests.render.shooter import Shooter

pytestmark = pytest.mark.render
SCENE = Path(__file__).parent / "operation.toml"
SIZE = (480, 300)


@pytest.fixture(scope="module")
def player() -> Player:
    return Player(load_scene(SCENE))


@pytest.fixture()
def view() -> Iterator[Shooter]:
    shoot = Shooter(SIZE)
    yield shoot
    shoot.close()


def settled(player: Player, index: int) -> ViewState:
    frame = player.frame_at(still_time(player, index))
    return dataclasses.replace(frame, title="", caption="", labels={})


def stained(image: np.ndarray) -> np.ndarray:
    """The indigo carmine of chromodiscography: clearly blue, not the grey-blue gel."""
    return (image[..., 2] - image[..., 0] > 40) & (image[..., 2] - image[..., 1] > 28)


def in_circle(shape: tuple[int, ...], share: float) -> np.ndarray:
    """Pixels within ``share`` of the round picture's radius from its centre (rows run down)."""
    rows, cols = np.mgrid[: shape[0], : shape[1]]
    radius = share * SCOPE_CIRCLE * min(shape[0], shape[1])
    middle = shape[0] * (0.5 - SCOPE_LIFT)
    return (rows - middle) ** 2 + (cols - shape[1] / 2) ** 2 < radius**2


def near(mask: np.ndarray, reach: int) -> np.ndarray:
    """``mask`` grown by ``reach`` pixels."""
    grown = mask.copy()
    for _ in range(reach):
        grown[1:] |= grown[:-1].copy()
        grown[:-1] |= grown[1:].copy()
        grown[:, 1:] |= grown[:, :-1].copy()
        grown[:, :-1] |= grown[:, 1:].copy()
    return grown


def offset_from_centre(mask: np.ndarray) -> float:
    """How far the middle of ``mask``'s pixels lies from the round picture's centre, as a
    share of its radius.
    """
    rows, cols = np.nonzero(mask)
    radius = SCOPE_CIRCLE * min(mask.shape)
    return float(np.hypot(rows.mean() - mask.shape[0] * (0.5 - SCOPE_LIFT), cols.mean() - mask.shape[1] / 2)
                 / radius)


def at_progress(player: Player, index: int, share: float) -> ViewState:
    """The frame ``share`` of the way through step ``index``'s transition."""
    span = player.timeline.spans[index]
    frame = player.frame_at(span.start + share * span.transition)
    return dataclasses.replace(frame, title="", caption="", labels={})


def test_monitor_is_round_black_outside_and_shows_the_open_tear(player: Player, view) -> None:
    image = view(settled(player, 1))
    ids = view.ids()
    for corner in (image[:12, :12], image[:12, -12:], image[-12:, :12], image[-12:, -12:]):
        assert corner.max() < 8
    outside = ~in_circle(image.shape, 1.03)
    assert image[outside].max(axis=1).mean() < 3  # all of the outside black (the figure aside)
    assert not (ids != "")[outside].any()  # and no structure drawn there in the id picture
    assert image[in_circle(image.shape, 0.85)].mean() > 60  # lit by the scope's own light
    # the tear lies open in the middle of the picture: the blue-stained gel in it (under the
    # outer lamellae it would not show at all), the granulation tissue and the nerves with it
    middle = in_circle(image.shape, 0.4)
    gel = ids == "nucleus-tract"
    assert (gel & middle).sum() > 0.2 * middle.sum()
    assert offset_from_centre(gel & in_circle(image.shape, 1.0)) < 0.3
    assert stained(image)[gel].mean() > 0.9
    assert (stained(image) & ~near(gel, 3))[middle].mean() < 0.05  # the gel blue, not the disc around it
    assert ((ids == "nerve-endings") & middle).sum() > 60
    assert ((ids == "inflammation") & in_circle(image.shape, 0.7)).sum() > 100


def test_the_probe_works_in_the_tear_below_the_middle(player: Player, view) -> None:
    image = view(settled(player, 3))
    ids = view.ids()
    circle = in_circle(image.shape, 1.0)
    probe, gel = (ids == "rf-probe") & circle, (ids == "nucleus-tract") & circle
    assert probe.sum() > 0.05 * circle.sum()
    assert (probe & near(gel, 2)).any()  # its tip at the gel
    assert np.nonzero(probe)[0].mean() > image.shape[0] * (0.5 - SCOPE_LIFT)  # in the lower half
    middle = in_circle(image.shape, 0.4)
    assert (gel & middle).sum() > 0.15 * middle.sum()  # it leaves the tear in view


def test_the_repair_through_the_scope(player: Player, view) -> None:
    middle, circle = in_circle((SIZE[1], SIZE[0]), 0.4), in_circle((SIZE[1], SIZE[0]), 1.0)
    # the glowing probe sweeps the tear, among the nerves and the granulation tissue
    image = view(at_progress(player, 4, 0.05))
    ids = view.ids()
    warm = image[..., 0] - image[..., 2] > 40
    assert (warm & (ids == "rf-probe") & circle).sum() > 300
    assert ((ids == "nerve-endings") & middle).sum() > 60
    # the forceps come out to the gel, which is still there
    view(at_progress(player, 4, 0.4))
    ids = view.ids()
    assert ((ids == "forceps") & circle).sum() > 0.05 * circle.sum()
    assert ((ids == "nucleus-tract") & middle).sum() > 0.15 * middle.sum()
    # sealed: no gel, no nerves, no granulation; the annulus closed over the tear, unstained
    image = view(settled(player, 4))
    ids = view.ids()
    for gone in ("nucleus-tract", "nerve-endings", "inflammation", "fissure"):
        assert not ((ids == gone) & circle).any(), gone
    assert ((ids == "annulus") & middle).sum() > 0.6 * middle.sum()
    assert stained(image)[middle].mean() < 0.01


def test_outside_view_has_no_black_circle_and_no_stain(player: Player, view) -> None:
    image = view(settled(player, 0))
    assert image[:12, :12].max() > 20
    assert stained(image).mean() < 0.002


def test_the_inset_shows_the_monitor_in_the_upper_right(player: Player, view) -> None:
    with_inset = view(settled(player, 2))
    without = view(dataclasses.replace(settled(player, 2), inset=0.0))
    changed = np.abs(with_inset - without).sum(axis=2) > 30
    rows, cols = np.nonzero(changed)
    assert len(rows) > 0.05 * changed.size
    assert cols.min() > SIZE[0] / 2 and rows.max() < SIZE[1] * 0.7
    box = with_inset[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    assert box[:4, :4].max() < 8  # its own round picture, black in the corners
    assert stained(box).sum() > 20


def test_the_inset_sees_the_bone_the_outside_view_leaves_out(player: Player, view) -> None:
    # a step may hide the upper vertebra to show the disc; the scope is still beside it
    frame = settled(player, 2)
    upper = ("vertebra-upper", "endplate-upper")
    hidden = dataclasses.replace(frame, opacity={name: value for name, value in frame.opacity.items()
                                                 if name not in upper})
    with_inset = view(hidden)
    without = view(dataclasses.replace(hidden, inset=0.0))
    rows, cols = np.nonzero(np.abs(with_inset - without).sum(axis=2) > 30)
    box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
    shown = view(frame)
    assert np.abs(with_inset[box] - shown[box]).max() <= 2


def test_labels_through_the_scope_end_on_their_structures_inside_the_circle(player: Player, view) -> None:
    # the scope draws only the circle's box: the id picture's pixels must still land right
    names = ("nucleus-tract", "nerve-endings", "dural-sac")
    frame = dataclasses.replace(settled(player, 1), labels={name: (name, 1.0) for name in names})
    view(frame)
    view.renderer.settle_labels(scale=1.0)
    ids = view.ids()
    placed = {record.structure: record.anchor for record in view.renderer.label_records()}
    assert set(placed) == set(names)
    circle = in_circle(ids.shape, 0.97)
    for name, (x, y) in placed.items():
        row, column = int(y), int(x)
        assert circle[row, column], name
        assert (ids[row - 1:row + 2, column - 1:column + 2] == name).any(), name


@pytest.mark.parametrize(("size", "area"), [((480, 300), (0.0, 0.0, 1.0, 1.0)),
                                            ((1280, 720), (0.35, 0.0, 1.0, 1.0)),
                                            ((300, 480), (0.0, 0.0, 1.0, 1.0))])
def test_the_scope_box_sees_what_the_whole_view_sees(player: Player, size, area) -> None:
    """Every point lands on the same window pixel whether the scope draws the whole view or
    only the round picture's box (its frustum cut to the box).
    """
    import pyvista as pv
    from vtkmodules.vtkRenderingCore import vtkRenderer

    from discviz.geometry.model import endoscope_camera
    from discviz.render.scope import circle_box, pixel_box, place_scope_camera

    frame = settled(player, 1)
    plotter = pv.Plotter(off_screen=True, window_size=size)
    whole, boxed = vtkRenderer(), vtkRenderer()
    for renderer in (whole, boxed):
        plotter.render_window.AddRenderer(renderer)
    whole.SetViewport(*area)
    place_scope_camera(frame, whole)
    pixels = pixel_box(area, size)
    box = circle_box(pixels)
    boxed.SetViewport(box[0] / size[0], box[1] / size[1], box[2] / size[0], box[3] / size[1])
    place_scope_camera(frame, boxed, pixels, box)
    _, target, _ = endoscope_camera(frame.disc_state, frame.params, frame.progress)
    spread = np.random.default_rng(1).normal(size=(40, 3)) * 1.5  # around the optic axis
    inside = 0
    for point in np.asarray(target) + spread:
        seen = []
        for renderer in (whole, boxed):
            renderer.SetWorldPoint(*point, 1.0)
            renderer.WorldToDisplay()
            seen.append(np.array(renderer.GetDisplayPoint()[:2]))
        if box[0] <= seen[0][0] < box[2] and box[1] <= seen[0][1] < box[3]:
            assert np.abs(seen[0] - seen[1]).max() < 1e-6
            inside += 1
    assert inside > 20
    plotter.close()
