from __future__ import annotations

import tomllib

from discviz.tomlsource import KeyLines

TEXT = '''format = 1  # a comment with key = value inside
title = { en = "Why?", zh = "为什么？" }

[defaults]
view = "left"

[[steps]]
id = "a"
caption = """
fake = "not a key"
"""
show = ["disc",
  "vertebrae"]

[steps.params]
"fissure.depth" = 0.6

[[steps]]
id = "b"
opacity.annulus = 0.3
'''


def test_text_is_valid_toml() -> None:
    assert tomllib.loads(TEXT)["steps"][1]["opacity"]["annulus"] == 0.3


def test_lines_of_keys_tables_and_array_elements() -> None:
    lines = KeyLines(TEXT)
    assert lines.line(("format",)) == 1
    assert lines.line(("title", "zh")) == 2
    assert lines.line(("defaults", "view")) == 5
    assert lines.line(("steps", 0)) == 7
    assert lines.line(("steps", 0, "id")) == 8
    assert lines.line(("steps", 0, "show", 1)) == 12  # element of a multi-line array: its key
    assert lines.line(("steps", 0, "params", "fissure.depth")) == 16
    assert lines.line(("steps", 1, "id")) == 19
    assert lines.line(("steps", 1, "opacity", "annulus")) == 20


def test_key_inside_a_multiline_string_is_not_a_key() -> None:
    assert KeyLines(TEXT).line(("steps", 0, "fake")) == 7  # falls back to the step header
    assert KeyLines(TEXT).line(("nothing",)) is None
