"""The timeline of a scene: when each step starts, how long it morphs and holds.

Shared by the viewer's stepping and by video export, so both show the same thing.
A step's span is its transition (the morph into it) followed by its hold. A hold of 0
means "wait for a key" in the viewer; in a video it becomes a reading pause that grows
with the caption's length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from discviz.scene.limits import LONGEST_READING_PAUSE
from discviz.scene.model import Scene, Step

READING_WORDS_PER_SECOND = 2.5  # unhurried reading of a caption on a wall screen
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def reading_pause(text: str) -> float:
    """Seconds to read ``text`` aloud-ish: a CJK character counts as half a word."""
    words = len(CJK.sub(" ", text).split()) + len(CJK.findall(text)) / 2.0
    return min(max(2.5 + words / READING_WORDS_PER_SECOND, 3.0), LONGEST_READING_PAUSE)


@dataclass(frozen=True)
class Span:
    """One step on the timeline, in seconds from the start of the scene."""

    index: int
    start: float
    transition: float
    hold: float

    @property
    def settled(self) -> float:
        """When the morph into this step is over."""
        return self.start + self.transition

    @property
    def end(self) -> float:
        """When the next step starts."""
        return self.settled + self.hold


class Timeline:
    """Step spans of a scene for one language; ``reading`` turns hold 0 into a reading pause."""

    def __init__(self, scene: Scene, language: str | None = None, reading: bool = True) -> None:
        self.scene = scene
        self.language = language or scene.languages[0]
        spans: list[Span] = []
        start = 0.0
        for index, step in enumerate(scene.steps):
            transition = 0.0 if index == 0 else max(step.transition, 0.0)
            hold = self.hold_of(step) if reading else step.hold
            spans.append(Span(index, start, transition, hold))
            start += transition + hold
        self.spans: tuple[Span, ...] = tuple(spans)
        self._starts = [s.start for s in spans]

    def hold_of(self, step: Step) -> float:
        """The step's hold, or a reading pause for its caption when the hold is 0."""
        if step.hold > 0:
            return step.hold
        return reading_pause(step.caption.get(self.language, self.scene.languages))

    @property
    def duration(self) -> float:
        """Length of the whole explanation in seconds."""
        return self.spans[-1].end if self.spans else 0.0

    def span_at(self, time: float) -> Span:
        """The step on screen at ``time`` (clamped to the scene)."""
        index = max(bisect_right(self._starts, time) - 1, 0)
        return self.spans[index]

    def __len__(self) -> int:
        return len(self.spans)
