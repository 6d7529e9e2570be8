"""The parameter registry: every key a preset, ``--set`` or a scene step may give, with its
type and range. One source of truth for the geometry, the scene validator and the schema.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from discviz.errors import did_you_mean

Value = float | int | str | bool

#: Spinal levels a preset may model (``segment.level``; docs/segment.md).
LEVELS: tuple[str, ...] = ("L3-L4", "L4-L5", "L5-S1")


@dataclass(frozen=True)
class ParamSpec:
    """Type, range and meaning of one parameter."""

    key: str
    kind: str  # "float", "int", "choice" or "bool"
    default: Value
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""

    def range_text(self) -> str:
        """The allowed values, in words, for error messages and help."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "true or false"
        unit = f" {self.unit}" if self.unit else ""
        kind = "a whole number" if self.kind == "int" else "a number"
        return f"{kind} from {_fmt(self.minimum)} to {_fmt(self.maximum)}{unit}"

    def check(self, value: object) -> tuple[Value | None, str | None]:
        """Return ``(normalised value, None)`` or ``(None, message)``."""
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                hint = did_you_mean(value, self.choices) if isinstance(value, str) else ""
                return None, f"{self.key} must be {self.range_text()} (got {_shown(value)}){hint}"
            return value, None
        if self.kind == "bool":
            if not isinstance(value, bool):
                return None, f"{self.key} must be {self.range_text()} (got {_shown(value)})"
            return value, None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"{self.key} must be {self.range_text()} (got {_shown(value)})"
        if self.kind == "int" and not float(value).is_integer():
            return None, f"{self.key} must be {self.range_text()} (got {_shown(value)})"
        number: Value = int(value) if self.kind == "int" else float(value)
        assert self.minimum is not None and self.maximum is not None
        if not (self.minimum <= number <= self.maximum):
            return None, f"{self.key} must be {self.range_text()} (got {_fmt(number)})"
        return number, None


def _shown(value: object) -> str:
    """A value as given, shortened for a message (a pasted megabyte stays out of it)."""
    return reprlib.repr(value)


def _fmt(number: float | None) -> str:
    if number is None:
        return "?"
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _f(key: str, default: float, lo: float, hi: float, unit: str, doc: str) -> ParamSpec:
    return ParamSpec(key, "float", default, doc, lo, hi, unit=unit)


def _i(key: str, default: int, lo: int, hi: int, doc: str) -> ParamSpec:
    return ParamSpec(key, "int", default, doc, lo, hi)


def _c(key: str, default: str, choices: tuple[str, ...], doc: str) -> ParamSpec:
    return ParamSpec(key, "choice", default, doc, choices=choices)


def _b(key: str, default: bool, doc: str) -> ParamSpec:
    return ParamSpec(key, "bool", default, doc)


