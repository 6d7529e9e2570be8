"""Where it hurts: the pain map marks the back for a painful disc and one dermatome down one
leg for a compressed root (Lee, McPhee & Stringer 2008), on the correct side in both views.
"""

from __future__ import annotations

import numpy as np
import pytest

from discviz.render.painmap import pain_map, regions
from discviz.scene.model import PAIN_MAPS

HEIGHT = 300


def red(image: np.ndarray) -> np.ndarray:
    return (image[..., 0] > 150) & (image[..., 1] < 120) & (image[..., 3] > 200)


def halves(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The front figure (left) and the back figure (right)."""
    middle = image.shape[1] // 2
    return image[:, :middle], image[:, middle:]


def figure_x(part: np.ndarray) -> np.ndarray:
    """Columns of the red pixels relative to the figure's midline (its body's centre)."""
    body = part[..., 3] > 200
    columns = np.nonzero(body[: part.shape[0] // 4].any(axis=0))[0]  # the head is on the midline
    midline = (columns.min() + columns.max()) / 2
    return np.nonzero(red(part))[1] - midline


@pytest.mark.parametrize("pain", PAIN_MAPS)
def test_every_pain_map_draws_a_body_and_a_painful_area(pain: str) -> None:
    image = pain_map(pain, HEIGHT)
    assert image.shape[0] == HEIGHT and image.shape[2] == 4
    assert red(image).sum() > 40
    assert (image[..., 3] > 200).mean() > 0.2  # a body on its plate, not a stick figure


def test_low_back_pain_is_in_the_back_around_the_waist_only() -> None:
    front, back = halves(pain_map("low-back", HEIGHT))
    assert red(front).sum() == 0
    rows = np.nonzero(red(back))[0] / HEIGHT
    assert 0.35 < rows.min() and rows.max() < 0.55  # the lumbar band, not the legs
    assert abs(figure_x(back).mean()) < 4  # in the midline


@pytest.mark.parametrize("root", ["L4", "L5", "S1"])
def test_a_roots_dermatome_runs_down_the_correct_leg_in_both_views(root: str) -> None:
    for side, sign_front in (("left", 1), ("right", -1)):  # facing you, their left is on your right
        front, back = halves(pain_map(f"{root}-{side}", HEIGHT))
        for part, sign in ((front, sign_front), (back, -sign_front)):
            x = figure_x(part)
            if len(x):
                assert (np.sign(x) == sign).mean() > 0.95, (root, side)
        rows = np.concatenate([np.nonzero(red(front))[0], np.nonzero(red(back))[0]]) / HEIGHT
        assert rows.min() > 0.6  # below the knee's top: the leg, not the back


def test_the_dermatomes_differ_where_the_atlas_says() -> None:
    # L5: the lateral shin and the top of the foot, seen from the front
    assert regions("L5-left", "front") and not regions("low-back", "front")
    # S1: the back of the calf and the heel, seen from behind
    s1_back = np.concatenate(regions("S1-left", "back"))
    assert s1_back[:, 1].max() > 0.97 and s1_back[:, 1].min() < 0.76
    # L4: the front of the knee down the medial shin
    l4_front = np.concatenate(regions("L4-left", "front"))
    assert l4_front[:, 1].min() < 0.7
