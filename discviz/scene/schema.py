"""JSON Schema (draft 2020-12) of the scene format, for completion and checks in editors.

Built from the same registries the loader uses (states, structures, groups, views,
cutaways, audiences, parameters), so it cannot drift from them. The loader checks more
than a schema can say (paths, structures per state, unique ids); the schema accepts every
scene the loader accepts.
"""

from __future__ import annotations

from typing import Any

from discviz.geometry.params import SPECS, ParamSpec
from discviz.geometry.presets import PRESET_NAMES
from discviz.geometry.structures import GROUPS, STATES, STRUCTURES
from discviz.scene import limits
from discviz.scene.limits import Bound
from discviz.scene.load import BESIDE_KEYS, ID_PATTERN, LANGUAGE_PATTERN, STEP_KEYS, TOP_KEYS
from discviz.scene.model import AUDIENCES, CUTAWAYS, MRI_PLANES, PAIN_MAPS, SIDES
from discviz.scene.views import INSETS, NAMED_VIEWS

SCHEMA_ID = "https://discviz.invalid/scene.schema.json"

Schema = dict[str, Any]


def _param(spec: ParamSpec) -> Schema:
    if spec.kind == "choice":
        return {"enum": list(spec.choices), "description": spec.doc}
    if spec.kind == "bool":
        return {"type": "boolean", "description": spec.doc}
    out: Schema = {"type": "integer" if spec.kind == "int" else "number", "description": spec.doc}
    if spec.minimum is not None:
        out["minimum"] = spec.minimum
    if spec.maximum is not None:
        out["maximum"] = spec.maximum
    return out


def _params(description: str = "parameter overrides for this step (docs/structures-and-parameters.md)",
            ) -> Schema:
    """Flat quoted keys (``"fissure.depth" = 0.6``) and dotted ones (``fissure.depth = 0.6``)."""
    flat = {key: _param(spec) for key, spec in SPECS.items()}
    nested: dict[str, Schema] = {}
    for key, spec in SPECS.items():
        group, dot, name = key.partition(".")
        if dot:
            table = nested.setdefault(group, {"type": "object", "properties": {},
                                              "additionalProperties": False})
            table["properties"][name] = _param(spec)
    return {"type": "object", "properties": {**flat, **nested}, "additionalProperties": False,
            "description": description}


def _bounded(bound: Bound, description: str) -> Schema:
    return {"type": "number", "minimum": bound.minimum, "maximum": bound.maximum,
            "description": f"{description} ({bound.words()})"}


def _text(kind: str) -> Schema:
    """A string, or a table keyed by language, each at most as long as ``kind`` allows."""
    string: Schema = {"type": "string", "maxLength": limits.TEXT_LIMITS[kind]}
    return {"anyOf": [
        string,
        {"type": "object", "minProperties": 1,
         "propertyNames": {"pattern": f"^{LANGUAGE_PATTERN.pattern}$"},
         "additionalProperties": string},
    ], "description": f"a string, or a table keyed by language (at most {limits.TEXT_LIMITS[kind]} "
                      "characters)"}


