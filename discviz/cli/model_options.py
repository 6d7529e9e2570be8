"""Options that set the model under any explanation: ``--preset``, ``--patient`` and
``--set KEY=VALUE`` (render, present, handout), and patient files given as the scene.

The order, last wins: the scene's preset (or ``--preset``, or the patient's level), each
step's own values, the scene's ``[params]``, the patient file's parameters, ``--set``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from discviz.errors import InputError, Problem
from discviz.geometry.params import Params, Value
from discviz.geometry.presets import load_preset, parse_overrides
from discviz.scene.model import Scene
from discviz.scene.patient import Patient, is_patient_file, load_patient

DEFAULT_SCENE = "discogenic-pain"


def add_model_options(parser: argparse.ArgumentParser, preset: bool = True) -> None:
    """``--set`` (repeatable), and ``--preset`` and ``--patient``."""
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="set a parameter on every step (repeatable), e.g. fissure.position=200")
    if preset:
        parser.add_argument("--preset", metavar="NAME", help="disc level: a bundled preset name or "
                            ".toml file (the scene's own by default)")
    parser.add_argument("--patient", metavar="FILE",
                        help="a patient file (level and parameters) saved by the viewer")


@dataclass(frozen=True)
class ModelChoice:
    """The scene to show and what sets its model."""

    scene: Scene
    scene_ref: str
    base: Params | None = None  # None: the scene's own preset
    preset_name: str = ""  # the bundled preset chosen instead of the scene's ("" = its own)
    overrides: dict[str, Value] = field(default_factory=dict)
    patient: Patient | None = None


def choose_model(args: argparse.Namespace, scene_ref: str | None) -> ModelChoice:
    """Load the scene (a patient file given as the scene opens the built-in explanation) and
    check ``--preset``, ``--patient`` and ``--set``; InputError lists every problem.
    """
    from discviz.scene.load import load_scene

    problems: list[Problem] = []
    patient: Patient | None = None
    ref = scene_ref or DEFAULT_SCENE
    patient_ref = getattr(args, "patient", None)
    if patient_ref is None and is_patient_file(ref):
        patient_ref, ref = ref, DEFAULT_SCENE
    if patient_ref is not None:
        try:
            patient = load_patient(patient_ref)
        except InputError as error:
            problems.extend(error.problems)
    scene = None
    try:
        scene = load_scene(ref)
    except InputError as error:
        problems.extend(error.problems)
    overrides: dict[str, Value] = {}
    try:
        overrides = parse_overrides(list(getattr(args, "overrides", []) or []))
    except InputError as error:
        problems.extend(error.problems)
    base, preset_name = None, ""
    preset = getattr(args, "preset", None) or (patient.preset if patient is not None else None)
    if preset is not None:
        try:
            base = load_preset(preset)
            preset_name = str(preset)
        except InputError as error:
            problems.extend(error.problems)
    if problems or scene is None:
        raise InputError(problems)
    merged = {**(patient.params if patient is not None else {}), **overrides}
    return ModelChoice(scene, ref, base, preset_name, merged, patient)
