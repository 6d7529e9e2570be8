"""Labels that never lie: anchors on their own structure as drawn, boxes that never overlap
each other or the focused structures.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from discviz.geometry.disc.annulus import DiscLayout
from discviz.player.frame import Player
from discviz.player.viewstate import Camera
from discviz.render.capture import Capture
from discviz.render.export import still_time
from discviz.render.ids import colour_key, decode, id_colour, id_of
from discviz.render.labels import Avoid, Coverage, choose_anchor, depth_inside, layout, overlaps
from discviz.scene.load import load_scene

MINI = Path(__file__).parent / "mini.toml"


# -- layout, without VTK -------------------------------------------------------------------

def test_crowded_anchors_get_boxes_that_never_overlap_and_stay_in_the_area() -> None:
    anchors = {f"s{i}": (500.0 + 6 * i, 300.0 + 4 * i) for i in range(6)}  # a tight cluster
    sizes = dict.fromkeys(anchors, (120.0, 24.0))
    area = (10.0, 60.0, 1270.0, 620.0)
    placed = layout(anchors, sizes, area, reach=50.0)
    assert set(placed) == set(anchors)
    boxes = [p.box for p in placed.values()]
    for i, a in enumerate(boxes):
        assert area[0] <= a[0] and a[2] <= area[2] and area[1] <= a[1] and a[3] <= area[3]
        for b in boxes[:i]:
            assert not overlaps(a, b)
    for p in placed.values():  # the leader runs from the anchor to the box's edge
        assert p.leader[0] == p.anchor
        (x, y), (x0, y0, x1, y1) = p.leader[1], p.box
        assert (x in (x0, x1) and y0 <= y <= y1) or (y in (y0, y1) and x0 <= x <= x1)


def test_boxes_keep_off_the_focused_structure_and_a_label_that_cannot_fit_is_left_out() -> None:
    focus = np.zeros((100, 200), bool)
    focus[30:70, 80:120] = True  # picture pixels at scale 1
    anchors = {"fissure": (100.0, 50.0), "nucleus": (60.0, 50.0)}
    placed = layout(anchors, dict.fromkeys(anchors, (30.0, 8.0)), (0.0, 0.0, 200.0, 100.0), reach=15.0,
                    hard=Coverage(focus))
    for p in placed.values():
        assert Coverage(focus).count(p.box) == 0
    assert set(placed) == {"fissure", "nucleus"}
    nowhere = layout({"a": (10.0, 10.0)}, {"a": (500.0, 30.0)}, (0.0, 0.0, 200.0, 100.0), reach=15.0)
    assert nowhere == {}


def test_last_frames_place_is_kept_while_it_is_still_good() -> None:
    anchors = {"a": (300.0, 200.0)}
    sizes = {"a": (80.0, 20.0)}
    area = (0.0, 0.0, 640.0, 360.0)
    previous = {"a": (-150.0, 40.0)}  # unusual, but free: a label does not jump between frames
    placed = layout(anchors, sizes, area, reach=30.0, previous=previous)
    assert placed["a"].box[:2] == (150.0, 240.0)


def test_id_colours_decode_to_their_structures_and_edge_mixtures_to_the_nearest() -> None:
    names = ["annulus", "nucleus"]
    annulus, nucleus, bone = (id_colour(n) for n in ("annulus", "nucleus", "vertebra-lower"))
    near_nucleus = tuple(min(c + 20, 255) for c in nucleus)  # an edge pixel blended a little
    far = (223, 5, 250)  # nothing drawn is within the tolerance of it
    pixels = [annulus, nucleus, (0, 0, 0), near_nucleus, far, bone]
    keys = np.array([[colour_key(p) for p in pixels]], np.uint32)
    numbers = decode(keys, names).tolist()[0]
    # the bone is not drawn here: its exact colour is no structure of this picture
    assert all(max(abs(a - b) for a, b in zip(bone, c, strict=True)) > 40 for c in (annulus, nucleus))
    assert numbers == [id_of("annulus"), id_of("nucleus"), 0, id_of("nucleus"), 0, 0]
    assert decode(keys, []).tolist() == [[0] * len(pixels)]


def test_an_anchor_is_the_middle_of_the_largest_part_and_holds_while_well_inside() -> None:
    mask = np.zeros((40, 80), bool)
    mask[5:35, 10:40] = True  # the big part
    mask[18:22, 60:64] = True  # a speck elsewhere
    row, column = choose_anchor(mask)
    assert 15 <= row <= 24 and 20 <= column <= 29
    assert depth_inside(mask)[row, column] == depth_inside(mask).max()
    assert choose_anchor(mask, (12, 18)) == (12, 18)  # still well inside: kept
    assert choose_anchor(mask, (5, 10)) != (5, 10)  # on the edge: moves inside
    assert choose_anchor(np.zeros((10, 10), bool)) is None


# -- on a render ------------------------------------------------------------------------------

@pytest.mark.render
def test_labels_of_a_cut_disc_pin_the_nucleus_inside_its_section_and_the_annulus_in_its_band() -> None:
    player = Player(load_scene(MINI))
    capture = Capture((480, 270), factor=1)
    try:
        frame = player.frame_at(still_time(player, 1))  # torn, axial cut
        layout_ = DiscLayout(frame.params)
        for azimuth, elevation in ((160, 60), (180, 89), (90, 30)):
            shot = dataclasses.replace(frame, camera=Camera(azimuth, elevation, 1.0),
                                       labels={"nucleus": ("core", 1.0), "annulus": ("ring", 1.0)})
            capture.shoot(shot)
            pins = capture.renderer._pins
            for name in ("nucleus", "annulus"):
                point = pins[name]
                if name == "nucleus":  # it shows only through the cut: on the cut face
                    assert abs(point[2]) < 0.6, (name, point)
                else:  # the ring's section, or its outer wall below the cut
                    assert point[2] < 0.6, (name, point)
                angle = np.arctan2(point[0], -point[1]) % (2 * np.pi)
                inner = np.hypot(*layout_.inner_xy(np.array([angle]))[0])
                outer = np.hypot(*layout_.outer_xy(np.array([angle]))[0])
                radius = np.hypot(point[0], point[1])
                if name == "nucleus":  # well inside the gel, not on its rim
                    assert radius < 0.85 * inner, (azimuth, elevation, radius, inner)
                else:  # in the ring's own band, not in the nucleus' hole
                    assert inner - 0.5 < radius <= outer + 1.0, (azimuth, elevation, radius, inner, outer)
    finally:
        capture.close()


@pytest.mark.render
def test_a_structure_nothing_of_which_shows_gets_no_label_and_the_others_end_on_themselves() -> None:
    player = Player(load_scene(MINI))
    capture = Capture((480, 270), factor=1)
    try:
        healthy = player.frame_at(still_time(player, 0))  # closed disc between two bones
        frame = dataclasses.replace(
            # from the side: the arches of whole vertebrae hide the disc from behind
            healthy, cutaway="none", camera=Camera(90.0, 5.0, 1.0),
            opacity={**healthy.opacity, "nucleus": 1.0, "annulus": 1.0, "vertebra-upper": 1.0},
            labels={"nucleus": ("core", 1.0), "annulus": ("ring", 1.0), "vertebra-upper": ("bone", 1.0)})
        capture.shoot(frame)
        shown = {r.structure: r for r in capture.labels()}
        assert set(shown) == {"annulus", "vertebra-upper"}  # the nucleus is inside the ring
        ids, colours = capture.ids()
        for name, record in shown.items():
            x, y = record.anchor
            assert tuple(ids[int(y), int(x)]) == colours[name], name
        assert not capture.renderer.check_labels()  # settled: nothing moves on the next look
    finally:
        capture.close()


@pytest.mark.render
def test_the_mesh_probe_names_what_the_id_picture_shows_through_cuts_and_glass() -> None:
    """The per-frame check of the viewer's labels casts rays on the meshes: it must see what
    the id picture sees (a cut removes, glass owns a pixel only over the background).
    """
    player = Player(load_scene(MINI))
    capture = Capture((480, 270), factor=1)
    rng = np.random.default_rng(3)
    try:
        healthy = player.frame_at(still_time(player, 0))
        torn = player.frame_at(still_time(player, 1))
        frames = [dataclasses.replace(healthy, cutaway="none", camera=Camera(90.0, 5.0, 1.0)),
                  torn, dataclasses.replace(torn, opacity={**torn.opacity, "annulus": 0.5})]
        for frame in frames:
            capture.shoot(frame)
            renderer = capture.renderer
            probe = renderer._probe(renderer.main, frame)
            ids, colours = capture.ids()
            named = {colour: name for name, colour in colours.items()}
            checked = 0
            for row, column in zip(rng.integers(3, 267, 900), rng.integers(3, 477, 900), strict=True):
                block = ids[row - 2:row + 3, column - 2:column + 3].reshape(-1, 3)
                if (block != block[0]).any():
                    continue  # an edge: a ray and a pixel's coverage may differ there
                want = named.get(tuple(ids[row, column]))
                assert probe.names_at([(column + 0.5, 270 - row - 0.5)]) == [[want]], (row, column)
                checked += want is not None
            assert checked > 40  # plenty of pixels on the model, not only background
    finally:
        capture.close()


@pytest.mark.render
def test_the_roots_label_beside_a_herniation_ends_on_the_pressed_inflamed_root() -> None:
    """In the side-by-side step the roots' label names the red, pressed root, never a yellow one."""
    scene = load_scene(Path(__file__).parents[2] / "scenes" / "discogenic-pain-lecture.toml")
    player = Player(scene)
    index = next(i for i, step in enumerate(scene.steps) if step.beside is not None)
    capture = Capture((960, 540), factor=1)
    try:
        frame = player.frame_at(still_time(player, index))
        capture.shoot(frame)
        surface = capture.renderer.second.surfaces["nerve-roots"]
        inflamed = surface.points[surface.point_data["inflamed"] >= 0.5]
        assert len(inflamed)
        pin = capture.renderer._pins["beside:nerve-roots"]
        nearest = np.linalg.norm(inflamed - pin, axis=1).min()
        assert nearest < 1.5, nearest  # mm: on the inflamed part of the pressed root
        records = {(r.view, r.structure) for r in capture.labels()}
        assert (1, "nerve-roots") in records
    finally:
        capture.close()


