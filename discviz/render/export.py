"""Headless export of an explanation: one PNG per step, and the whole story as a video.

Uses the same player and renderer as the viewer, on an offscreen plotter.
"""

from __future__ import annotations

import dataclasses
import errno
import math
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyvista as pv

from discviz import interrupt
from discviz.player.frame import Player
from discviz.render import sidecar
from discviz.render.capture import Capture
from discviz.render.output import OutputError, RenderFolder, atomic_write, claim, failure, make_folder

Progress = Callable[[int, int], None]
GIF_MAX_FPS = 15
GIF_MAX_WIDTH = 960
#: The files of one step in ``render -o DIR``, after its ``NN-ID`` stem (docs/command-line.md):
#: the picture and its sidecar, and with ``--ids`` the structure-id picture.
STEP_SUFFIXES: tuple[str, ...] = (".png", ".json")
IDS_SUFFIX = ".ids.png"


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


def step_stem(index: int, count: int, step_id: str) -> str:
    """``07-nerves``: the step number zero-padded to the number of steps (at least two
    digits), so that file names sort in the order of the story past 99 steps too.
    """
    return f"{index + 1:0{max(2, len(str(count)))}d}-{step_id}"


def step_stems(player: Player) -> list[str]:
    """The ``NN-ID`` stem of every step's files."""
    steps = player.scene.steps
    return [step_stem(index, len(steps), step.id) for index, step in enumerate(steps)]


def render_folder(player: Player, folder: Path, overwrite: bool = False, ids: bool = False) -> RenderFolder:
    """The step files ``render`` writes into ``folder``, checked before any picture is drawn."""
    suffixes = (*STEP_SUFFIXES, IDS_SUFFIX) if ids else STEP_SUFFIXES
    names = [stem + suffix for stem in step_stems(player) for suffix in suffixes]
    output = RenderFolder(folder, names, overwrite)
    output.prepare()
    return output


def render_stills(player: Player, folder: Path, size: tuple[int, int],
                  progress: Progress | None = None, bare: bool = False,
                  overwrite: bool = False, ids: bool = False) -> list[Path]:
    """Write ``folder/NN-ID.png`` for each step with its sidecar ``NN-ID.json`` (and with
    ``ids`` the id picture ``NN-ID.ids.png``); returns the pictures' paths. ``bare`` leaves
    out the title, caption, labels and counter (thumbnails). Pictures of an earlier render
    into the folder that this one does not write again are removed; a file of the user's is
    never replaced unless ``overwrite`` (:class:`discviz.render.output.RenderFolder`).
    """
    import imageio.v3 as iio

    output = render_folder(player, folder, overwrite, ids)
    stems = step_stems(player)
    capture = Capture(size)
    written: list[Path] = []
    try:
        for index in range(len(player.scene.steps)):
            interrupt.check()
            frame = player.frame_at(still_time(player, index))
            if bare:
                frame = dataclasses.replace(frame, title="", caption="", labels={}, image=None, mri="none")
            centre = (lambda: _no_caption_band(capture)) if bare else None
            image = capture.shoot(frame, "" if bare else counter(player, index), centre)
            path = folder / f"{stems[index]}.png"
            with output.write(path.name) as temporary:
                iio.imwrite(temporary, image, extension=".png")
            colours = None
            if ids:
                picture, colours = capture.ids()
                with output.write(stems[index] + IDS_SUFFIX) as temporary:
                    iio.imwrite(temporary, picture, extension=".png")
            document = sidecar.describe(frame, size, capture.labels(), colours)
            with output.write(stems[index] + ".json") as temporary:
                temporary.write_text(sidecar.dumps(document), encoding="utf-8")
            written.append(path)
            if progress:
                progress(index + 1, len(player.scene.steps))
    finally:
        capture.close()
    output.finish()
    return written


def _no_caption_band(capture: Capture) -> None:
    """Centre the subject up and down: no caption band needs room under it."""
    camera = capture.plotter.camera
    camera.SetWindowCenter(camera.GetWindowCenter()[0], 0.0)


def step_pictures(player: Player, size: tuple[int, int],
                  progress: Progress | None = None) -> list[np.ndarray]:
    """Each step's final frame as RGB (h, w, 3) uint8, with its labels and insets but no
    title, caption or counter: the pictures of a printed handout, whose text is set apart.
    Drawn like every export: supersampled, labels pinned on their structures.
    """
    capture = Capture(size)
    pictures: list[np.ndarray] = []
    try:
        for index in range(len(player.scene.steps)):
            interrupt.check()
            frame = player.frame_at(still_time(player, index))
            frame = dataclasses.replace(frame, title="", caption="")
            pictures.append(capture.shoot(frame, "", lambda: _no_caption_band(capture)).copy())
            if progress:
                progress(index + 1, len(player.scene.steps))
    finally:
        capture.close()
    return pictures


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
                progress: Progress | None = None, overwrite: bool = False) -> int:
    """Write the explanation to ``.mp4`` (H.264) or ``.gif``; returns the frame count.

    ffmpeg encodes both as the frames come, so memory stays flat however long the video;
    it writes to a temporary name that becomes ``path`` only when the video is complete.
    """
    total = len(frame_times(player, fps))
    claim(path, overwrite)
    make_folder(path.parent)
    count = 0
    with atomic_write(path) as temporary:
        writer = _video_writer(temporary, size, fps)
        try:
            writer.send(None)
            for image in frames(player, size, fps):
                interrupt.check()
                writer.send(np.ascontiguousarray(image))
                count += 1
                if progress:
                    progress(count, total)
            writer.close()
        except (OSError, RuntimeError) as error:  # ffmpeg stopped: say why in a sentence
            writer.close()
            raise _video_failure(path, error) from None
        except BaseException:
            writer.close()
            raise
    return count


def _video_failure(path: Path, error: BaseException) -> OutputError:
    """What stopped ffmpeg, said plainly: usually the disk filled up."""
    try:
        full = shutil.disk_usage(path.parent).free < 16 * 1024 * 1024
    except OSError:
        full = False
    if full or getattr(error, "errno", None) == errno.ENOSPC:
        return failure(path, OSError(errno.ENOSPC, "no space"))
    first = str(error).strip().splitlines()[0][:120] if str(error).strip() else type(error).__name__
    return OutputError(path, f"the video could not be made: ffmpeg stopped ({first})")


def _video_writer(path: Path, size: tuple[int, int], fps: int):  # -> Generator
    """An imageio-ffmpeg writer for ``path``: H.264 for .mp4; for .gif a palette per frame
    (palettegen in single mode), which needs no second pass over the frames.
    """
    import imageio_ffmpeg

    if path.suffix.lower() == ".gif":
        return imageio_ffmpeg.write_frames(
            str(path), size, fps=fps, codec="gif", pix_fmt_out="rgb8", macro_block_size=1, quality=None,
            ffmpeg_log_level="error",
            output_params=["-filter_complex",
                           "split[a][b];[a]palettegen=stats_mode=single[p];[b][p]paletteuse=new=1",
                           "-loop", "0"])
    return imageio_ffmpeg.write_frames(str(path), size, fps=fps, codec="libx264", quality=8,
                                       pix_fmt_out="yuv420p", macro_block_size=2, ffmpeg_log_level="error",
                                       output_params=["-movflags", "+faststart"])


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
