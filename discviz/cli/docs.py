"""The generated parts of the user documentation in ``docs/``, from the code itself.

Each page in ``docs/`` is written by hand, with blocks between ``<!-- generated: NAME -->``
and ``<!-- end generated -->`` that this module fills from the registries the program
uses: the command-line parser, the scene limits and JSON Schema, the named views, the
structure table, the glossary, the parameter registry and the bundled presets. So the
pages cannot drift from the program: a test regenerates them and compares.

Regenerate after changing any of those (one command, from the repository)::

    bash scripts/docs.sh            # = .venv/bin/python -m discviz.cli.docs
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from discviz.cli import EXIT_BAD_INPUT, EXIT_FAULT, EXIT_INTERRUPTED, EXIT_OK, build_parser
from discviz.geometry.params import SPECS, ParamSpec
from discviz.geometry.presets import DEFAULT_PRESET, PRESET_NAMES, load_preset
from discviz.geometry.structures import ANY_STATE, GROUPS, STATE_STRUCTURES, STATES, STRUCTURES
from discviz.render.materials import palette_markdown
from discviz.scene import limits
from discviz.scene.glossary import explanation, label
from discviz.scene.load import STEP_KEYS, TOP_KEYS
from discviz.scene.model import CUTAWAYS
from discviz.scene.schema import scene_schema
from discviz.scene.views import NAMED_VIEWS

PAGES = ("scene-language.md", "command-line.md", "structures-and-parameters.md")
BLOCK = re.compile(r"(<!-- generated: ([a-z-]+) -->\n)(.*?)(<!-- end generated -->)", re.S)
NOTE = "<!-- This block is generated from the code by `bash scripts/docs.sh`; edit the code, not it. -->\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- the scene language ---------------------------------------------------------------------

def scene_keys() -> str:
    """The keys of a scene and of a step, with what the JSON Schema says about them."""
    schema = scene_schema()
    top = schema["properties"]
    step = schema["$defs"]["step"]["properties"]
    texts = {"title": "a title: a string, or a table keyed by language",
             "caption": "a caption: a string, or a table keyed by language",
             "subtitle": "the heading of this view while two views are shown side by side "
                         "(docs/scene-language-extensions.md): a string, or a table keyed by language"}

    def describe(key: str, entry: dict) -> str:
        if key in texts:
            return texts[key]
        if "enum" in entry and "description" not in entry:
            return "one of " + ", ".join(f"`{v}`" for v in entry["enum"])
        description = entry.get("description", "")
        if "enum" in entry and len(entry["enum"]) <= 8:
            description += ": " + ", ".join(f"`{v}`" for v in entry["enum"])
        return description

    out = "At the top of a scene:\n\n"
    out += table(("key", "what it is"), ((f"`{key}`", describe(key, top[key])) for key in TOP_KEYS))
    out += "\nIn each `[[steps]]` table (and, except `id` and `beside`, in `[defaults]`):\n\n"
    out += table(("key", "what it is"), ((f"`{key}`", describe(key, step[key])) for key in STEP_KEYS))
    return out


def scene_limits() -> str:
    """Every bound the loader checks."""
    rows: list[tuple[str, str, str]] = [
        (f"`{b.key}`", f"{_number(b.minimum)} to {_number(b.maximum)}{' ' + b.unit if b.unit else ''}",
         b.why) for b in limits.NUMBERS]
    rows += [
        ("steps", f"1 to {limits.MAX_STEPS}", "a lecture of an hour has about fifty"),
        ("step `id`", f"at most {limits.MAX_ID_LENGTH} characters of a-z, 0-9 and -",
         "it becomes part of a file name"),
        ("a `title`", f"at most {limits.MAX_TITLE_LENGTH} characters", "about two lines over the picture"),
        ("a `caption`", f"at most {limits.MAX_CAPTION_LENGTH} characters",
         "about six lines in the caption band"),
        ("a label in `[labels]`", f"at most {limits.MAX_LABEL_LENGTH} characters",
         "a label sits next to its structure"),
        ("a `subtitle`", f"at most {limits.MAX_SUBTITLE_LENGTH} characters",
         "one line over one of two views side by side"),
        ("`languages`", f"1 to {limits.MAX_LANGUAGES} codes of at most {limits.MAX_LANGUAGE_CODE} characters",
         "such as `en`, `zh`, `zh-Hant`"),
        ("the whole explanation", f"at most {_number(limits.MAX_SCENE_SECONDS / 60)} minutes",
         f"transitions and holds added up, a hold of 0 counted as {_number(limits.LONGEST_READING_PAUSE)} s "
         "of reading"),
    ]
    from discviz.geometry.presets import MAX_BYTES
    from discviz.pictures import MAX_PICTURE_BYTES, MAX_PICTURE_PIXELS

    rows += [
        ("a scene or preset file", f"at most {MAX_BYTES // 1024 // 1024} MiB", "UTF-8 text"),
        ("an `image`", f"at most {MAX_PICTURE_BYTES // 1024 // 1024} MiB and "
         f"{MAX_PICTURE_PIXELS // 1_000_000} million pixels", "PNG or JPEG, checked in full"),
    ]
    return table(("what", "allowed", "why"), rows)


def named_views() -> str:
    """The named views with their angles."""
    rows = [(f"`{name}`", _number(view.azimuth), _number(view.elevation))
            for name, view in NAMED_VIEWS.items()]
    return table(("view", "azimuth (degrees)", "elevation (degrees)"), rows)


def cutaways() -> str:
    """The cutaway names."""
    return ", ".join(f"`{name}`" for name in CUTAWAYS) + "\n"


# -- structures and parameters --------------------------------------------------------------

def states() -> str:
    """The states in story order, with what each adds."""
    rows = []
    for state in STATES:
        extra = [s for s in STATE_STRUCTURES[state] if s not in STATE_STRUCTURES[STATES[0]]]
        rows.append((f"`{state}`", ", ".join(f"`{s}`" for s in extra) or "(the healthy anatomy)"))
    return table(("state", "structures beyond the healthy ones"), rows)


def structures() -> str:
    """Every structure, its labels and the states that have it."""
    rows = []
    for name in STRUCTURES:
        having = [state for state in STATES if name in STATE_STRUCTURES[state]]
        present = "all" if len(having) == len(STATES) else ", ".join(having) or "none"
        if name in ANY_STATE:
            present = "any, while `instruments.insertion` > 0"
        rows.append((f"`{name}`", label(name, "patient", "en"), label(name, "clinician", "en"),
                     f"{label(name, 'patient', 'zh')} / {label(name, 'clinician', 'zh')}", present))
    return table(("name", "patient label", "clinician label", "中文 (patient / clinician)", "states"), rows)


def explanations() -> str:
    """The glossary's one-line explanation of each structure (shown in the viewer)."""
    return "".join(f"- `{name}`: {explanation(name, 'en')}\n" for name in STRUCTURES)


