"""`discviz list`: states, structures (with their labels), groups, presets and bundled scenes."""

from __future__ import annotations

import argparse
import os
import sys

from discviz.errors import InputError
from discviz.geometry.presets import DEFAULT_PRESET, PRESET_NAMES
from discviz.geometry.structures import GROUPS, STATE_STRUCTURES, STATES, STRUCTURES
from discviz.scene.glossary import label
from discviz.scene.load import bundled_scenes, load_scene


def listing() -> str:
    """The whole listing as plain text."""
    out: list[str] = ["States (in the order of the story):"]
    width = max(len(s) for s in STATES)
    for state in STATES:
        extra = [s for s in STATE_STRUCTURES[state] if s not in STATE_STRUCTURES[STATES[0]]]
        note = f"  adds {', '.join(extra)}" if extra else ""
        out.append(f"  {state:<{width}}{note}")
    out += ["", "Structures (patient label / clinician label):"]
    width = max(len(s) for s in STRUCTURES)
    for name in STRUCTURES:
        out.append(f"  {name:<{width}}  {label(name, 'patient', 'en')} / {label(name, 'clinician', 'en')}")
    out += ["", "Groups (usable wherever a structure name is):"]
    width = max(len(g) for g in GROUPS)
    out += [f"  {group:<{width}}  {', '.join(members)}" for group, members in GROUPS.items()]
    out += ["", "Presets:"]
    out += [f"  {name}{' (default)' if name == DEFAULT_PRESET else ''}" for name in PRESET_NAMES]
    out += ["", "Bundled scenes:"]
    names = bundled_scenes()
    width = max((len(n) for n in names), default=0)
    for name in names:
        try:
            scene = load_scene(name)
        except InputError:
            out.append(f"  {name:<{width}}  (has problems: run discviz check {name})")
            continue
        title = scene.title.get("en", scene.languages)
        out.append(f"  {name:<{width}}  {title} ({len(scene.steps)} steps; {', '.join(scene.languages)})")
    if not names:
        out.append("  (none)")
    return "\n".join(line.rstrip() for line in out)


def run(args: argparse.Namespace) -> int:
    """Print the listing."""
    try:
        print(listing(), flush=True)
    except BrokenPipeError:  # `discviz ... | head`: the reader has gone, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
