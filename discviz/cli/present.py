"""`discviz present` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Not built yet."""
    print("discviz: this command is not available yet", file=sys.stderr)
    return 1
