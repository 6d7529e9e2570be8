"""The command line (docs/command-line.md): parse arguments, dispatch, map errors to exit codes.

Each command lives in its own module with ``run(args) -> int``; this module only parses.
Exit 0 on success, 2 on bad input (every problem as ``FILE:LINE: message``), 1 for a
fault of discviz itself.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from discviz.cli.handout import add_handout_parser
from discviz.cli.model_options import add_model_options
from discviz.cli.slice import add_slice_parser
from discviz.errors import InputError
from discviz.interrupt import stop_cleanly_on_signals

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as bad input (exit 2) without a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"discviz: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser."""
    parser = _Parser(
        prog="discviz",
        description="Make the inside of a lumbar disc visible: why a torn disc hurts, "
        "and what the endoscopic operation does.",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    present = sub.add_parser("present", help="open the viewer on an explanation")
    present.add_argument("scene", nargs="?", help="bundled scene name or .toml file")
    _add_lang_audience(present)
    present.add_argument("--step", metavar="ID", help="start at the step with this id")
    present.add_argument("--fullscreen", action="store_true", help="start full screen")
    add_model_options(present)

    render = sub.add_parser("render", help="render each step to PNG (and a video)")
    render.add_argument("scene", help="bundled scene name or .toml file")
    render.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the PNGs")
    render.add_argument("--size", default="1920x1080", metavar="WxH", help="picture size (1920x1080)")
    _add_lang_audience(render)
    render.add_argument("--video", metavar="FILE",
                        help="also write the whole explanation to FILE.mp4 or FILE.gif")
    render.add_argument("--fps", type=int, default=30, metavar="N",
                        help="video frames per second, 1 to 120 (30)")
    render.add_argument("--bare", action="store_true",
                        help="pictures without title, caption and labels (thumbnails)")
    render.add_argument("--ids", action="store_true",
                        help="also write NN-ID.ids.png: every pixel coloured by the structure drawn there")
    render.add_argument("--overwrite", action="store_true",
                        help="replace files of the same names that discviz did not make")
    add_model_options(render)

    add_slice_parser(sub)
    add_handout_parser(sub)

    mesh = sub.add_parser("mesh", help="write the surfaces of a state to a file")
    mesh.add_argument("--preset", default="L4-L5", metavar="NAME", help="preset name or .toml file (L4-L5)")
    mesh.add_argument("--state", default="healthy", metavar="STATE",
                      help="healthy, ruptured, nerve-ingrowth, repaired, herniated (healthy)")
    mesh.add_argument("--set", dest="overrides", action="append", default=[],
                      metavar="KEY=VALUE", help="override a parameter (repeatable)")
    mesh.add_argument("--progress", type=float, default=1.0, metavar="P", help="transition progress 0..1 (1)")
    mesh.add_argument("-o", "--output", required=True, metavar="FILE", help=".vtm .glb .vtp .ply .stl .obj")
    mesh.add_argument("--overwrite", action="store_true", help="replace an existing file")

    check = sub.add_parser("check", help="validate scenes and presets")
    check.add_argument("files", nargs="+", metavar="FILE",
                       help="scene or preset files (or bundled scene and preset names)")

    sub.add_parser("schema", help="JSON Schema of the scene format, to stdout")
    sub.add_parser("list", help="states, structures, presets and bundled scenes")

    bench = sub.add_parser("bench", help="measure speed; prints JSON")
    bench.add_argument("--what", default="all", metavar="SUITE",
                       help="geometry, render, app, handout or all (all)")
    bench.add_argument("--repeat", type=int, default=20, metavar="N",
                       help="repetitions per figure, 1 to 1000 (20)")
    return parser


def _add_lang_audience(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", metavar="L", help="language, e.g. en or zh (the scene's first by default)")
    parser.add_argument("--audience", choices=("patient", "clinician"), metavar="patient|clinician",
                        help="which labels and words to use (the scene's own by default)")


_MODULES = {
    "present": "present", "render": "render", "mesh": "mesh", "check": "check",
    "schema": "schema", "list": "listing", "bench": "bench", "slice": "slice", "handout": "handout",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``discviz`` command."""
    args = build_parser().parse_args(argv)
    command = args.command or "present"
    if args.command is None:  # bare `discviz`: the viewer on the built-in explanation
        args = build_parser().parse_args(["present"])
    if command != "present":  # the viewer handles its own signals
        stop_cleanly_on_signals()
    try:
        module = importlib.import_module(f"discviz.cli.{_MODULES[command]}")
        return int(module.run(args))
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # files being written were removed on the way out
        print("discviz: interrupted; nothing half-written was left behind", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:  # the machine refused something: a file vanished, a disk filled
        where = error.filename if error.filename is not None else "discviz"
        print(f"{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # a fault of discviz itself: say so plainly
        print(f"discviz: internal error: {error!r}. Please report this, with the command "
              "you ran; set DISCVIZ_DEBUG=1 to see the details.", file=sys.stderr)
        if os.environ.get("DISCVIZ_DEBUG"):
            traceback.print_exc()
        return EXIT_FAULT
