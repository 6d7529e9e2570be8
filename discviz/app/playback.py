"""Stepping through an explanation in time: a QTimer plays each transition on the player.

The player knows what is on screen at any time ``t``; playback only decides which times to
show. Going to a step plays its span from ``start`` to ``settled`` (the morph) and, when
the step orbits, on through its hold. Going back by one plays the current morph in reverse.
A step then rests until the next key. Time follows the wall clock, so a slow computer
shows fewer frames but the same timing; ``speed`` scales it (0 = no animation, for tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from discviz.player.camera import interpolate
from discviz.player.frame import Player, ease
from discviz.player.timeline import Span
from discviz.player.viewstate import Camera, ViewState

FRAME_INTERVAL_MS = 33  # about 30 frames a second
REST_MARGIN = 1e-3  # seconds before a span's end: still inside the span
CAMERA_GLIDE = 0.8  # seconds to swing the camera back when nothing else moves


@dataclass(frozen=True)
class Segment:
    """Play scene time from ``start`` to ``end`` (either direction) in ``duration`` seconds."""

    start: float
    end: float
    duration: float

    def time_at(self, fraction: float) -> float:
        """Scene time ``fraction`` (0..1) of the way through."""
        return self.start + (self.end - self.start) * fraction


class Playback(QObject):
    """Which step is on screen, and the timer that animates the way to it."""

    frame_ready = Signal(object)  # ViewState to draw
    step_changed = Signal(int)  # the step being shown (at once, before its animation)
    finished = Signal(int)  # the animation into the step is over; it rests

    def __init__(self, player: Player, parent: QObject | None = None, speed: float = 1.0) -> None:
        super().__init__(parent)
        self.player = player
        self.speed = speed
        self.index = 0
        self.time = self.rest_time(0)
        self._segments: list[Segment] = []
        self._camera_from: Camera | None = None
        # the presenter's own camera for every frame (the close-up), glided to like a step's
        self.camera_filter: Callable[[ViewState], Camera] | None = None
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self.frames_shown = 0

    # -- queries ---------------------------------------------------------------------

    @property
    def count(self) -> int:
        """Number of steps."""
        return len(self.player.scene.steps)

    @property
    def animating(self) -> bool:
        """True while a transition or an orbit plays."""
        return self._timer.isActive()

    def counter(self) -> str:
        """``3 / 9``."""
        return f"{self.index + 1} / {self.count}"

    def span(self, index: int) -> Span:
        """The timeline span of step ``index``."""
        return self.player.timeline.spans[index]

    def rest_time(self, index: int) -> float:
        """Where step ``index`` waits for a key: after its orbit if it orbits, else settled."""
        span = self.span(index)
        if self.player.scene.steps[index].orbit and span.hold > 0:
            return max(span.settled, span.end - REST_MARGIN)
        return span.settled

    def current_frame(self) -> ViewState:
        """The frame at the current time (without the camera glide)."""
        return self._frame_at(self.time)

    def _frame_at(self, time: float) -> ViewState:
        frame = self.player.frame_at(time)
        return replace(frame, camera=self.camera_filter(frame)) if self.camera_filter else frame

    # -- stepping --------------------------------------------------------------------

    def go_to(self, index: int, camera_from: Camera | None = None) -> None:
        """Show step ``index``, animating from what is on screen (``camera_from``: its camera)."""
        index = min(max(index, 0), self.count - 1)
        previous = self.index
        segments: list[Segment] = []
        if index == previous - 1:  # one back: the current morph in reverse
            current = self.span(previous)
            start = min(max(self.time, current.start), current.settled)
            segments.append(Segment(start, current.start, start - current.start))
        else:
            span = self.span(index)
            segments.append(Segment(span.start, span.settled, span.transition))
            rest = self.rest_time(index)
            if rest > span.settled:
                segments.append(Segment(span.settled, rest, rest - span.settled))
        self.index = index
        self.step_changed.emit(index)
        self._play(segments, camera_from)

    def next(self, camera_from: Camera | None = None) -> None:
        """One step on (nothing at the last step)."""
        if self.index < self.count - 1:
            self.go_to(self.index + 1, camera_from)

    def previous(self, camera_from: Camera | None = None) -> None:
        """One step back (nothing at the first step)."""
        if self.index > 0:
            self.go_to(self.index - 1, camera_from)

    def reset_view(self, camera_from: Camera | None = None) -> None:
        """Swing the camera to the step's own view (through ``camera_filter`` when set)."""
        rest = self.rest_time(self.index)
        self._play([Segment(rest, rest, CAMERA_GLIDE if camera_from else 0.0)], camera_from)

    def set_player(self, player: Player, index: int | None = None) -> None:
        """Another player (language, audience, parameters, reloaded scene): same step, at rest."""
        self._stop()
        self.player = player
        self.index = min(max(self.index if index is None else index, 0), self.count - 1)
        self.time = self.rest_time(self.index)
        self.step_changed.emit(self.index)
        self._emit(self.time)
        self.finished.emit(self.index)

    def finish(self) -> None:
        """Jump to the end of the running animation (the step at rest)."""
        if self.animating:
            self._stop()
            self._emit(self.rest_time(self.index))
            self.finished.emit(self.index)

    # -- the timer -------------------------------------------------------------------

    def _play(self, segments: list[Segment], camera_from: Camera | None) -> None:
        self._stop()
        self._camera_from = camera_from
        if segments and camera_from is not None and segments[0].duration < CAMERA_GLIDE:
            first = segments[0]  # a cut or a short morph: give the camera time to swing
            segments[0] = Segment(first.start, first.end, CAMERA_GLIDE)
        self._segments = [s for s in segments if s.duration > 0]
        if self.speed <= 0 or not self._segments:
            self._segments = []
            self._emit(self.rest_time(self.index))
            self.finished.emit(self.index)
            return
        self._emit(self._segments[0].start, camera_fraction=0.0)
        self._clock.start()
        self._timer.start()

    def _tick(self) -> None:
        if not self._segments:
            self._stop()
            return
        segment = self._segments[0]
        fraction = self._clock.elapsed() / 1000.0 * self.speed / segment.duration
        first = self._camera_from is not None
        if fraction < 1.0:
            self._emit(segment.time_at(fraction), camera_fraction=fraction if first else None)
            return
        self._segments.pop(0)
        self._camera_from = None
        self._clock.restart()
        if self._segments:
            self._emit(self._segments[0].start)
            return
        self._stop()
        self._emit(self.rest_time(self.index))
        self.finished.emit(self.index)

    def _stop(self) -> None:
        self._timer.stop()
        self._segments = []
        self._camera_from = None

    def _emit(self, time: float, camera_fraction: float | None = None) -> None:
        self.time = time
        frame = self._frame_at(time)
        if camera_fraction is not None and self._camera_from is not None:
            camera = interpolate(self._camera_from, frame.camera, ease(camera_fraction))
            frame = replace(frame, camera=camera)
        self.frames_shown += 1
        self.frame_ready.emit(frame)
