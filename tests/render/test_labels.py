"""Label layout: labels whose anchors crowd together fan out to both sides."""

from __future__ import annotations

from discviz.render.overlay import cluster_sides


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
