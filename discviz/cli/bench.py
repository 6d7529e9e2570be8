"""`discviz bench`: speed figures as JSON. Each layer contributes one function
``run_bench(repeat: int) -> dict`` in its own ``bench`` module; timings never live in unit tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from discviz.errors import InputError, Problem

MAX_REPEAT = 1000  # a figure is steady long before; more only keeps the machine busy
_SUITES = {
    "geometry": "discviz.geometry.bench",
    "render": "discviz.render.bench",
    "app": "discviz.app.bench",
    "handout": "discviz.app.handout_bench",
}


def run(args: argparse.Namespace) -> int:
    """Run the chosen suites and print one JSON object."""
    wanted = list(_SUITES) if args.what == "all" else [args.what]
    unknown = [w for w in wanted if w not in _SUITES]
    if unknown:
        choices = ", ".join(_SUITES)
        raise InputError([Problem("--what", f"must be one of all, {choices} (got {unknown[0]!r})")])
    if not 1 <= args.repeat <= MAX_REPEAT:
        raise InputError([Problem("--repeat", f"must be from 1 to {MAX_REPEAT} (got {args.repeat})")])
    results: dict[str, object] = {}
    for name in wanted:
        try:
            module = importlib.import_module(_SUITES[name])
        except ModuleNotFoundError:
            results[name] = "not available"
            continue
        print(f"bench: {name} ...", file=sys.stderr)
        results[name] = module.run_bench(args.repeat)
    print(json.dumps(results, indent=2))
    return 0
