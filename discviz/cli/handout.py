"""`discviz handout SCENE -o FILE.pdf`: the explanation on A4 paper for the patient to take
home: each step's picture (from the same offscreen renderer as `discviz render`) with its
title and caption, the patient's level and findings in plain words, a box for the surgeon's
notes and the clinic's name, in the chosen language.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from discviz.errors import InputError, Problem, did_you_mean

CONTENT_MM = 180.0  # the picture's width on the page (A4 less the margins)
MAX_CLINIC = 120


def add_handout_parser(sub: argparse._SubParsersAction) -> None:
    """The ``handout`` subcommand's arguments."""
    from discviz.cli.model_options import add_model_options

    parser = sub.add_parser("handout", help="the explanation as an A4 PDF to take home")
    parser.add_argument("scene", help="bundled scene name, .toml scene, or a patient file")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.pdf")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing file of this name")
    parser.add_argument("--lang", metavar="L", help="language, e.g. en or zh (the scene's first by default)")
    parser.add_argument("--audience", choices=("patient", "clinician"), metavar="patient|clinician",
                        help="which labels and words to use (the scene's own by default)")
    add_model_options(parser)
    parser.add_argument("--dpi", type=int, default=150, metavar="N", help="resolution of the pictures, "
                        "72 to 600 (150)")
    parser.add_argument("--clinic", metavar="NAME",
                        help="the clinic's name on the first page (default: the viewer's setting)")


def picture_size(dpi: int) -> tuple[int, int]:
    """Pixels of a step's picture: the page's content width at ``dpi``, 16:9."""
    width = round(CONTENT_MM / 25.4 * dpi)
    return width, round(width * 9 / 16)


def clinic_setting() -> str:
    """The clinic's name from the viewer's settings ("" when none is set)."""
    from discviz.app.settings import ViewerSettings

    return ViewerSettings().clinic


def run(args: argparse.Namespace) -> int:
    """Check every argument, render the pictures, write the PDF."""
    from discviz.cli.model_options import choose_model

    problems: list[Problem] = []
    choice = None
    try:
        choice = choose_model(args, args.scene)
    except InputError as error:
        problems.extend(error.problems)
    if choice is not None and args.lang and args.lang not in choice.scene.languages:
        problems.append(Problem("--lang", f"this scene has no language '{args.lang}'"
                                f"{did_you_mean(args.lang, choice.scene.languages)}; "
                                f"it has: {', '.join(choice.scene.languages)}"))
    if not 72 <= args.dpi <= 600:
        problems.append(Problem("--dpi", f"must be from 72 to 600 (got {args.dpi})"))
    output = Path(args.output)
    if output.suffix.lower() != ".pdf":
        problems.append(Problem("-o", f"'{output.name}': the handout is written as a .pdf file"))
    elif output.is_dir():
        problems.append(Problem("-o", f"'{output}' is a folder; give a file name ending in .pdf"))
    elif not output.parent.is_dir():
        problems.append(Problem("-o", f"no folder '{output.parent}' to write the handout into"))
    else:
        from discviz.render.output import claim

        try:
            claim(output, args.overwrite)
        except InputError as error:
            problems.extend(error.problems)
    if args.clinic is not None and len(args.clinic) > MAX_CLINIC:
        problems.append(Problem("--clinic", f"at most {MAX_CLINIC} characters (got {len(args.clinic)})"))
    if problems or choice is None:
        raise InputError(problems)

    from discviz.cli.render import use_offscreen_gl

    use_offscreen_gl()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs no window
    from discviz.app.handout_job import make_handout
    from discviz.render.export import ProgressBar

    clinic = args.clinic if args.clinic is not None else clinic_setting()
    pages = make_handout(choice.scene, output, language=args.lang, audience=args.audience,
                         base=choice.base, preset_name=choice.preset_name, overrides=choice.overrides,
                         patient=choice.patient is not None, clinic=clinic, dpi=args.dpi,
                         size=picture_size(args.dpi), progress=ProgressBar)
    print(f"wrote {output} ({pages} pages)", file=sys.stderr)
    return 0
