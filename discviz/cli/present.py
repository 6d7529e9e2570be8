"""`discviz present [SCENE] [--lang L] [--audience A] [--step ID] [--fullscreen]`: the viewer.

Bare `discviz` comes here too, on the built-in `discogenic-pain` explanation.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Open the viewer; 2 for a bad scene or argument (before any window), 1 without OpenGL."""
    from discviz.app.launch import run_viewer

    return run_viewer(args.scene, language=args.lang, audience=args.audience, step=args.step,
                      fullscreen=args.fullscreen)
