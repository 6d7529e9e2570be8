"""What is on screen at one instant: the player's output, the renderer's input.

Owned by the player layer. Fields may be added; renaming one means updating the renderer
and the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from discviz.geometry.params import Params


@dataclass(frozen=True)
class Camera:
    """Camera angles in degrees (see discviz.scene.views) and zoom (1 = fit with margin).

    The camera looks at the centre of the subject, moved ``focus_weight`` (0..1) of the way
    toward ``focus`` (a point in mm): a step can centre on the fissure and zoom in on it.
    """

    azimuth: float
    elevation: float
    zoom: float = 1.0
    focus: tuple[float, float, float] | None = None
    focus_weight: float = 0.0
    #: the focused structures' bounding box (min x, y, z, max x, y, z): the renderer comes
    #: close enough that they fill a good part of the view
    focus_box: tuple[float, float, float, float, float, float] | None = None


@dataclass(frozen=True)
class ViewState:
    """A frozen description of one frame; the renderer turns it into pixels."""

    time: float
    step_index: int
    step_id: str
    disc_state: str  # the state being built
    progress: float  # 0..1 (eased) of the transition into disc_state (discviz.build)
    params: Params  # preset values with the step's overrides
    opacity: Mapping[str, float]  # structure -> 0..1; absent or 0 = hidden
    highlight: Mapping[str, float] = field(default_factory=dict)  # structure -> strength
    labels: Mapping[str, tuple[str, float]] = field(default_factory=dict)  # -> (text, alpha)
    cutaway: str = "none"
    cutaway_amount: float = 1.0  # 0 = the cut plane outside the subject, 1 = fully cut
    camera: Camera = Camera(135.0, 25.0, 1.0)
    title: str = ""
    caption: str = ""
    text_alpha: float = 1.0
    image: Path | None = None
    mri: str = "none"  # a synthetic T2 slice beside the view: none, sagittal or axial
    language: str = "en"
    audience: str = "patient"
    state_structures: tuple[str, ...] = ()  # every structure the disc state has
    contrast: float = 0.0  # 0..1: the discogram look (where injected contrast spreads) fading in
    focus: tuple[str, ...] = ()  # the structures the view is about (labels keep off them)
    subtitle: str = ""  # the view's own heading (side-by-side steps)
    pain: str | None = None  # a pain map beside the model: "low-back", "L5-left", ...
    pain_alpha: float = 1.0
    beside: ViewState | None = None  # a second view shown next to this one
    split: float = 0.0  # share of the width the second view takes (0 .. 0.5; glides in)
    beside_side: str = "left"  # where the second view sits
    settled: bool = True  # the transition into the step is over (the camera is where it stays)
    scope: bool = False  # the view is the endoscope's monitor (camera in the lens, round picture)
    inset: float = 0.0  # 0..1: the endoscope's live picture in a corner (fading in and out)
