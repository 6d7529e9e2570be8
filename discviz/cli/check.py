"""`discviz check FILE...`: validate scenes and presets, reporting every problem of every file."""

from __future__ import annotations

import argparse
from pathlib import Path

from discviz.errors import InputError, Problem
from discviz.geometry.presets import PRESET_NAMES, load_preset, preset_path, read_toml
from discviz.scene.load import TOP_KEYS, bundled_scenes, resolve_scene, scene_from_document
from discviz.scene.patient import is_patient_document, patient_from_document


def check_file(name: str) -> str:
    """Validate one scene, patient file or preset (decided by content); return its kind or raise
    InputError.

    A file with ``steps`` or ``format`` is a scene, anything else a preset. Bundled scene and
    preset names are accepted too.
    """
    path = Path(name)
    try:
        exists = path.exists()
    except OSError:
        exists = True  # read_toml says what is wrong with it
    if not exists:
        if name in bundled_scenes():
            path = resolve_scene(name)
        elif name in PRESET_NAMES:
            path = preset_path(name)
    try:
        document, text = read_toml(path)
    except RecursionError:
        raise InputError([Problem(name, "not valid TOML: nested too deeply")]) from None
    if not document:
        raise InputError([Problem(str(path), "the file is empty: a scene starts with format = 1 and has "
                                  "[[steps]]; a preset sets values such as [disc] width = 49.0")])
    if is_patient_document(document):  # a patient file: label and [params], no steps
        patient_from_document(document, text, path)
        return "patient"
    # a scene by any of its own top-level keys (also one misspelt [[step]] away from valid)
    if any(key in document for key in (*TOP_KEYS, "step")):
        scene_from_document(document, text, path)
        return "scene"
    load_preset(path)
    return "preset"


def run(args: argparse.Namespace) -> int:
    """Print ``FILE: ok`` for each good file; raise InputError with the problems of all others."""
    problems: list[Problem] = []
    for name in args.files:
        try:
            check_file(name)
        except InputError as error:
            problems.extend(error.problems)
        else:
            print(f"{name}: ok", flush=True)
    if problems:
        raise InputError(problems)
    return 0