def groups() -> str:
    """The groups and their members."""
    return table(("group", "members"),
                 ((f"`{group}`", ", ".join(f"`{m}`" for m in members)) for group, members in GROUPS.items()))


def _range(spec: ParamSpec) -> str:
    if spec.kind == "choice":
        return ", ".join(f"`{c}`" for c in spec.choices)
    if spec.kind == "bool":
        return "`true`, `false`"
    unit = f" {spec.unit}" if spec.unit else ""
    return f"{_number(spec.minimum)} to {_number(spec.maximum)}{unit}"


def _default(value: object) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{_number(value)}`"  # type: ignore[arg-type]


def parameters() -> str:
    """The parameter registry."""
    kinds = {"float": "number", "int": "whole number", "choice": "choice", "bool": "true/false"}
    rows = [(f"`{key}`", kinds[spec.kind], _range(spec), _default(spec.default), spec.doc)
            for key, spec in SPECS.items()]
    return table(("key", "kind", "allowed", "default", "meaning"), rows)


def presets() -> str:
    """The bundled presets, with the values in which they differ from the default."""
    default = load_preset(DEFAULT_PRESET)
    rows = []
    for name in PRESET_NAMES:
        params = load_preset(name)
        changed = [f"`{key}` = {_default(params[key])}" for key in SPECS if params[key] != default[key]]
        note = "the default" if name == DEFAULT_PRESET else (", ".join(changed) or "as the default")
        rows.append((f"`{name}`", note))
    return table(("preset", "differs from the default in"), rows)


# -- the command line -----------------------------------------------------------------------

def _subcommands(parser: argparse.ArgumentParser) -> dict[str, tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:  # argparse keeps no public list of its subcommands
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            return {name: (helps.get(name, ""), sub) for name, sub in action.choices.items()}
    return {}


def _synopsis(name: str, parser: argparse.ArgumentParser) -> str:
    parts = [f"discviz {name}"]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:
            metavar = action.metavar or action.dest.upper()
            word = f"{metavar}..." if action.nargs in ("+", "*") else str(metavar)
            parts.append(f"[{word}]" if action.nargs in ("?", "*") else word)
            continue
        flag = action.option_strings[0]
        if action.nargs == 0:
            word = flag
        else:
            word = f"{flag} {action.metavar or action.dest.upper()}"
        if isinstance(action, argparse._AppendAction):
            word += "..."
        parts.append(word if action.required else f"[{word}]")
    return " ".join(parts)


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        names = ", ".join(action.option_strings) or (action.metavar or action.dest).upper()
        if action.option_strings and action.nargs != 0:
            names += f" {action.metavar or action.dest.upper()}"
        text = action.help or ""
        rows.append((f"`{names}`", text))
    return rows


def command_reference() -> str:
    """Each command: its synopsis, what it does and its options, from the argument parser."""
    parser = build_parser()
    out = ["```", "discviz                       the viewer on the built-in explanation"]
    commands = _subcommands(parser)
    out += [f"{_synopsis(name, sub)}" for name, (_, sub) in commands.items()]
    out += ["```", ""]
    for name, (summary, sub) in commands.items():
        out += [f"### `discviz {name}`", "", f"{summary[:1].upper()}{summary[1:]}.", ""]
        rows = _options(sub)
        if rows:
            out.append(table(("argument", "meaning"), rows))
    return "\n".join(out).rstrip("\n") + "\n"


