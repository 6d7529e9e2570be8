"""Wrap captions to a width in pixels: by words for Latin text, by characters for Chinese."""

from __future__ import annotations

import unicodedata


def char_width(ch: str) -> float:
    """Approximate advance of a character in ems (wide CJK = 1, Latin about 0.55)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch.isupper() or ch in "mwMW@":
        return 0.68
    return 0.52


def text_width(text: str) -> float:
    """Width of a line of text in ems."""
    return sum(char_width(ch) for ch in text)


def wrap(text: str, width_ems: float) -> list[str]:
    """Lines of ``text`` no wider than ``width_ems`` (a longer single word stays whole)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if line and text_width(candidate.rstrip()) > width_ems:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = candidate
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words with their trailing space, and single CJK characters (which break anywhere,
    except that closing punctuation stays with the character before it).
    """
    tokens: list[str] = []
    word = ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if wide:
            if word:
                tokens.append(word)
                word = ""
            if tokens and unicodedata.category(ch) in ("Po", "Pe", "Pf"):
                tokens[-1] += ch
            else:
                tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens
