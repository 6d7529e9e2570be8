"""One offscreen scene renderer for the render tests: show a frame, read its pixels."""

from __future__ import annotations

import numpy as np
import pyvista as pv

from discviz.player.viewstate import ViewState
from discviz.render.renderer import SceneRenderer


class Shooter:
    """A plotter of ``size`` with discviz's renderer; calling it draws a frame as (h, w, 3) ints.
    ``multisample`` False: drawn as the export draws, one sample a pixel.
    """

    def __init__(self, size: tuple[int, int], multisample: bool = True) -> None:
        self.plotter = pv.Plotter(off_screen=True, window_size=size)
        if not multisample:
            self.plotter.render_window.SetMultiSamples(0)
        self.renderer = SceneRenderer(self.plotter, multisample=multisample)

    def __call__(self, frame: ViewState) -> np.ndarray:
        self.renderer.show(frame)
        self.plotter.render()
        return np.asarray(self.plotter.screenshot(return_img=True))[..., :3].astype(int)

    def ids(self) -> np.ndarray:
        """The structure drawn at each pixel of the last frame (rows down; "" where none)."""
        colours, named = self.renderer.id_picture()
        out = np.full(colours.shape[:2], "", dtype=object)
        for name, colour in named.items():
            out[np.all(colours == colour, axis=2)] = name
        return out

    def close(self) -> None:
        self.plotter.close()
