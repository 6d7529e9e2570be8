"""discviz: the inside of a lumbar disc, made visible.

Python entry point (docs/command-line.md)::

    import discviz
    parts = discviz.build("ruptured", preset="L4-L5", params={"fissure.depth": 0.7})
    half = discviz.build("nerve-ingrowth", progress=0.5)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyvista as pv

__all__ = ["build"]


def build(state: str, preset: str | Path = "L4-L5", params: Mapping[str, object] | None = None,
          progress: float = 1.0) -> dict[str, pv.PolyData]:
    """Every structure of ``state`` as ``pyvista.PolyData``, keyed by structure name.

    ``params`` overrides preset values (validated; bad values raise ``discviz.errors.InputError``);
    ``progress`` (0..1) is the transition into ``state`` from the previous state of the story.
    """
    from discviz.errors import InputError, Problem
    from discviz.geometry import build_surfaces
    from discviz.geometry.params import check_param
    from discviz.geometry.presets import load_preset
    from discviz.geometry.structures import STATES
    from discviz.render.convert import to_polydata

    if state not in STATES:
        from discviz.errors import did_you_mean

        raise InputError([Problem("state", f"unknown state '{state}'{did_you_mean(state, STATES)}; "
                                  f"states: {', '.join(STATES)}")])
    if not 0.0 <= float(progress) <= 1.0:
        raise InputError([Problem("progress", f"must be from 0 to 1 (got {progress})")])
    values = load_preset(preset)
    changes = {}
    problems = []
    for key, value in (params or {}).items():
        checked, message = check_param(key, value)
        if message is not None:
            problems.append(Problem("params", message))
        else:
            changes[key] = checked
    if problems:
        raise InputError(problems)
    surfaces = build_surfaces(state, values.update(changes), progress)
    return {name: to_polydata(surface) for name, surface in surfaces.items()}
