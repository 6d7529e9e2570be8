"""Label layout: anchors on what is visible, crowded labels fanned out to both sides."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow") if not os.environ.get(
    "DISPLAY") else None

import pyvista as pv  # noqa: E402

from discviz.geometry.disc.annulus import DiscLayout  # noqa: E402
from discviz.player.camera import direction  # noqa: E402
from discviz.player.frame import Player  # noqa: E402
from discviz.player.viewstate import Camera  # noqa: E402
from discviz.render.export import offscreen_plotter, still_time  # noqa: E402
from discviz.render.overlay import cluster_sides  # noqa: E402
from discviz.render.renderer import SceneRenderer, cut_reach  # noqa: E402
from discviz.scene.load import load_scene  # noqa: E402


def test_crowded_anchors_alternate_sides_from_the_top_and_lone_ones_keep_the_radial_push() -> None:
    screen = {
        "nucleus-tract": (500.0, 310.0),  # three anchors in the tear, left of the centre (640)
        "nerve-endings": (510.0, 300.0),
        "inflammation": (505.0, 290.0),
        "nucleus": (200.0, 600.0),  # far away: pushed out from the centre as before
    }
    sides = cluster_sides(screen, reach=60.0, centre_x=640.0)
    assert sides == {"nucleus-tract": -1.0, "nerve-endings": 1.0, "inflammation": -1.0}


def test_a_chain_of_near_anchors_is_one_group_and_a_cluster_right_of_centre_starts_right() -> None:
    screen = {"a": (900.0, 100.0), "b": (940.0, 100.0), "c": (980.0, 100.0)}  # a-c 80 apart, linked by b
    assert cluster_sides(screen, reach=50.0, centre_x=640.0) == {"a": 1.0, "b": -1.0, "c": 1.0}
    assert cluster_sides({"a": (0.0, 0.0), "b": (500.0, 0.0)}, reach=50.0, centre_x=640.0) == {}


@pytest.mark.render
def test_labels_of_a_cut_disc_point_at_the_section_nucleus_inside_and_annulus_in_its_band() -> None:
    player = Player(load_scene(Path(__file__).parent / "mini.toml"))
    plotter = pv.Plotter(off_screen=True, window_size=(480, 270))
    try:
        renderer = SceneRenderer(plotter)
        frame = player.frame_at(still_time(player, 1))  # torn, axial cut
        layout = DiscLayout(frame.params)
        for azimuth, elevation in ((160, 60), (180, 89), (90, 30)):
            shot = dataclasses.replace(frame, camera=Camera(azimuth, elevation, 1.0))
            renderer.show(shot)
            toward = direction(azimuth, elevation)
            where = {name: renderer.structures[name].anchors(toward, "axial", 1.0, cut_reach(frame.params))[0]
                     for name in ("nucleus", "annulus")}
            for name, point in where.items():
                assert point is not None and abs(point[2]) < 1e-9, name  # on the cut face
                angle = np.arctan2(point[0], -point[1]) % (2 * np.pi)
                inner = np.hypot(*layout.inner_xy(np.array([angle]))[0])
                outer = np.hypot(*layout.outer_xy(np.array([angle]))[0])
                radius = np.hypot(point[0], point[1])
                if name == "nucleus":  # well inside the gel, not on its rim
                    assert radius < 0.8 * inner, (azimuth, elevation, radius, inner)
                else:  # in the ring's own band, not in the nucleus' hole
                    assert inner < radius <= outer + 1.0, (azimuth, elevation, radius, inner, outer)
    finally:
        plotter.close()


@pytest.mark.render
def test_a_label_leaves_a_point_something_hides_and_a_hidden_structure_gets_none() -> None:
    player = Player(load_scene(Path(__file__).parent / "mini.toml"))
    plotter = offscreen_plotter(480, 270)
    try:
        renderer = SceneRenderer(plotter)
        healthy = player.frame_at(still_time(player, 0))  # closed disc between two bones
        frame = dataclasses.replace(
            # from the side: the arches of whole vertebrae hide the disc from behind
            healthy, cutaway="none", camera=Camera(90.0, 5.0, 1.0),
            opacity={**healthy.opacity, "nucleus": 1.0, "annulus": 1.0, "vertebra-upper": 1.0},
            labels={"nucleus": ("core", 1.0), "annulus": ("ring", 1.0), "vertebra-upper": ("bone", 1.0)})
        renderer.show(frame)
        plotter.render()
        assert renderer.check_labels()  # the nucleus is inside the ring: its label goes
        shown = renderer.overlay.labels
        assert not shown["nucleus"].GetVisibility()
        assert shown["annulus"].GetVisibility() and shown["vertebra-upper"].GetVisibility()
        depth = renderer.labels._depth_buffer()
        for name in ("annulus", "vertebra-upper"):
            choice = renderer.labels.choice[name]
            assert choice is not None
            assert renderer.labels._shows(renderer.labels.labels[name][2][choice], depth), name
        plotter.render()
        assert not renderer.check_labels()  # settled: nothing moves on the next look
        renderer.show(frame)  # the same view again keeps the choices without a new check
        assert not renderer.overlay.labels["nucleus"].GetVisibility()
    finally:
        plotter.close()
