"""From an MRI report to the model's parameters, and back (plain Python).

A radiologist writes the level, where the tear is (the side and the zone: central,
paracentral, foraminal, extraforaminal), its grade, whether there is a high-intensity zone,
the disc height and the Pfirrmann grade, and any herniation. :class:`Report` holds those
findings; :func:`report_params` turns them into parameters (docs/structures-and-parameters.md) and
:func:`report_from_params` reads them back from a saved patient.

Zones around the posterior disc (Fardon et al. 2014, Spine J 14:2525, "zones" of the
axial plane), as angles of docs/scene-language.md, coordinates (0 anterior, 90 the patient's left, 180
posterior, 270 right), measured in this model's disc outline, where the spinal canal
spans about 160-200 degrees and the foramina about 120-140 and 220-240:

=============== ======================= =========================
zone            left                    right
=============== ======================= =========================
central         180                     180
paracentral     160 (180 - 20)          200 (180 + 20)
foraminal       130 (180 - 50)          230 (180 + 50)
extraforaminal  105 (180 - 75)          255 (180 + 75)
=============== ======================= =========================

Pfirrmann grade (Pfirrmann et al. 2001, Spine 26:1873) -> nucleus.hydration (the T2
signal of the nucleus: bright I-II, intermediate III, dark IV, black V) and the disc
height kept (normal I-II, normal to slightly lower III, normal to moderately lower IV,
collapsed V): I 1.0 / 1.0, II 0.85 / 1.0, III 0.55 / 0.95, IV 0.3 / 0.8, V 0.0 / 0.5.
The heights are our schematic reading of the grades; they agree with the moderate (60 %)
and severe degeneration heights of the finite-element series behind the
``degenerated-L4-L5`` preset (J Orthop Surg Res 2022).

A disc height loss the report states itself wins over the Pfirrmann grade's: none keeps
100 %, mild 80 %, moderate 60 %, severe 40 % of the level's heights (schematic thirds of
a collapse), never below the parameters' minimums.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from discviz.geometry.params import SPECS, Params, Value

LEVELS: tuple[str, ...] = ("L3-L4", "L4-L5", "L5-S1")
SIDES: tuple[str, ...] = ("left", "right")
ZONES: tuple[str, ...] = ("central", "paracentral", "foraminal", "extraforaminal")
ZONE_OFFSET: dict[str, float] = {"central": 0.0, "paracentral": 20.0, "foraminal": 50.0,
                                 "extraforaminal": 75.0}
HEIGHT_LOSS: dict[str, float] = {"none": 1.0, "mild": 0.8, "moderate": 0.6, "severe": 0.4}
#: Pfirrmann grade -> (nucleus.hydration, share of the disc height kept)
PFIRRMANN: dict[int, tuple[float, float]] = {
    1: (1.0, 1.0), 2: (0.85, 1.0), 3: (0.55, 0.95), 4: (0.3, 0.8), 5: (0.0, 0.5),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
HERNIATIONS: tuple[str, ...] = SPECS["herniation.type"].choices
HEIGHT_KEYS = ("disc.height_anterior", "disc.height_posterior")
#: Every parameter a report can set.
REPORT_KEYS: tuple[str, ...] = (
    "fissure.position", "fissure.grade", "fissure.hiz", "disc.pfirrmann", "nucleus.hydration",
    *HEIGHT_KEYS, "herniation.type", "herniation.position",
)


def position_angle(side: str | None, zone: str) -> float:
    """The angle (docs/scene-language.md, coordinates) of a zone on a side; central needs no side."""
    offset = ZONE_OFFSET[zone]
    if offset and side not in SIDES:
        raise ValueError(f"a {zone} finding needs a side (left or right), got {side!r}")
    return 180.0 + offset if side == "right" else 180.0 - offset


def angle_place(angle: float) -> tuple[str | None, str]:
    """The nearest (side, zone) of an angle: 200 -> ("right", "paracentral")."""
    offset = ((float(angle) - 180.0 + 180.0) % 360.0) - 180.0  # -180..180 from posterior
    zone = min(ZONES, key=lambda z: abs(abs(offset) - ZONE_OFFSET[z]))
    if zone == "central":
        return None, zone
    return ("right" if offset > 0 else "left"), zone


@dataclass(frozen=True)
class Report:
    """What an MRI report says about one disc; None means "not stated" (the scene decides)."""

    level: str = "L4-L5"
    tear_side: str | None = None
    tear_zone: str | None = None
    grade: int | None = None  # modified Dallas 0-5
    hiz: bool = False
    height_loss: str | None = None  # none, mild, moderate, severe; None: as the Pfirrmann grade
    pfirrmann: int | None = None
    herniation: str | None = None  # protrusion, extrusion, sequestration
    herniation_side: str | None = None
    herniation_zone: str | None = None

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """What is inconsistent or unknown, in words (empty when the report is usable)."""
        out: list[str] = []
        if self.level not in LEVELS:
            out.append(f"level must be one of {', '.join(LEVELS)} (got {self.level!r})")
        for what, side, zone in (("tear", self.tear_side, self.tear_zone),
                                 ("herniation", self.herniation_side, self.herniation_zone)):
            if side is not None and side not in SIDES:
                out.append(f"{what} side must be left or right (got {side!r})")
            if zone is not None and zone not in ZONES:
                out.append(f"{what} zone must be one of {', '.join(ZONES)} (got {zone!r})")
            elif zone not in (None, "central") and side is None:
                out.append(f"a {zone} {what} needs a side: left or right")
        if self.grade is not None and not 0 <= self.grade <= 5:
            out.append(f"Dallas grade must be 0 to 5 (got {self.grade})")
        if self.pfirrmann is not None and self.pfirrmann not in PFIRRMANN:
            out.append(f"Pfirrmann grade must be 1 to 5 (got {self.pfirrmann})")
        if self.height_loss is not None and self.height_loss not in HEIGHT_LOSS:
            out.append(f"height loss must be one of {', '.join(HEIGHT_LOSS)} (got {self.height_loss!r})")
        if self.herniation is not None and self.herniation not in HERNIATIONS:
            out.append(f"herniation must be one of {', '.join(HERNIATIONS)} (got {self.herniation!r})")
        return out


def report_params(report: Report, level_params: Params) -> dict[str, Value]:
    """The parameters a report sets (only those it states), for the level's preset values
    ``level_params`` (the heights are shares of the level's own).
    """
    out: dict[str, Value] = {}
    if report.tear_zone is not None:
        out["fissure.position"] = position_angle(report.tear_side, report.tear_zone)
    if report.grade is not None:
        out["fissure.grade"] = int(report.grade)
    if report.hiz:
        out["fissure.hiz"] = True
    if report.pfirrmann is not None:
        out["disc.pfirrmann"] = int(report.pfirrmann)
    if report.height_loss is not None:
        out.update(scaled_heights(level_params, HEIGHT_LOSS[report.height_loss]))
    if report.herniation is not None:
        out["herniation.type"] = report.herniation
        if report.herniation_zone is not None:
            out["herniation.position"] = position_angle(report.herniation_side, report.herniation_zone)
    return out


def scaled_heights(level_params: Params, share: float) -> dict[str, Value]:
    """The disc heights at ``share`` of the level's, kept within the parameters' ranges."""
    out: dict[str, Value] = {}
    for key in HEIGHT_KEYS:
        spec = SPECS[key]
        assert spec.minimum is not None and spec.maximum is not None
        value = min(max(level_params.f(key) * share, spec.minimum), spec.maximum)
        out[key] = round(value, 2)
    return out


def derive(base: Params, changes: Mapping[str, Value]) -> Params:
    """``base`` with ``changes``, and what a Pfirrmann grade implies that ``changes`` does not
    state itself: the nucleus's hydration and the disc heights (shares of ``base``'s).

    Every route that sets parameters over a preset (``--set``, a scene's ``[params]`` and
    steps, the viewer's patient panel) goes through here, so that the same values give the
    same model whichever way they came.
    """
    implied: dict[str, Value] = {}
    grade = changes.get("disc.pfirrmann")
    if isinstance(grade, int) and not isinstance(grade, bool) and grade in PFIRRMANN:
        hydration, height = PFIRRMANN[grade]
        implied["nucleus.hydration"] = hydration
        implied.update(scaled_heights(base, height))
    return base.update({**implied, **changes})


def report_from_params(level: str, values: Mapping[str, Value], level_params: Params) -> Report:
    """The report that gives ``values`` (a patient's saved parameters) at ``level``: the
    inverse of :func:`report_params` (angles go to the nearest zone, heights to the nearest
    stated loss).
    """
    tear_side, tear_zone = (None, None)
    if "fissure.position" in values:
        tear_side, tear_zone = angle_place(float(values["fissure.position"]))  # type: ignore[arg-type]
    grade = values.get("fissure.grade")
    pfirrmann = values.get("disc.pfirrmann")
    height_loss = None
    if all(key in values for key in HEIGHT_KEYS):
        kept = float(values["disc.height_anterior"]) / level_params.f("disc.height_anterior")  # type: ignore[arg-type]
        height_loss = min(HEIGHT_LOSS, key=lambda word: abs(HEIGHT_LOSS[word] - kept))
    herniation = values.get("herniation.type")
    side, zone = (None, None)
    if herniation is not None and "herniation.position" in values:
        side, zone = angle_place(float(values["herniation.position"]))  # type: ignore[arg-type]
    return Report(
        level=level if level in LEVELS else "L4-L5",
        tear_side=tear_side, tear_zone=tear_zone,
        grade=int(grade) if isinstance(grade, int) and grade >= 0 else None,  # type: ignore[arg-type]
        hiz=bool(values.get("fissure.hiz", False)),
        height_loss=height_loss,
        pfirrmann=int(pfirrmann) if isinstance(pfirrmann, int) else None,  # type: ignore[arg-type]
        herniation=str(herniation) if herniation is not None else None,
        herniation_side=side, herniation_zone=zone,
    )


def report_fields() -> tuple[str, ...]:
    """The names of the report's findings, in order."""
    return tuple(f.name for f in fields(Report))
