"""Named camera views (docs/scene-language.md) as azimuth/elevation angles.

Azimuth follows docs/scene-language.md (Coordinates): the camera sits at the angle
0 = anterior, 90 = patient's left, 180 = posterior, 270 = patient's right, looking at the
disc centre. Elevation is the angle above the axial plane (+90 looks down from superior).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViewSpec:
    """Where the camera is: angles in degrees, zoom 1 = the whole subject with margin;
    ``focus`` names the structures the camera centres on (empty: the whole subject).
    """

    azimuth: float
    elevation: float
    zoom: float = 1.0
    name: str | None = None
    focus: tuple[str, ...] = ()


NAMED_VIEWS: dict[str, ViewSpec] = {
    name: ViewSpec(az, el, 1.0, name)
    for name, az, el in (
        ("anterior", 0.0, 10.0),
        ("posterior", 180.0, 10.0),
        ("left", 90.0, 10.0),
        ("right", 270.0, 10.0),
        ("superior", 180.0, 89.0),  # from above, the back of the disc at the bottom
        ("inferior", 180.0, -89.0),
        ("left-posterolateral", 135.0, 25.0),
        ("right-posterolateral", 225.0, 25.0),
        # the surgeon's monitor: the camera sits in the endoscope's lens (the renderer places
        # it from the instruments); the angles are only where a transition glides from
        ("endoscope", 135.0, 25.0),
    )
}

#: The named view that looks out of the endoscope's tip (and the one ``inset`` can show).
ENDOSCOPE = "endoscope"
INSETS: tuple[str, ...] = (ENDOSCOPE,)
