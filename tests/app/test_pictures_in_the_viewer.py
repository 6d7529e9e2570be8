"""Issue 13 in the viewer: two views side by side with their pain maps, and a plain word
when the fonts lack the language's glyphs.
"""

from __future__ import annotations

from pathlib import Path

from discviz.render.fonts import cjk_font
from tests.app.helpers import pixels, settle

SIDE = Path(__file__).parents[1] / "render" / "side.toml"


def test_a_side_by_side_step_shows_two_views_each_with_its_labels(qtbot, make_viewer) -> None:
    viewer = make_viewer(SIDE)
    viewer.go_to(1)
    settle(qtbot, viewer)
    renderer = viewer.view.renderer
    assert renderer.second is not None
    left, right = renderer.second.renderer.GetViewport(), renderer.main.renderer.GetViewport()
    assert left[0] == 0.0 and left[2] == right[0] == 0.5 and right[2] == 1.0
    qtbot.waitUntil(lambda: "beside:nerve-roots" in renderer.placed and "nucleus" in renderer.placed,
                    timeout=10000)
    image = pixels(viewer.view.grab_image()).astype(int)
    red = (image[..., 0] > 170) & (image[..., 1] < 110) & (image[..., 2] < 110)
    half = image.shape[1] // 2
    assert red[:, :half].sum() > 10 and red[:, half:].sum() > 10  # a pain map in each view
    viewer.go_to(0)
    settle(qtbot, viewer)
    assert renderer.main.renderer.GetViewport() == (0.0, 0.0, 1.0, 1.0)
    assert not any(key.startswith("beside:") for key in renderer.placed)


def test_the_viewer_says_plainly_when_no_font_has_the_languages_glyphs(qtbot, make_viewer, monkeypatch,
                                                                        tmp_path: Path) -> None:
    empty = tmp_path / "fonts"
    empty.mkdir()
    try:
        with monkeypatch.context() as patch:  # a machine without a Chinese font, for this test only
            patch.setenv("DISCVIZ_FONT_DIRS", str(empty))
            patch.delenv("DISCVIZ_FONT", raising=False)
            cjk_font.cache_clear()
            viewer = make_viewer()
            assert viewer.banner.isHidden()  # English needs no extra font
            viewer.set_language("zh")
            assert viewer.banner.isVisible()
            text = viewer.banner.text
            assert "Chinese" in text and "'zh'" in text and "fonts-wqy-microhei" in text
            viewer.banner.clear()  # the make_viewer fixture checks that no problem is left
            viewer.set_language("en")
    finally:
        cjk_font.cache_clear()  # the machine's own fonts again, found afresh
