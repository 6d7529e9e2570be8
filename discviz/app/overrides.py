"""Changes the presenter makes on top of the scene: a cutaway and parameter values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from discviz.geometry.params import Value
from discviz.player.viewstate import ViewState
from discviz.scene.model import CUTAWAYS


@dataclass
class FrameOverrides:
    """A cutaway chosen with C (None: the step's own) and parameters set by the sliders."""

    cutaway: str | None = None
    params: dict[str, Value] = field(default_factory=dict)

    def apply(self, frame: ViewState) -> ViewState:
        """``frame`` with the overrides applied (the same object when there are none)."""
        changes: dict[str, object] = {}
        if self.cutaway is not None:
            changes.update(cutaway=self.cutaway, cutaway_amount=1.0)
        if self.params:
            changes["params"] = frame.params.update(self.params)
        return replace(frame, **changes) if changes else frame

    def next_cutaway(self, current: str) -> str:
        """The cutaway after ``current`` in the cycle none, axial, sagittal, coronal, quadrant."""
        self.cutaway = CUTAWAYS[(CUTAWAYS.index(current) + 1) % len(CUTAWAYS)]
        return self.cutaway
