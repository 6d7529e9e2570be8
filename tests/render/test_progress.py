"""The command line's progress bar: redrawn in place on a terminal, a line per percent in a log."""

from __future__ import annotations

import io

from discviz.render.export import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_at_most_a_line_per_percent_and_the_last_one() -> None:
    log = io.StringIO()
    bar = ProgressBar("video", log)
    for done in range(1, 2001):
        bar(done, 2000)
    lines = log.getvalue().splitlines()
    assert 95 <= len(lines) <= 101 and "\r" not in log.getvalue()
    assert lines[-1].startswith("video [" + "#" * 30 + "] 2000/2000")


def test_a_terminal_redraws_one_line() -> None:
    terminal = Terminal()
    bar = ProgressBar("steps", terminal)
    for done in range(1, 10):
        bar(done, 9)
    text = terminal.getvalue()
    assert text.count("\r") == 9 and text.count("\n") == 1 and text.endswith("] 9/9   0.0 s left\n")
