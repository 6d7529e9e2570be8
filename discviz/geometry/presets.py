"""Anatomical presets (TOML files in meshes/, shipped as package ``discviz.presets``) and
``--set KEY=VALUE`` overrides, validated against the parameter registry.

A preset has ``seed`` and ``quality`` at the top and one table per group::

    [disc]
    width = 49.0   # source

Keys may be left out (their defaults apply). Every problem is reported with its line.
"""

from __future__ import annotations

import re
import tomllib
from importlib.resources import files
from pathlib import Path

from discviz.errors import InputError, Problem, did_you_mean
from discviz.geometry.params import SPECS, Params, Value, check_param
from discviz.tomlsource import KeyLines
from discviz.userfiles import decode_text, read_user_file

MAX_BYTES = 1024 * 1024
PRESET_NAMES: tuple[str, ...] = ("L3-L4", "L4-L5", "L5-S1", "degenerated-L4-L5")
DEFAULT_PRESET = "L4-L5"
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_LONG_NUMBER = re.compile(r"[0-9_]{1000,}")


def preset_path(name: str) -> Path:
    """Path of a bundled preset."""
    return Path(str(files("discviz.presets").joinpath(f"{name}.toml")))


def resolve_preset(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A bundled preset's name or a file path -> the file (InputError when neither)."""
    text = str(name_or_path)
    if text in PRESET_NAMES:
        return preset_path(text)
    path = Path(text)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if path.suffix == ".toml" or path.exists():
        if not path.exists():
            raise InputError([Problem(str(path), "no such preset file")])
        return path  # read_toml says what is wrong with anything but a regular file
    hint = did_you_mean(text, PRESET_NAMES)
    raise InputError([Problem(
        "preset", f"unknown preset '{text}'{hint}; bundled presets: {', '.join(PRESET_NAMES)}")])


def read_toml(path: Path) -> tuple[dict[str, object], str]:
    """Read a user's TOML file: kind, size, encoding and syntax checked, with clear messages."""
    source = str(path)
    text = decode_text(read_user_file(path, MAX_BYTES), source)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_LINE.search(message)
        line = int(match.group(1)) if match else None
        detail = _TOML_LINE.sub("", message).strip()
        raise InputError([Problem(source, f"not valid TOML: {detail}", line)]) from None
    except ValueError:  # Python refuses to read an integer of thousands of digits
        long_number = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, long_number.start()) + 1 if long_number else None
        raise InputError([Problem(source, "not valid TOML: a number with thousands of digits; "
                                  "write a number of sensible size", line)]) from None


def flatten(document: dict[str, object]) -> dict[str, tuple[object, tuple[str, ...]]]:
    """``{"disc": {"width": 49}}`` -> ``{"disc.width": (49, ("disc", "width"))}``."""
    flat: dict[str, tuple[object, tuple[str, ...]]] = {}
    for key, value in document.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                flat[f"{key}.{inner}"] = (inner_value, (key, inner))
        else:
            flat[key] = (value, (key,))
    return flat


def validate_values(flat: dict[str, tuple[object, tuple[str, ...]]], source: str,
                    lines: KeyLines | None) -> tuple[dict[str, Value], list[Problem]]:
    """Check each ``key = value``; return the good values and every problem."""
    good: dict[str, Value] = {}
    problems: list[Problem] = []
    for key, (value, path) in flat.items():
        line = lines.line(path) if lines else None
        if isinstance(value, dict):
            problems.append(Problem(source, f"unknown parameter '{key}'{did_you_mean(key, SPECS)}", line))
            continue
        checked, message = check_param(key, value)
        if message is not None:
            problems.append(Problem(source, message, line))
        else:
            assert checked is not None
            good[key] = checked
    return good, problems


def load_preset(name_or_path: str | Path) -> Params:
    """Load and validate a preset; raise InputError listing every problem."""
    path = resolve_preset(name_or_path)
    document, text = read_toml(path)
    values, problems = validate_values(flatten(document), str(path), KeyLines(text))
    if problems:
        raise InputError(problems)
    return Params(values)


def parse_value(text: str) -> object:
    """A ``--set`` value: a TOML literal (number, string, boolean) or else a bare string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except ValueError:  # not a TOML value (or a number of thousands of digits): a plain string
        return text


def parse_overrides(items: list[str]) -> dict[str, Value]:
    """``["fissure.depth=0.6", ...]`` -> validated values; InputError lists every problem."""
    good: dict[str, Value] = {}
    problems: list[Problem] = []
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(Problem("--set", f"'{item}' must look like KEY=VALUE, e.g. fissure.depth=0.6"))
            continue
        checked, message = check_param(key, parse_value(raw.strip()))
        if message is not None:
            problems.append(Problem(f"--set {key}", message))
        else:
            assert checked is not None
            good[key] = checked
    if problems:
        raise InputError(problems)
    return good
