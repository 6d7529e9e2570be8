"""The surgeon's monitor: the endoscope's round picture and its live inset."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow") if not os.environ.get(
    "DISPLAY") else None

from discviz.player.frame import Player  # noqa: E402
from discviz.player.viewstate import ViewState  # noqa: E402
from discviz.render.export import still_time  # noqa: E402
from discviz.render.pane import SCOPE_CIRCLE, SCOPE_LIFT  # noqa: E402
from discviz.scene.load import load_scene  # noqa: E402
from tests.render.shooter import Shooter  # noqa: E402

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


def test_monitor_is_round_black_outside_and_shows_the_stained_tear(player: Player, view) -> None:
    image = view(settled(player, 1))
    for corner in (image[:12, :12], image[:12, -12:], image[-12:, :12], image[-12:, -12:]):
        assert corner.max() < 8
    outside = ~in_circle(image.shape, 1.03)
    assert image[outside].max(axis=1).mean() < 3  # all of the outside black (the figure aside)
    middle = in_circle(image.shape, 0.45)
    assert stained(image)[middle].mean() > 0.08  # the tear, blue, in the middle of the picture
    assert image[in_circle(image.shape, 0.85)].mean() > 60  # lit by the scope's own light


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
