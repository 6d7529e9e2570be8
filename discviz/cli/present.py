"""`discviz present [SCENE] [--lang L] [--audience A] [--step ID] [--fullscreen]`: the viewer.

Bare `discviz` comes here too, on the built-in `discogenic-pain` explanation.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Open the viewer; 2 for a bad scene or argument (before any window), 1 without OpenGL."""
    from discviz.app.launch import run_viewer
    from discviz.cli.model_options import choose_model
    from discviz.scene.patient import Patient

    choice = choose_model(args, args.scene)  # bad input: exit 2 before any window
    patient = None
    if choice.patient is not None or choice.preset_name or choice.overrides:
        # the viewer shows --preset and --set as this patient's values, in its patient panel
        label = choice.patient.label if choice.patient is not None else ""
        patient = Patient(choice.preset_name, dict(choice.overrides), label)
    # a patient file given as the scene: the built-in explanation (run_viewer's default)
    scene = args.scene if choice.scene_ref == (args.scene or choice.scene_ref) else None
    extra = {"patient": patient} if patient is not None else {}
    return run_viewer(scene, language=args.lang, audience=args.audience, step=args.step,
                      fullscreen=args.fullscreen, **extra)
