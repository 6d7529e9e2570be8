"""The string table: every text the code gives to tr() has its Chinese, with the same fields."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import discviz
from discviz.app import uitext
from discviz.app.uitext import phrase, tr

SOURCE = Path(discviz.__file__).parent
MARKERS = ("tr", "tr_noop", "phrase")  # the calls whose first argument is a key of the table
FIELD = re.compile(r"\{(\w+)\}")


def marked_texts() -> dict[str, str]:
    """Every literal given to tr(), tr_noop() or phrase() in the code base -> where."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return found


def formatted_calls() -> list[str]:
    """tr(f"...") and the like: a text built before the lookup can never be found in the table."""
    wrong = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.JoinedStr | ast.BinOp)):
                wrong.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return wrong


def test_the_scan_finds_the_texts_it_should() -> None:
    found = marked_texts()
    assert {"Next step", "&File", "Dismiss", "changing the step", "Picture saved: {path}"} <= set(found)
    assert len(found) > 100


def test_every_marked_text_has_chinese() -> None:
    table = uitext.table()
    missing = [f"{where}: {text!r}" for text, where in marked_texts().items()
               if not table.get(text, {}).get("zh")]
    assert not missing, "no Chinese in discviz/app/uitext.toml for:\n" + "\n".join(missing)


def test_translations_keep_the_fields_and_the_alt_key() -> None:
    for english, translations in uitext.table().items():
        for code, text in translations.items():
            assert set(FIELD.findall(text)) == set(FIELD.findall(english)), f"{code}: {english!r} -> {text!r}"
            if "&" in english:
                letter = english[english.index("&") + 1].upper()
                assert f"(&{letter})" in text, f"{code}: {english!r} -> {text!r} lacks its Alt key"


def test_the_table_holds_no_unused_text() -> None:
    unused = sorted(set(uitext.table()) - set(marked_texts()))
    assert not unused, f"texts in uitext.toml that no code uses: {unused}"


def test_no_text_is_built_before_it_is_looked_up() -> None:
    assert not formatted_calls()


def test_tr_and_phrases_follow_the_language() -> None:
    message = phrase("Something went wrong while {doing}: {error}", doing=phrase("changing the step"),
                     error="disk full")
    try:
        uitext.set_ui_language("zh")
        assert tr("Next") == "下一步" and str(message) == "切换步骤时出了问题：disk full"
        assert tr("no such text") == "no such text"  # falls back to English
        uitext.set_ui_language("de")  # not in the table: English, not a mix
        assert uitext.ui_language() == "en" and tr("Next") == "Next"
    finally:
        uitext.set_ui_language("en")
    assert str(message) == "Something went wrong while changing the step: disk full"
    assert uitext.ui_languages() == ("en", "zh")


def test_file_filters_keep_their_patterns() -> None:
    filters = [text for text in uitext.table() if "(*." in text]
    assert len(filters) >= 3
    for text in filters:
        zh = tr(text, "zh")
        patterns = re.compile(r"\(\*\.\w+\)")
        assert patterns.findall(zh) == patterns.findall(text) and zh.count(";;") == text.count(";;")
