"""`discviz slice`: a synthetic T2-weighted MRI slice of the model, as PNG with a JSON sidecar
(docs/patient.md): an illustration computed from the model, never a scan.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from discviz.errors import InputError, Problem, did_you_mean

LANGUAGES = ("en", "zh")


def add_slice_parser(sub: argparse._SubParsersAction) -> None:
    """The ``slice`` subcommand's arguments."""
    from discviz.cli.model_options import add_model_options

    parser = sub.add_parser("slice", help="a synthetic T2 MRI slice of the model (PNG + JSON)")
    parser.add_argument("--preset", metavar="NAME",
                        help="preset name or .toml file (the patient's level, else L4-L5)")
    parser.add_argument("--state", default="healthy", metavar="STATE",
                        help="healthy, ruptured, nerve-ingrowth, repaired, herniated (healthy)")
    add_model_options(parser, preset=False)
    parser.add_argument("--plane", default="sagittal", metavar="PLANE", help="sagittal or axial (sagittal)")
    parser.add_argument("--through", default="centre", metavar="WHERE",
                        help="centre: through the disc centre; tear: a sagittal slice through the tear "
                        "(centre)")
    parser.add_argument("--lang", default="en", metavar="L", help="language of the words on the picture: "
                        "en or zh (en)")
    parser.add_argument("--mm-per-px", type=float, default=0.15, metavar="MM", help="pixel size in mm (0.15)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="FILE.png (FILE.json is written beside it)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing files of these names")


def run(args: argparse.Namespace) -> int:
    """Check every argument, then compute and write the slice."""
    from discviz.geometry.imaging.t2 import PLANES
    from discviz.geometry.presets import load_preset, parse_overrides
    from discviz.geometry.report import derive
    from discviz.geometry.structures import STATES
    from discviz.scene.patient import load_patient

    problems: list[Problem] = []
    if args.state not in STATES:
        problems.append(Problem("--state", f"unknown state '{args.state}'{did_you_mean(args.state, STATES)}; "
                                f"states: {', '.join(STATES)}"))
    if args.plane not in PLANES:
        problems.append(Problem("--plane", f"unknown plane '{args.plane}'{did_you_mean(args.plane, PLANES)}; "
                                f"planes: {', '.join(PLANES)}"))
    if args.through not in ("centre", "tear"):
        problems.append(Problem("--through", f"must be centre or tear (got '{args.through}')"))
    if args.lang not in LANGUAGES:
        problems.append(Problem("--lang", f"unknown language '{args.lang}'; "
                                f"choose from {', '.join(LANGUAGES)}"))
    if not 0.05 <= args.mm_per_px <= 2.0:
        problems.append(Problem("--mm-per-px", f"must be from 0.05 to 2 (got {args.mm_per_px:g})"))
    output = Path(args.output)
    if output.suffix.lower() != ".png":
        problems.append(Problem("-o", f"'{output.name}': the slice is written as a .png file"))
    elif not output.parent.is_dir():
        problems.append(Problem("-o", f"no folder '{output.parent}' to write the slice into"))
    else:
        from discviz.render.output import claim

        for path in (output, output.with_suffix(".json")):
            try:
                claim(path, args.overwrite)
            except InputError as error:
                problems.extend(error.problems)
    patient = None
    if args.patient:
        try:
            patient = load_patient(args.patient)
        except InputError as error:
            problems.extend(error.problems)
    overrides: dict = {}
    try:
        overrides = parse_overrides(args.overrides)
    except InputError as error:
        problems.extend(error.problems)
    preset = args.preset or (patient.preset if patient is not None else "") or "L4-L5"
    try:
        base = load_preset(preset)
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    params = derive(base, {**(patient.params if patient is not None else {}), **overrides})

    from discviz.render.mri import slice_picture, write_slice

    picture = slice_picture(params, args.state, 1.0, args.plane, args.lang, mm_per_px=args.mm_per_px,
                            through=args.through)
    png, sidecar = write_slice(picture, output)
    height, width = picture.rgb.shape[:2]
    print(f"wrote {png} ({width}x{height}, {picture.mm_per_px:g} mm per pixel) and {sidecar.name}; "
          "an illustration from the model, not a scan", file=sys.stderr)
    return 0