# -- the layout's rules, measured -----------------------------------------------------------

def _distance_to_segment(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    p, a_, b_ = (np.asarray(v, float) for v in (point, a, b))
    along = b_ - a_
    t = np.clip((p - a_) @ along / max(along @ along, 1e-9), 0.0, 1.0)
    return float(np.linalg.norm(a_ + t * along - p))


def test_a_leader_keeps_clear_of_every_other_labels_dot() -> None:
    # the roots' dot sits right where the ring's shortest leader (to the right) would run
    anchors = {"ring": (300.0, 200.0), "roots": (330.0, 201.0), "core": (420.0, 260.0)}
    placed = layout(anchors, dict.fromkeys(anchors, (90.0, 20.0)), (0.0, 0.0, 900.0, 500.0), reach=40.0,
                    keep_out=((0.0, 0.0, 290.0, 500.0),), clearance=12.0)
    assert set(placed) == set(anchors)
    for name, where in placed.items():
        for other, dot in anchors.items():
            if other != name:
                assert _distance_to_segment(dot, *where.leader) >= 12.0, (name, other)


def test_plates_keep_off_guarded_structures_while_a_free_place_exists() -> None:
    guarded = np.zeros((300, 600), bool)
    guarded[120:200, 130:600] = True  # a root and a probe right of and around the dot
    guarded[60:120, 200:320] = True
    anchors = {"probe": (150.0, 150.0)}
    placed = layout(anchors, {"probe": (100.0, 22.0)}, (0.0, 0.0, 600.0, 300.0), reach=30.0,
                    guard=Coverage(guarded))
    assert Coverage(guarded).count(placed["probe"].box) == 0


def test_a_leader_goes_around_the_focused_structure_when_it_can() -> None:
    ids = np.zeros((300, 600), np.uint8)
    ids[100:220, 180:260] = 7  # the crack, right of the core's dot
    anchors = {"core": (150.0, 160.0)}
    avoid = Avoid(ids, 1.0, (7,), {"core": 6})
    placed = layout(anchors, {"core": (80.0, 20.0)}, (0.0, 0.0, 600.0, 300.0), reach=60.0, avoid=avoid)
    (x0, y0), (x1, y1) = placed["core"].leader
    samples = [ids[int(y0 + (y1 - y0) * t), int(x0 + (x1 - x0) * t)] for t in np.linspace(0, 1, 50)]
    assert 7 not in samples


def test_an_anchor_needs_a_patch_of_its_own_but_a_long_thin_line_still_gets_one() -> None:
    sliver = np.zeros((60, 60), bool)
    sliver[30:32, 20:30] = True  # 20 pixels, two wide: a dot would cover all of it
    assert choose_anchor(sliver, min_depth=2) is None
    line = np.zeros((60, 200), bool)
    line[30, 10:190] = True  # a nerve: thin, but it reads on both sides of the dot
    assert choose_anchor(line, min_depth=2) is not None
    blob = np.zeros((60, 60), bool)
    blob[10:40, 10:40] = True
    blob[50:52, 10:12] = True
    row, column = choose_anchor(blob, (50, 10), min_depth=2)  # last frame's dot on a speck: moved
    assert 10 <= row < 40 and 10 <= column < 40


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_mri_insets_words_stay_legible_at_720p(language: str) -> None:
    from discviz.geometry.presets import load_preset
    from discviz.render.mri import BAND
    from discviz.render.overlay import mri_inset_height
    from discviz.render.renderer import mri_inset

    height = mri_inset_height((1280, 720))
    rgb = mri_inset(load_preset("L4-L5"), "ruptured", "axial", language, height)
    band_rows = np.nonzero((np.abs(rgb.astype(int) - BAND).max(axis=2) < 8).mean(axis=1) > 0.6)[0]
    band = rgb[band_rows[0]:]
    inked = (band.max(axis=2) > 150).any(axis=1)  # rows holding light text
    runs, run = [], 0
    for ink in inked:
        run = run + 1 if ink else 0
        runs.append(run)
    assert max(runs) >= 10, max(runs)  # a 12 px font's glyphs: ascender to descender
    assert abs(rgb.shape[0] - height) <= 2


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_mri_inset_of_a_thumbnail_is_drawn_though_its_words_cannot_fit(language: str) -> None:
    # a 320x180 picture: a word wider than the band once wrapped the band's lines for ever
    from discviz.geometry.presets import load_preset
    from discviz.render.overlay import mri_inset_height
    from discviz.render.renderer import mri_inset

    height = mri_inset_height((320, 180))
    rgb = mri_inset(load_preset("L4-L5"), "ruptured", "sagittal", language, height)
    assert height - 6 <= rgb.shape[0] <= height + 2  # in its box
