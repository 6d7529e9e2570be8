"""`discviz schema`: the JSON Schema of the scene format, to stdout."""

from __future__ import annotations

import argparse
import json
import os
import sys

from discviz.scene.schema import scene_schema


def run(args: argparse.Namespace) -> int:
    """Print the schema as indented JSON (UTF-8, non-ASCII kept)."""
    try:
        print(json.dumps(scene_schema(), indent=2, ensure_ascii=False), flush=True)
    except BrokenPipeError:  # `discviz ... | head`: the reader has gone, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
