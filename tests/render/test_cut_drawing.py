"""What the renderer leaves out to draw faster must not change the picture: the triangles a
cut removes whole, and the lights a view does not use. Pictures are compared as exported
(no multisampling): with multisampling a removed triangle could colour a few samples
beside the cut line, where its clip distance, extrapolated to the pixel's centre, was
positive; leaving it out leaves those samples to what the cut shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from discviz.player.frame import Player
from discviz.player.viewstate import ViewState
from discviz.render.export import still_time
from discviz.render.structures import kept_triangles
from discviz.scene.load import load_scene
from tests.render.shooter import Shooter

pytestmark = pytest.mark.render
MINI = Path(__file__).parent / "mini.toml"
SIZE = (480, 270)


@pytest.fixture(scope="module")
def player() -> Player:
    return Player(load_scene(MINI))


@pytest.fixture()
def view() -> Iterator[Shooter]:
    shoot = Shooter(SIZE, multisample=False)
    yield shoot
    shoot.close()


def cut_frame(player: Player, cutaway: str, amount: float = 1.0) -> ViewState:
    frame = player.frame_at(still_time(player, 1))
    return dataclasses.replace(frame, title="", caption="", labels={}, cutaway=cutaway,
                               cutaway_amount=amount, opacity={"annulus": 1.0, "nucleus": 1.0, "fissure": 1.0,
                                        "vertebra-lower": 1.0})


def triangles_drawn(shoot: Shooter, name: str) -> int:
    actor = shoot.renderer.main.structures[name]
    return sum(branch.mapper.GetInput().GetNumberOfPolys() for branch in actor.branches
               if branch.actor.GetVisibility())


def test_a_triangle_goes_only_when_a_plane_removes_all_of_it() -> None:
    points = np.array([[0, 0, 1], [1, 0, 1], [0, 1, 1],  # above z = 0
                       [0, 0, -1], [1, 0, -1], [0, 1, -1],  # below
                       [0, 0, 0.5], [1, 0, -1], [0, 1, -1]], float)  # one corner above
    triangles = np.arange(9).reshape(3, 3)
    keep_below = (((0.0, 0.0, -1.0), 0.0),)  # -z >= 0
    assert kept_triangles(points, triangles, keep_below).tolist() == [False, True, True]
    # two planes: a triangle goes when either removes all of it
    keep_below_and_left = (*keep_below, ((-1.0, 0.0, 0.0), 0.5))  # and x <= 0.5
    far_right = np.array([[2, 0, -1], [3, 0, -1], [2, 1, -1]], float)
    both = kept_triangles(np.vstack([points, far_right]), np.arange(12).reshape(4, 3), keep_below_and_left)
    assert both.tolist() == [False, True, True, False]


@pytest.mark.parametrize(("cutaway", "share_kept"), [("axial", 0.5), ("quadrant", 0.75)])
def test_leaving_out_what_the_cut_removes_draws_the_same_picture(player: Player, view, cutaway: str,
                                                                  share_kept: float) -> None:
    frame = cut_frame(player, cutaway)
    culled = view(frame)
    shown = [name for name, actor in view.renderer.structures.items() if actor.visible]
    whole = sum(view.renderer.structures[name].normals.GetOutput().GetNumberOfPolys() for name in shown)
    drawn = sum(triangles_drawn(view, name) for name in shown)
    assert drawn < (share_kept + 0.1) * whole  # the removed side is not sent to the GPU ...
    for actor in view.renderer.structures.values():  # ... which clips every pixel alike
        for branch in actor.branches:
            branch.mapper.SetInputConnection(actor.normals.GetOutputPort())
    view.plotter.render()
    full = np.asarray(view.plotter.screenshot(return_img=True))[..., :3].astype(int)
    assert np.array_equal(culled, full)


def test_a_cut_that_moves_in_is_recounted_and_no_cut_draws_everything(player: Player, view) -> None:
    view(cut_frame(player, "axial", 0.0))  # the planes start outside: nothing removed
    untouched = triangles_drawn(view, "annulus")
    assert untouched == view.renderer.structures["annulus"].normals.GetOutput().GetNumberOfPolys()
    view(cut_frame(player, "axial", 1.0))
    assert triangles_drawn(view, "annulus") < 0.7 * untouched
    view(cut_frame(player, "none"))
    assert triangles_drawn(view, "annulus") == untouched


def test_a_view_holds_only_the_lights_it_uses(player: Player, view) -> None:
    """VTK shades every fragment for the most complex light in the renderer, switched on or
    off: a spare positional light would double the cost of lighting.
    """
    def lights() -> list:
        collection = view.renderer.main.renderer.GetLights()
        return [collection.GetItemAsObject(i) for i in range(collection.GetNumberOfItems())]

    frame = cut_frame(player, "none")
    outside = view(frame)
    assert len(lights()) == 2 and not any(light.GetPositional() for light in lights())
    assert all(light.GetSwitch() for light in lights())
    view(dataclasses.replace(frame, scope=True))
    assert len(lights()) == 1 and lights()[0].GetPositional()
    assert np.array_equal(view(frame), outside)  # and back: the same picture
