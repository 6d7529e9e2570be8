"""The surgeon's monitor in the viewer: the round endoscope picture and its live inset, as in
``discviz render``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.helpers import pixels, settle

pytestmark = pytest.mark.gui
SCENE = Path(__file__).parents[1] / "render" / "operation.toml"


def test_monitor_view_and_inset_in_the_viewer(qtbot, make_viewer) -> None:
    viewer = make_viewer(SCENE)
    viewer.go_to(1)
    settle(qtbot, viewer)
    monitor = pixels(viewer.view.grab_image()).astype(int)
    height, width = monitor.shape[:2]
    assert monitor[: height // 20, : width // 20].max() < 10  # black outside the round picture
    middle = monitor[height * 2 // 5: height * 3 // 5, width * 2 // 5: width * 3 // 5]
    assert middle.mean() > 60  # the scope's light on the tissue
    # the open tear in the middle: its gel stained indigo blue, not the disc around it
    blue = (middle[..., 2] - middle[..., 0] > 40) & (middle[..., 2] - middle[..., 1] > 28)
    assert blue.mean() > 0.15
    around = monitor[height * 2 // 5: height * 3 // 5, width // 3: width * 2 // 5]
    assert ((around[..., 2] - around[..., 0] > 40) & (around[..., 2] - around[..., 1] > 28)).mean() < 0.1
    viewer.go_to(2)
    settle(qtbot, viewer)
    outside = pixels(viewer.view.grab_image()).astype(int)
    assert outside[: height // 20, : width // 20].max() > 20  # the outside view's background
    corner = outside[height // 8: height // 2, width // 2:]
    assert (corner.max(axis=2) < 8).mean() > 0.02  # the inset's black corners, upper right
