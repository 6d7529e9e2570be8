"""Headless export of an explanation: one PNG per step, and the whole story as a video.

Uses the same player and renderer as the viewer, on an offscreen plotter.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyvista as pv

from discviz.player.frame import Player
from discviz.render import sidecar
from discviz.render.capture import Capture

Progress = Callable[[int, int], None]
GIF_MAX_FPS = 15
GIF_MAX_WIDTH = 960


def offscreen_plotter(width: int, height: int) -> pv.Plotter:
    """A plotter that renders without a display, shown once so that ``render()`` draws."""
    from discviz.render.capture import offscreen_plotter as make

    return make(width, height)


def still_time(player: Player, index: int) -> float:
    """The step's final frame: after its morph and its hold (orbit complete)."""
    span = player.timeline.spans[index]
    return max(span.end - 1e-3, span.settled)


def counter(player: Player, index: int) -> str:
    """The "3 / 9" in the corner."""
    return f"{index + 1} / {len(player.timeline)}"


def render_stills(player: Player, folder: Path, size: tuple[int, int],
                  progress: Progress | None = None, bare: bool = False, ids: bool = False) -> list[Path]:
    """Write ``folder/NN-ID.png`` for each step with its sidecar ``NN-ID.json`` (and with ``ids``
    the id picture ``NN-ID.ids.png``); returns the pictures' paths. ``bare`` leaves out the
    title, caption, labels and counter (thumbnails).
    """
    import imageio.v3 as iio

    folder.mkdir(parents=True, exist_ok=True)
    capture = Capture(size)
    written: list[Path] = []
    try:
        for index, step in enumerate(player.scene.steps):
            frame = player.frame_at(still_time(player, index))
            if bare:
                frame = dataclasses.replace(frame, title="", caption="", labels={}, image=None)
            centre = (lambda: capture.plotter.camera.SetWindowCenter(0.0, 0.0)) if bare else None
            image = capture.shoot(frame, "" if bare else counter(player, index), centre)
            path = folder / f"{index + 1:02d}-{step.id}.png"
            iio.imwrite(path, image)
            colours = None
            if ids:
                picture, colours = capture.ids()
                sidecar.write_ids(path, picture)
            sidecar.write_sidecar(path, sidecar.describe(frame, size, capture.labels(), colours))
            written.append(path)
            if progress:
                progress(index + 1, len(player.scene.steps))
    finally:
        capture.close()
    return written


def frame_times(player: Player, fps: int) -> np.ndarray:
    """Times of the video's frames: the whole timeline at ``fps``, last frame included."""
    count = round(player.timeline.duration * fps) + 1
    return np.arange(count) / fps


def video_size(path: Path, size: tuple[int, int]) -> tuple[int, int]:
    """The size the codec accepts: even for H.264 (yuv420p), capped width for GIF."""
    width, height = size
    if path.suffix.lower() == ".gif" and width > GIF_MAX_WIDTH:
        height = round(height * GIF_MAX_WIDTH / width)
        width = GIF_MAX_WIDTH
    return width - width % 2, height - height % 2


def video_fps(path: Path, fps: int) -> int:
    """GIF frame delays are in 1/100 s and players slow down above ~15 fps."""
    return min(fps, GIF_MAX_FPS) if path.suffix.lower() == ".gif" else fps


def frames(player: Player, size: tuple[int, int], fps: int) -> Iterator[np.ndarray]:
    """RGB frames (h, w, 3) of the whole explanation, supersampled like the stills."""
    capture = Capture(size)
    try:
        for t in frame_times(player, fps):
            frame = player.frame_at(float(t))
            yield capture.shoot(frame, counter(player, frame.step_index))
    finally:
        capture.close()


def write_video(player: Player, path: Path, size: tuple[int, int], fps: int,
                progress: Progress | None = None) -> int:
    """Write the explanation to ``.mp4`` (H.264) or ``.gif``; returns the frame count."""
    total = len(frame_times(player, fps))
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if path.suffix.lower() == ".gif":
        import imageio.v3 as iio

        images = []
        for image in frames(player, size, fps):
            images.append(image)
            count += 1
            if progress:
                progress(count, total)
        iio.imwrite(path, np.stack(images), duration=1000 / fps, loop=0)
        return count
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(str(path), size, fps=fps, codec="libx264", quality=8,
                                         pix_fmt_out="yuv420p", macro_block_size=2,
                                         output_params=["-movflags", "+faststart"])
    writer.send(None)
    try:
        for image in frames(player, size, fps):
            writer.send(np.ascontiguousarray(image))
            count += 1
            if progress:
                progress(count, total)
    finally:
        writer.close()
    return count


class ProgressBar:
    """A one-line progress bar on stderr: ``what [#####     ] 12/30  4.1 s left``."""

    def __init__(self, what: str, stream: object = None) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        isatty = getattr(self.stream, "isatty", None)
        self.live = bool(isatty and isatty())  # a log or a pipe gets a line per percent, not a redraw
        self._percent = -1

    def __call__(self, done: int, total: int) -> None:
        """Redraw for ``done`` of ``total`` (in a log: a new line for each new percent)."""
        share = done / max(total, 1)
        if not self.live:
            percent = int(share * 100)
            if percent == self._percent and done < total:
                return
            self._percent = percent
        filled = int(share * 30)
        elapsed = time.monotonic() - self.started
        left = elapsed / share - elapsed if share > 0 else math.inf
        eta = f"{left:5.1f} s left" if math.isfinite(left) else ""
        start, end = ("\r", "\n" if done >= total else "") if self.live else ("", "\n")
        print(f"{start}{self.what} [{'#' * filled}{' ' * (30 - filled)}] {done}/{total} {eta}",
              end=end, file=self.stream, flush=True)  # type: ignore[arg-type]
