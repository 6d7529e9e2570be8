"""Problems in user files, reported as ``FILE:LINE: message`` (shared by every layer)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file or an argument the user gave."""

    source: str  # a file path, or a pseudo-source such as "--set fissure.depth"
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return _visible(f"{where}: {self.message}")


def _visible(text: str) -> str:
    """Control characters a user's file put into a message, written as escapes: a terminal
    must not clear its screen because a scene names a parameter with an escape sequence.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or not unicodedata.category(ch).startswith("C")
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)


class InputError(Exception):
    """Bad input from the user: every problem found, not just the first (exit code 2)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` when a choice is close to ``word``, else ``""``."""
    import difflib

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
