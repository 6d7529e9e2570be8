"""The bounds of every number, text and count in a scene: one table for the loader, the
JSON Schema and the documentation (``docs/scene-language.md`` is generated from it).

Each bound keeps the work of one scene finite and its pictures sensible: a transition of an
hour would make a video of a hundred thousand frames, a zoom of 1e9 puts the camera inside
the disc (an empty picture), a caption of a megabyte covers the whole view.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    """The allowed range of one number in a scene."""

    key: str  # as written in a scene
    minimum: float
    maximum: float
    unit: str  # "seconds", "degrees" or "" (a plain number)
    why: str  # one line for the documentation

    def words(self) -> str:
        """``between 0 and 20 seconds``."""
        unit = f" {self.unit}" if self.unit else ""
        return f"between {self.minimum:g} and {self.maximum:g}{unit}"


TRANSITION = Bound("transition", 0.0, 20.0, "seconds", "a morph longer than this loses the audience")
HOLD = Bound("hold", 0.0, 300.0, "seconds",
             "0 waits for a key; five minutes is the longest pause a video holds")
ORBIT = Bound("orbit", -720.0, 720.0, "degrees", "two full turns either way while the step holds")
AZIMUTH = Bound("view.azimuth", -360.0, 360.0, "degrees", "one full turn either way from the front")
ELEVATION = Bound("view.elevation", -90.0, 90.0, "degrees", "from straight below to straight above")
ZOOM = Bound("view.zoom", 0.5, 4.0, "",
             "nearer than 4 one surface fills the view; below 0.5 the model is a speck")
OPACITY = Bound("opacity", 0.0, 1.0, "", "0 invisible, 1 opaque")
NUMBERS: tuple[Bound, ...] = (TRANSITION, HOLD, ORBIT, AZIMUTH, ELEVATION, ZOOM, OPACITY)

MAX_STEPS = 200  # a lecture of an hour has about fifty
MAX_ID_LENGTH = 64  # step ids become file names (`NN-ID.png`)
MAX_TITLE_LENGTH = 120  # characters: about two lines at the top of the picture
MAX_CAPTION_LENGTH = 600  # characters: about six lines, the caption band at the bottom
MAX_LABEL_LENGTH = 60  # characters: a label sits next to its structure
MAX_SUBTITLE_LENGTH = 60  # characters: one line over one of two views side by side
MAX_LANGUAGES = 12
MAX_LANGUAGE_CODE = 35  # the longest BCP 47 tag worth writing
MAX_SCENE_SECONDS = 3600.0  # the whole explanation, a hold of 0 counted as the longest reading pause
LONGEST_READING_PAUSE = 20.0  # seconds: what a hold of 0 becomes in a video, at most
TEXT_LIMITS: dict[str, int] = {
    "title": MAX_TITLE_LENGTH, "caption": MAX_CAPTION_LENGTH, "label": MAX_LABEL_LENGTH,
    "subtitle": MAX_SUBTITLE_LENGTH,
}
#: Characters a text may hold besides printable ones: line breaks and tabs.
ALLOWED_CONTROLS = frozenset("\n\t")