def exit_codes() -> str:
    """What the exit code of every command means."""
    return table(("code", "meaning"), [
        (EXIT_OK, "success"),
        (EXIT_BAD_INPUT, "bad input: every problem is printed to stderr as `FILE:LINE: message` "
                         "(a scene, a preset, a picture, an argument, or an output that cannot be written)"),
        (EXIT_FAULT, "a fault of discviz itself (please report it, with the command; `DISCVIZ_DEBUG=1` "
                     "shows the details); also: the viewer found no usable OpenGL"),
        (EXIT_INTERRUPTED, "stopped by Ctrl-C (or `kill`): files being written were removed"),
    ])


BLOCKS: dict[str, Callable[[], str]] = {
    "scene-keys": scene_keys, "scene-limits": scene_limits, "named-views": named_views,
    "cutaways": cutaways, "states": states, "structures": structures, "explanations": explanations,
    "groups": groups, "parameters": parameters, "presets": presets,
    "commands": command_reference, "exit-codes": exit_codes,
}


def fill(text: str, source: str = "page") -> str:
    """``text`` with every generated block filled from the code; ValueError for an unknown one."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in BLOCKS:
            raise ValueError(f"{source}: unknown generated block '{name}'; known: {', '.join(BLOCKS)}")
        return f"{match.group(1)}{NOTE}\n{BLOCKS[name]()}\n{match.group(4)}"

    return BLOCK.sub(replace, text)


def generated(folder: Path) -> dict[Path, tuple[str, str]]:
    """Each page of ``folder``: (as committed, as the code makes it)."""
    out: dict[Path, tuple[str, str]] = {}
    for name in PAGES:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        out[path] = (text, fill(text, name))
    palette = folder / "palette.md"  # a page the palette writes whole
    if palette.is_file():
        out[palette] = (palette.read_text(encoding="utf-8"), palette_markdown())
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Fill the generated blocks of the pages in ``docs/`` (``--check``: only say which differ)."""
    parser = argparse.ArgumentParser(prog="python -m discviz.cli.docs", description=main.__doc__)
    parser.add_argument("--docs", type=Path, default=Path(__file__).resolve().parents[2] / "docs",
                        help="the docs folder (the repository's)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a page differs")
    args = parser.parse_args(argv)
    stale = []
    for path, (old, new) in generated(args.docs).items():
        if old != new:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        print(f"{path}: {'differs from the code' if args.check else 'regenerated'}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