def scene_schema() -> Schema:
    """The scene format as a JSON Schema document (a plain dict, ready for ``json.dumps``)."""
    names = [*STRUCTURES, *GROUPS]
    language = LANGUAGE_PATTERN.pattern
    name_list: Schema = {"anyOf": [{"$ref": "#/$defs/name"},
                                   {"type": "array", "items": {"$ref": "#/$defs/name"}}]}
    step_properties: Schema = {
        "id": {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$", "maxLength": limits.MAX_ID_LENGTH,
               "description": "unique id of the step: a-z, 0-9 and '-'"},
        "state": {"enum": list(STATES), "description": "the state of the disc in this step"},
        "title": {"$ref": "#/$defs/title"},
        "caption": {"$ref": "#/$defs/caption"},
        "show": {**name_list, "description": "structures and groups to show (default: all but context)"},
        "highlight": {**name_list, "description": "structures to highlight"},
        "labels": {**name_list, "description": "structures to label"},
        "opacity": {"type": "object", "propertyNames": {"$ref": "#/$defs/name"},
                    "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
                    "description": "structure or group -> opacity 0..1"},
        "cutaway": {"enum": list(CUTAWAYS)},
        "view": {"$ref": "#/$defs/view", "description": "where the camera looks from: a named view, "
                 "or { azimuth, elevation, zoom, focus }"},
        "orbit": _bounded(limits.ORBIT, "degrees to turn while the step holds"),
        "hold": _bounded(limits.HOLD, "seconds to hold in autoplay and video; 0 waits for a key"),
        "transition": _bounded(limits.TRANSITION, "seconds to morph into the step"),
        "image": {"type": "string", "description": "PNG or JPEG inside the scene's folder"},
        "params": _params(),
        "contrast": {"type": "boolean",
                     "description": "discogram look: where contrast injected into the nucleus spreads"},
        "inset": {"enum": [*INSETS, "none"],
                  "description": "a live picture in the picture beside the view: the endoscope's monitor"},
        "mri": {"enum": list(MRI_PLANES),
                "description": "a synthetic T2 MRI slice of the model beside the view"},
        "subtitle": {"$ref": "#/$defs/subtitle"},
        "pain": {"enum": [*PAIN_MAPS, "none"],
                 "description": "a pain map beside the model: low back pain, or one root's dermatome"},
    }
    beside: Schema = {
        "type": "object", "additionalProperties": False,
        "description": "a second view next to the step's own: its own state, structures and subtitle",
        "properties": {**{k: v for k, v in step_properties.items() if k in BESIDE_KEYS},
                       "side": {"enum": list(SIDES), "description": "where the second view goes"}},
    }
    step_properties["beside"] = beside
    assert set(step_properties) == set(STEP_KEYS)
    assert set(beside["properties"]) == set(BESIDE_KEYS)
    defaults = {key: value for key, value in step_properties.items() if key not in ("id", "beside")}
    top: Schema = {
        "format": {"const": 1, "description": "version of the scene format"},
        "title": {"$ref": "#/$defs/title"},
        "preset": {"anyOf": [{"enum": list(PRESET_NAMES)},
                             {"type": "string", "pattern": r"(\.toml$|/|\\)"}],
                   "description": "bundled preset name or a .toml file relative to the scene"},
        "languages": {"type": "array", "minItems": 1, "maxItems": limits.MAX_LANGUAGES, "uniqueItems": True,
                      "items": {"type": "string", "pattern": f"^{language}$",
                                "maxLength": limits.MAX_LANGUAGE_CODE},
                      "description": "languages of the texts; the first is the default"},
        "audience": {"enum": list(AUDIENCES)},
        "defaults": {"type": "object", "properties": defaults, "additionalProperties": False,
                     "description": "values every step inherits"},
        "steps": {"type": "array", "minItems": 1, "maxItems": limits.MAX_STEPS,
                  "items": {"$ref": "#/$defs/step"},
                  "description": "the steps, in order, each written as a [[steps]] table"},
        "labels": {"type": "object", "propertyNames": {"enum": list(STRUCTURES)},
                   "additionalProperties": {
                       "type": "object",
                       "properties": {a: {"$ref": "#/$defs/label"} for a in AUDIENCES},
                       "additionalProperties": False},
                   "description": "label overrides: structure -> { patient = TEXT, clinician = TEXT }"},
        "params": _params("this disc's parameters, over every step's own (like --set)"),
    }
    assert set(top) == set(TOP_KEYS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "discviz scene",
        "description": "An explanation of a lumbar disc, step by step (discviz docs/scene-language.md).",
        "type": "object",
        "required": ["format", "steps"],
        "properties": top,
        "additionalProperties": False,
        "$defs": {
            "name": {"enum": names, "description": "a structure or a group"},
            "title": _text("title"),
            "caption": _text("caption"),
            "label": _text("label"),
            "subtitle": _text("subtitle"),
            "view": {"anyOf": [
                {"enum": list(NAMED_VIEWS)},
                {"type": "object", "required": ["azimuth", "elevation"], "additionalProperties": False,
                 "properties": {
                     "azimuth": _bounded(limits.AZIMUTH, "camera angle around the disc, 0 anterior"),
                     "elevation": _bounded(limits.ELEVATION, "camera angle above the axial plane"),
                     "zoom": _bounded(limits.ZOOM, "1 shows the whole subject, more moves in"),
                     "focus": {"anyOf": [{"$ref": "#/$defs/name"},
                                         {"type": "array", "items": {"$ref": "#/$defs/name"}}],
                               "description": "structures the camera centres on"},
                 }},
            ]},
            "step": {"type": "object", "required": ["id"], "properties": step_properties,
                     "additionalProperties": False},
        },
    }
