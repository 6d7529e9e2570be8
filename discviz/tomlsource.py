"""Find the line of each key in a TOML text, because ``tomllib`` reports no positions.

A light line scanner, not a parser: ``tomllib`` has already accepted the text when this
runs, so it only has to follow table headers, ``[[array]]`` counters, ``key =`` lines and
the keys of inline tables on the same line, and skip multi-line strings.
"""

from __future__ import annotations

import re
import tomllib

Path = tuple[str | int, ...]

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_KEY = re.compile(rf"\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*\]\]?")
_PART = re.compile(_BARE_OR_QUOTED)


def _split_key(dotted: str) -> list[str]:
    return [_unquote(p) for p in _PART.findall(dotted)]


def _unquote(part: str) -> str:
    """A key as tomllib reads it: quotes gone, and the escapes of a "basic" key decoded."""
    if part.startswith('"') and "\\" in part:
        try:
            return str(tomllib.loads(f"k = {part}")["k"])
        except tomllib.TOMLDecodeError:
            pass
    return part.strip("\"'")


def _strip_comment(line: str) -> str:
    """Drop a trailing comment, respecting quotes."""
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


class KeyLines:
    """Map from key paths (``("steps", 2, "caption", "en")``) to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        table: Path = ()
        array_counts: dict[Path, int] = {}
        in_multiline: str | None = None
        for number, raw in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if in_multiline in raw:
                    in_multiline = None
                continue
            line = _strip_comment(raw)
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                parts = _split_key(header.group(2))
                if header.group(1) == "[[":
                    base = self._resolve(parts[:-1], table, array_counts)
                    array_path = (*base, parts[-1])
                    index = array_counts.get(array_path, -1) + 1
                    array_counts[array_path] = index
                    table = (*array_path, index)
                    self._lines.setdefault(array_path, number)
                else:
                    table = (*self._resolve(parts[:-1], table, array_counts), parts[-1])
                self._lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if not key:
                continue
            path = (*table, *_split_key(key.group(1)))
            self._lines.setdefault(path, number)
            rest = line[key.end():]
            for delim in ('"""', "'''"):
                if rest.count(delim) == 1:
                    in_multiline = delim
            if "{" in rest:  # keys of an inline table on this line
                for inner in _KEY.finditer(rest.replace("{", "\n").replace(",", "\n")):
                    self._lines.setdefault((*path, *_split_key(inner.group(1))), number)

    @staticmethod
    def _resolve(parts: list[str], table: Path, array_counts: dict[Path, int]) -> Path:
        """Resolve a header prefix such as ``steps`` inside ``[steps.params]`` to its element."""
        path: Path = ()
        for part in parts:
            path = (*path, part)
            if path in array_counts:
                path = (*path, array_counts[path])
        return path

    def line(self, path: Path) -> int | None:
        """Line of ``path`` or of its longest known prefix; None when nothing matches."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None