#: Defaults are the L4-L5 preset's; ranges span every bundled preset and then some.
SPECS: dict[str, ParamSpec] = {
    s.key: s
    for s in (
        _f("disc.width", 49.0, 35.0, 60.0, "mm", "lateral width of the disc"),
        _f("disc.depth", 33.0, 25.0, 45.0, "mm", "anteroposterior depth of the disc"),
        _f("disc.height_anterior", 12.0, 4.0, 20.0, "mm", "disc height at the front"),
        _f("disc.height_posterior", 7.0, 3.0, 16.0, "mm", "disc height at the back"),
        _f("disc.notch", 3.0, 0.0, 5.0, "mm", "depth of the posterior concavity (kidney shape)"),
        _i("annulus.lamellae", 20, 10, 25, "number of lamellae of the annulus"),
        _f("annulus.fibre_angle", 30.0, 20.0, 45.0, "deg", "collagen fibre angle to the axial plane"),
        _f("nucleus.area_fraction", 0.40, 0.20, 0.60, "", "nucleus share of the axial section"),
        _f("nucleus.offset", 1.0, 0.0, 3.0, "mm", "posterior offset of the nucleus centre"),
        _f("nucleus.hydration", 1.0, 0.0, 1.0, "", "1 = healthy gel, 0 = dark dehydrated"),
        _f("endplate.thickness", 0.7, 0.3, 1.6, "mm", "cartilage endplate thickness"),
        _f("endplate.concavity_upper", 1.5, 0.0, 3.0, "mm", "concavity of the cranial endplate"),
        _f("endplate.concavity_lower", 0.7, 0.0, 3.0, "mm", "concavity of the caudal endplate"),
        _f("vertebra.height", 25.0, 15.0, 35.0, "mm", "height of each vertebral body"),
        _c("fissure.type", "radial", ("radial", "circumferential", "rim"), "kind of annular fissure"),
        _f("fissure.position", 160.0, 0.0, 360.0, "deg", "angle of the fissure (0 anterior, 90 left)"),
        _f("fissure.depth", 0.8, 0.1, 1.0, "", "share of annulus thickness the tear spans"),
        _f("fissure.width", 2.5, 0.3, 4.0, "mm", "width of the fissure"),
        _i("nerves.count", 8, 1, 20, "number of ingrown nerve endings"),
        _f("nerves.reach", 0.7, 0.1, 1.0, "", "share of annulus thickness the nerves grow in"),
        _i("fissure.grade", -1, -1, 5, "modified Dallas grade 0-5 (decides depth and spread); -1 = not "
           "set: fissure.depth decides"),
        _b("fissure.hiz", False, "a high-intensity zone in the posterior annulus at the tear"),
        _c("herniation.type", "extrusion", ("protrusion", "extrusion", "sequestration"),
           "kind of herniation (Fardon 2014)"),
        _f("herniation.position", 160.0, 0.0, 360.0, "deg",
           "angle of the herniation (paracentral: traversing root; foraminal: exiting root)"),
        _c("approach.side", "left", ("left", "right"), "side the operation enters from"),
        _f("approach.angle", 25.0, 0.0, 60.0, "deg", "trajectory angle to the horizontal"),
        _f("approach.entry", 110.0, 60.0, 160.0, "mm", "skin entry distance from the midline"),
        _f("instruments.insertion", 0.0, 0.0, 1.0, "",
           "how far the instruments have travelled (1 = docked at the fissure, 0 = none); from 0.85 "
           "to 1 the outer lamellae over the tear open (annulotomy) as the probe's tip arrives"),
        _f("instruments.cannula_diameter", 7.5, 5.0, 9.0, "mm", "outer diameter of the working cannula"),
        _f("rf.power", 0.0, 0.0, 1.0, "", "radiofrequency tip glow and how far the ablation has gone"),
        _i("disc.pfirrmann", 1, 1, 5, "Pfirrmann grade: nucleus signal and height loss"),
        # the motion segment around the disc (whole vertebrae, facet joints, sac and roots)
        _c("segment.level", "L4-L5", LEVELS,
           "spinal level: names the roots; L5-S1 puts the sacrum below"),
        _f("canal.depth", 18.6, 14.0, 23.0, "mm", "anteroposterior depth of the spinal canal at the midline"),
        _f("canal.width", 25.4, 21.0, 30.0, "mm", "interpedicular width of the canal of the upper vertebra"),
        _f("canal.width_lower", 27.1, 21.0, 33.0, "mm", "interpedicular width of the lower vertebra's canal"),
        _f("canal.trefoil", 0.5, 0.0, 1.0, "", "canal shape: 0 round, 1 trefoil (deep lateral recesses)"),
        _f("pedicle.width_upper", 14.1, 7.0, 20.0, "mm", "transverse width of the upper vertebra's pedicles"),
        _f("pedicle.width_lower", 18.6, 7.0, 22.0, "mm", "transverse width of the lower vertebra's pedicles"),
        _f("pedicle.height", 15.0, 11.0, 17.0, "mm", "height of the pedicles"),
        _f("pedicle.angle_upper", 18.0, 5.0, 35.0, "deg",
           "transverse angle of the upper pedicles (converging forward)"),
        _f("pedicle.angle_lower", 27.0, 5.0, 35.0, "deg", "transverse angle of the lower pedicles"),
        _f("lamina.thickness", 9.0, 5.0, 11.0, "mm", "thickness of the laminae"),
        _f("spinous.length", 30.0, 18.0, 36.0, "mm", "length of the spinous process behind the laminae"),
        _f("spinous.height", 20.0, 12.0, 26.0, "mm", "height of the spinous process"),
        _f("transverse.span", 96.8, 75.0, 105.0, "mm", "tip-to-tip span of the transverse processes"),
        _f("foramen.width", 9.1, 6.0, 12.0, "mm", "sagittal width of the intervertebral foramen at the disc"),
        _f("facet.angle", 45.0, 25.0, 70.0, "deg", "angle of the facet joints to the mid-sagittal plane"),
        _f("facet.height", 16.0, 12.0, 19.0, "mm", "height of the facet joint surface"),
        _f("facet.width", 14.0, 10.0, 17.0, "mm", "width of the facet joint surface"),
        _f("facet.thickness", 2.0, 1.0, 3.0, "mm", "facet cartilage and joint space together"),
        _f("sac.area", 152.0, 90.0, 200.0, "mm2", "cross-section of the dural sac at the disc"),
        _f("sac.depth", 12.0, 9.0, 14.0, "mm", "anteroposterior depth of the dural sac at the disc"),
        _f("roots.diameter_exiting", 5.1, 3.5, 6.5, "mm", "diameter of the exiting spinal nerve"),
        _f("roots.diameter_traversing", 5.3, 3.5, 6.5, "mm", "diameter of the traversing nerve root"),
        _f("roots.takeoff", -2.0, -5.0, 5.0, "mm",
           "where the traversing root leaves the sac, above (+) or below (-) the disc's mid-plane"),
        _f("ganglion.width", 5.2, 4.0, 7.5, "mm", "width of the exiting root's dorsal root ganglion"),
        _f("ganglion.length", 8.0, 6.0, 12.0, "mm", "length of the dorsal root ganglion"),
        _i("seed", 7, 0, 2**31 - 1, "integer for every random choice"),
        _c("quality", "medium", ("low", "medium", "high"), "mesh resolution"),
    )
}


class Params(Mapping[str, Value]):
    """A complete, validated, immutable and hashable set of parameters."""

    __slots__ = ("_hash", "_values")

    def __init__(self, values: Mapping[str, Value] | None = None) -> None:
        merged = {k: s.default for k, s in SPECS.items()}
        merged.update(values or {})
        self._values = merged
        self._hash = hash(tuple(sorted(merged.items())))

    def __getitem__(self, key: str) -> Value:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Params) and self._values == other._values

    def __repr__(self) -> str:
        return f"Params({self._values!r})"

    def replace(self, **changes: Value) -> Params:
        """A copy with some values changed (keys with dots: pass a dict via ``update``)."""
        return self.update(changes)

    def update(self, changes: Mapping[str, Value]) -> Params:
        """A copy with ``changes`` applied (already validated by the caller)."""
        return Params({**self._values, **changes})

    def f(self, key: str) -> float:
        """A float parameter."""
        return float(self._values[key])


def check_param(key: str, value: object) -> tuple[Value | None, str | None]:
    """Validate one ``key = value``: ``(value, None)`` or ``(None, message)``."""
    spec = SPECS.get(key)
    if spec is None:
        return None, f"unknown parameter '{key}'{did_you_mean(key, SPECS)}"
    return spec.check(value)
