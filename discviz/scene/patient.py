"""A patient file: one patient's disc for every explanation, and nothing else.

It holds the level (a bundled preset), the parameters the MRI report set, and a free label
the surgeon types; no names, no identifiers, no dates. It uses the scene language's own
keys (``format``, ``preset`` and a top-level ``[params]`` table), plus ``label``::

    # discviz patient: the model's parameters and a label, nothing else
    format = 1
    label = "L5-S1, right paracentral tear"
    preset = "L5-S1"

    [params]
    "fissure.position" = 200.0
    "fissure.grade" = 3
    "fissure.hiz" = true

A file with ``label`` or ``[params]`` and no ``[[steps]]`` is a patient file. Opened on
its own it shows the built-in explanation with the patient's disc; the viewer applies it
to the explanation on screen. Saved atomically (a temporary file, then renamed).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from discviz.errors import InputError, Problem, did_you_mean
from discviz.geometry.params import SPECS, Value, check_param
from discviz.geometry.presets import PRESET_NAMES, read_toml
from discviz.tomlsource import KeyLines

PATIENT_KEYS: tuple[str, ...] = ("format", "label", "preset", "params")
MAX_LABEL = 200
HEADER = ("# discviz patient: the model's parameters and a label, nothing else (no names, no\n"
          "# identifiers). Open it in discviz, or pass it with --patient.\n")


@dataclass(frozen=True)
class Patient:
    """One patient's disc: the level's preset, the report's parameters and a label."""

    preset: str = ""  # a bundled preset name; "" = the explanation's own
    params: Mapping[str, Value] = field(default_factory=dict)
    label: str = ""


def is_patient_document(document: Mapping[str, object]) -> bool:
    """A patient file: a label, or parameters and nothing a scene has; no steps."""
    if "steps" in document or "defaults" in document:
        return False
    return "label" in document or ("params" in document and set(document) <= set(PATIENT_KEYS))


def is_patient_file(ref: str | Path) -> bool:
    """True when ``ref`` names an existing .toml file that is a patient file (not a scene)."""
    path = Path(ref)
    try:
        if path.suffix.lower() != ".toml" or not path.is_file():
            return False
        document, _ = read_toml(path)
    except (InputError, OSError, RecursionError, ValueError):
        return False
    return is_patient_document(document)


def load_patient(path: str | Path) -> Patient:
    """Read and check a patient file; InputError lists every problem with its line."""
    path = Path(path)
    document, text = read_toml(path)
    return patient_from_document(document, text, path)


def patient_from_document(document: Mapping[str, object], text: str, path: Path) -> Patient:
    """Check a parsed patient file (``text`` for the line numbers)."""
    source, lines = str(path), KeyLines(text)
    problems: list[Problem] = []

    def add(where: tuple[str, ...], message: str) -> None:
        problems.append(Problem(source, message, lines.line(where) if where else None))

    for key in document:
        if key not in PATIENT_KEYS:
            add((key,), f"unknown key '{key}' in a patient file{did_you_mean(key, PATIENT_KEYS)}; "
                f"a patient file holds only {', '.join(PATIENT_KEYS)}")
    if document.get("format", 1) != 1 or isinstance(document.get("format"), bool):
        add(("format",), f"format must be 1, got {document.get('format')!r}")
    label = document.get("label", "")
    if not isinstance(label, str):
        add(("label",), "label must be a text in quotes, e.g. label = \"L5-S1, right tear\"")
        label = ""
    elif len(label) > MAX_LABEL:
        add(("label",), f"label is too long ({len(label)} characters; at most {MAX_LABEL})")
    preset = document.get("preset", "")
    if not isinstance(preset, str) or (preset and preset not in PRESET_NAMES) or (
            "preset" in document and not preset):
        hint = did_you_mean(preset, PRESET_NAMES) if isinstance(preset, str) else ""
        add(("preset",), f"preset must be one of {', '.join(PRESET_NAMES)} (got {preset!r}){hint}")
        preset = ""
    values: dict[str, Value] = {}
    table = document.get("params", {})
    if not isinstance(table, dict):
        add(("params",), 'params must be a table: [params] with lines such as "fissure.position" = 200')
        table = {}
    for key, value in table.items():
        if isinstance(value, dict):  # [params.fissure] position = 200
            for inner, inner_value in value.items():
                _check(f"{key}.{inner}", inner_value, ("params", key, inner), values, add)
        else:
            _check(key, value, ("params", key), values, add)
    if problems:
        raise InputError(problems)
    return Patient(preset=preset, params=values, label=label)


def _check(key: str, value: object, where: tuple[str, ...], values: dict[str, Value],
           add: Callable[[tuple[str, ...], str], None]) -> None:
    checked, message = check_param(key, value)
    if message is not None:
        add(where, message)
    else:
        assert checked is not None
        values[key] = checked


def patient_text(patient: Patient) -> str:
    """The file's text: header, format, label, preset and the parameters in registry order."""
    out = [HEADER, "format = 1", f"label = {_string(patient.label)}"]
    if patient.preset:
        out.append(f"preset = {_string(patient.preset)}")
    out += ["", "[params]"]
    order = {key: i for i, key in enumerate(SPECS)}
    for key in sorted(patient.params, key=lambda k: order.get(k, len(order))):
        out.append(f"{_string(key)} = {_literal(patient.params[key])}")
    return "\n".join(out) + "\n"


def save_patient(patient: Patient, path: str | Path) -> Path:
    """Write the patient file safely: a temporary file beside it, then renamed over it."""
    path = Path(path)
    text = patient_text(patient)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        return repr(value)
    return _string(str(value))
