"""The validated, frozen scene (docs/scene-language.md): what the player reads.

Owned by the scene layer. Fields may be added; renaming one means updating the player.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from discviz.geometry.params import Value
from discviz.scene.views import ViewSpec

AUDIENCES: tuple[str, ...] = ("patient", "clinician")
CUTAWAYS: tuple[str, ...] = ("none", "axial", "sagittal", "coronal", "quadrant")
#: Pain maps a step can show beside the model: axial low back pain (a painful disc), or the
#: dermatome of one compressed root down one leg (Lee, McPhee & Stringer 2008, Clin Anat 21:363).
PAIN_MAPS: tuple[str, ...] = ("low-back", "L4-left", "L4-right", "L5-left", "L5-right", "S1-left", "S1-right")
SIDES: tuple[str, ...] = ("left", "right")
MRI_PLANES: tuple[str, ...] = ("none", "sagittal", "axial")  # a step's synthetic MRI inset


@dataclass(frozen=True)
class Text:
    """A text in one or more languages."""

    values: Mapping[str, str]

    def get(self, language: str, fallbacks: Sequence[str] = ()) -> str:
        """The text in ``language``, else the first of ``fallbacks`` it has, else any."""
        for lang in (language, *fallbacks):
            if lang in self.values:
                return self.values[lang]
        return next(iter(self.values.values()), "")


@dataclass(frozen=True)
class Step:
    """One step of an explanation, with [defaults] already applied and groups expanded."""

    id: str
    state: str
    title: Text
    caption: Text
    show: tuple[str, ...]  # structure names, groups expanded, only those the state has
    highlight: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    opacity: Mapping[str, float] = field(default_factory=dict)  # structure -> 0..1
    cutaway: str = "none"
    view: ViewSpec = ViewSpec(135.0, 25.0, 1.0, "left-posterolateral")
    orbit: float = 0.0  # degrees to turn while the step holds
    hold: float = 0.0  # seconds; 0 = wait for a key (video: a reading pause)
    transition: float = 1.5  # seconds to morph into this step
    image: Path | None = None  # resolved, inside the scene's folder
    params: Mapping[str, Value] = field(default_factory=dict)  # validated overrides
    mri: str = "none"  # a synthetic T2 slice of the model beside the view: none, sagittal, axial
    contrast: bool = False  # discogram look: show where injected contrast spreads
    inset: str | None = None  # a live picture in the picture: "endoscope" (the monitor view)
    line: int | None = None  # line of this step's [[steps]] header
    subtitle: Text = Text({})  # heading of this view when another is shown beside it
    pain: str | None = None  # a pain map beside the model (PAIN_MAPS)
    beside: Step | None = None  # a second view next to this one ([steps.beside])
    side: str = "left"  # where the view beside goes (only for a beside view)


@dataclass(frozen=True)
class Scene:
    """A whole explanation."""

    title: Text
    preset: str  # a preset name, or a resolved file path as a string
    languages: tuple[str, ...]
    audience: str
    steps: tuple[Step, ...]
    #: label overrides: structure -> register ("patient"/"clinician") -> Text
    labels: Mapping[str, Mapping[str, Text]] = field(default_factory=dict)
    #: the top-level [params]: this disc's values, over every step's own (like --set)
    params: Mapping[str, Value] = field(default_factory=dict)
    source: Path | None = None
    format: int = 1
