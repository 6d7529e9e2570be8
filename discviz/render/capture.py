"""Export-quality frames: rendered at twice the size and filtered down (supersampling).

Every pixel of an exported picture or video frame averages 2 x 2 samples of the scene, so
edges, the fibre bands of the annulus and small bright highlights come out smooth and
steady from frame to frame, where one sample per pixel (even with multisampled edges)
shimmers. The text overlay scales with the window, so it looks the same at any factor.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from discviz.player.viewstate import ViewState
from discviz.render.renderer import LabelRecord, SceneRenderer

SUPERSAMPLE = 2
MAX_SUPERSAMPLED_PIXELS = 3840 * 2160  # above 4K output, one sample per pixel (GPU limits)


def offscreen_plotter(width: int, height: int, multisample: bool = True) -> pv.Plotter:
    """A plotter that renders without a display, shown once so that ``render()`` draws."""
    plotter = pv.Plotter(off_screen=True, window_size=(width, height))
    if not multisample:
        plotter.render_window.SetMultiSamples(0)
    plotter.show(auto_close=False)
    return plotter


def factor_for(size: tuple[int, int], wanted: int = SUPERSAMPLE) -> int:
    """The supersampling factor for an output size (1 for very large pictures)."""
    return wanted if size[0] * size[1] <= MAX_SUPERSAMPLED_PIXELS else 1


def downsample(image: np.ndarray, factor: int) -> np.ndarray:
    """Average ``factor`` x ``factor`` blocks of an (h, w, 3) uint8 picture (a box filter)."""
    if factor == 1:
        return image
    from PIL import Image

    h, w = image.shape[0] // factor, image.shape[1] // factor
    picture = Image.fromarray(np.ascontiguousarray(image[:h * factor, :w * factor]))
    return np.asarray(picture.resize((w, h), Image.Resampling.BOX))


class Capture:
    """An offscreen renderer that hands back finished frames at the output size."""

    def __init__(self, size: tuple[int, int], factor: int | None = None) -> None:
        self.size = size
        self.factor = factor_for(size) if factor is None else factor
        self.plotter = offscreen_plotter(size[0] * self.factor, size[1] * self.factor,
                                         multisample=self.factor == 1)
        self.renderer = SceneRenderer(self.plotter, multisample=self.factor == 1)

    def shoot(self, frame: ViewState, counter: str = "", before_render: object = None) -> np.ndarray:
        """The frame as an (h, w, 3) uint8 picture at the output size."""
        self.renderer.show(frame, counter)
        if callable(before_render):
            before_render()
        self.renderer.settle_labels()
        self.plotter.render()
        image = np.asarray(self.plotter.screenshot(return_img=True))[..., :3]
        return downsample(image, self.factor)

    def labels(self) -> list[LabelRecord]:
        """The labels of the last frame, in output pixels."""
        f = float(self.factor)
        return [LabelRecord(r.text, r.structure, r.view, (r.anchor[0] / f, r.anchor[1] / f),
                            (r.box[0] / f, r.box[1] / f, r.box[2] / f, r.box[3] / f))
                for r in self.renderer.label_records()]

    def ids(self) -> tuple[np.ndarray, dict[str, tuple[int, int, int]]]:
        """The id picture of the last frame at the output size, and each structure's colour."""
        return self.renderer.id_picture(scale=1.0 / self.factor)

    def close(self) -> None:
        """Release the window."""
        self.plotter.close()
