"""`discviz mesh`: write every structure of a state to a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from discviz.errors import InputError, Problem, did_you_mean
from discviz.geometry import build_surfaces
from discviz.geometry.presets import load_preset, parse_overrides
from discviz.geometry.report import derive
from discviz.geometry.structures import STATES


def run(args: argparse.Namespace) -> int:
    """Build the surfaces and write them."""
    problems: list[Problem] = []
    if args.state not in STATES:
        problems.append(Problem("--state", f"unknown state '{args.state}'{did_you_mean(args.state, STATES)}; "
                                f"states: {', '.join(STATES)}"))
    if not 0.0 <= args.progress <= 1.0:
        problems.append(Problem("--progress", f"must be from 0 to 1 (got {args.progress:g})"))
    overrides: dict = {}
    try:
        overrides = parse_overrides(args.overrides)
    except InputError as error:
        problems.extend(error.problems)
    try:
        params = load_preset(args.preset)
    except InputError as error:
        problems.extend(error.problems)
    from discviz.cli.render import use_offscreen_gl

    use_offscreen_gl()  # the .glb export draws offscreen: no X server wanted
    from discviz.render.convert import to_polydata
    from discviz.render.mesh_export import check_output, write_mesh

    problems.extend(check_output(Path(args.output), args.overwrite))
    if problems:
        raise InputError(problems)
    params = derive(params, overrides)  # a Pfirrmann grade brings its hydration and heights

    parts = {name: to_polydata(s) for name, s in build_surfaces(args.state, params, args.progress).items()}
    path = write_mesh(parts, Path(args.output), params.f("nucleus.hydration"), overwrite=args.overwrite)
    print(f"wrote {len(parts)} structures of '{args.state}' to {path}", file=sys.stderr)
    return 0
