"""With 中文 chosen every word of the viewer is Chinese, at once and without a restart; with
English chosen, none is. And at the window's smallest size no button's text is cut off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from discviz.app.actions import help_rows
from discviz.app.steps import LANGUAGE_NAMES
from tests.app.helpers import wait_until

pytestmark = pytest.mark.gui
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: texts that are the same in every language: the program's name, language names (each in
#: its own), key names, numbers with their units, disc levels
ALLOWED = re.compile(
    r"^(|discviz|" + "|".join(map(re.escape, LANGUAGE_NAMES.values())) + r"|"
    r"[\d\s/.,:%°+\-]*(mm)?|"  # 3 / 9, 80 %, 2.5 mm, 160°
    r"(Ctrl\+)?(F\d+|Esc|Home|End|PgUp|PgDown|[A-Z.\d])|"  # key names
    r"[LS]\d-[LS]\d)$"  # disc levels
)


def visible_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of every text a person can read in the window, its menus included."""
    yield "window title", window.windowTitle()
    for widget in [window, *window.findChildren(QWidget)]:
        if widget.toolTip() and (widget.isVisible() or isinstance(widget, QMenu)):
            yield f"tooltip of {type(widget).__name__}", widget.toolTip()
        if not widget.isVisible():
            continue
        name = type(widget).__name__
        if isinstance(widget, QAbstractButton) and not isinstance(widget, QToolButton):
            yield name, widget.text()
        elif isinstance(widget, QLabel):
            yield name, widget.text()
        elif isinstance(widget, QComboBox):
            yield from ((name, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QDockWidget):
            yield name, widget.windowTitle()
        elif isinstance(widget, QListWidget):
            yield from ((name, widget.item(i).text()) for i in range(widget.count()))
    for menu in window.menuBar().findChildren(QMenu):
        yield "menu", menu.title()
        for action in menu.actions():
            if not action.isSeparator() and action.menu() is None:
                yield f"entry of {menu.title()}", action.text()
    yield from (("menu bar", action.text()) for action in window.menuBar().actions())


def untranslated(window: QWidget, recent: list[str]) -> list[str]:
    """Texts that are not Chinese and not the same in every language."""
    return [f"{where}: {text!r}" for where, text in visible_texts(window)
            if not CJK.search(text) and not ALLOWED.match(text.replace("&", "")) and text not in recent]


def english_words_with_chinese(window: QWidget) -> list[str]:
    return [f"{where}: {text!r}" for where, text in visible_texts(window)
            if CJK.search(text) and text not in LANGUAGE_NAMES.values()]


def show_everything(viewer) -> None:
    """The instructor panel, a message in the banner, the recent scenes filled in."""
    if not viewer.instructor.isVisible():
        viewer.toggle_instructor()
    viewer.report_error(RuntimeError("disk full"), "changing the step")
    viewer.menus._fill_recent()
    wait_until(lambda: viewer.instructor.isVisible())


def test_chinese_everywhere_and_back(qtbot, viewer, capsys) -> None:
    recent = viewer.settings.recent
    show_everything(viewer)
    assert not english_words_with_chinese(viewer)
    viewer.nav.language.buttons["zh"].click()  # live: the same window, no restart
    assert viewer.language == "zh"
    assert untranslated(viewer, recent) == []
    assert viewer.nav.next_button.text() == "下一步  ▶" and viewer.menus.menus["file"].title() == "文件(&F)"
    assert viewer.banner.text.startswith("切换步骤时出了问题：disk full")
    assert viewer.instructor.windowTitle() == "讲解面板"
    assert all(CJK.search(text) for _, text in help_rows())
    viewer.menus.language_actions["en"].trigger()
    assert viewer.language == "en"
    assert english_words_with_chinese(viewer) == []
    assert viewer.banner.text.startswith("Something went wrong while changing the step: disk full")
    viewer.banner.clear()
    capsys.readouterr()  # the reported error's traceback


def test_the_walk_finds_english_left_behind(qtbot, viewer) -> None:
    viewer.set_language("zh")
    viewer.nav.next_button.setText("Next")
    assert "QPushButton: 'Next'" in untranslated(viewer, [])
    viewer.nav.retranslate()
    assert untranslated(viewer, []) == []


def test_dialogs_built_later_speak_the_language(qtbot, viewer, tmp_path) -> None:
    viewer.set_language("zh")
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("mine", encoding="utf-8")
    assert viewer.save_picture(not_a_folder / "view.png") is None
    box = viewer.export_error
    assert box is not None and box.isVisible() and box.windowTitle() == "无法保存图片"
    assert "不是文件夹" in box.text() and str(not_a_folder) in box.text()
    assert all(CJK.search(b.text()) for b in box.findChildren(QPushButton))  # Qt's OK: 确定
    box.close()
    qtbot.waitUntil(lambda: viewer.export_error is None)
    assert not_a_folder.read_text(encoding="utf-8") == "mine"


# -- the smallest window ---------------------------------------------------------------------


def clipped(window: QWidget) -> list[str]:
    """Buttons (and one-line labels) narrower than their text."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if isinstance(widget, QPushButton | QToolButton) and widget.text():
            text_width = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", ""))
            if widget.width() < widget.sizeHint().width() or widget.width() < text_width:
                problems.append(f"{type(widget).__name__} {widget.text()!r}: {widget.width()} px, "
                                f"needs {widget.sizeHint().width()}")
        elif isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            if widget.width() < widget.fontMetrics().horizontalAdvance(widget.text()):
                problems.append(f"QLabel {widget.text()!r}: {widget.width()} px")
    return problems


def smallest(viewer) -> None:
    """The window at its minimum size (which follows the type, which follows the height)."""
    for _ in range(3):
        viewer.resize(1, 1)
        QApplication.processEvents()
    wait_until(lambda: viewer.size() == viewer.minimumSize())


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("with_panels", [False, True])
def test_nothing_is_cut_off_at_the_smallest_size(qtbot, viewer, language, with_panels) -> None:
    viewer.set_language(language)
    if with_panels:
        viewer.toggle_instructor()
        viewer.banner.show_problems("x" * 20, ["a problem"])
        viewer.banner.retranslate()
    try:
        smallest(viewer)
        minimum = viewer.minimumSize()
        assert (viewer.width(), viewer.height()) == (minimum.width(), minimum.height())
        assert minimum.width() >= 800 and minimum.height() >= 500
        assert clipped(viewer) == []
    finally:
        viewer.banner.clear()
        viewer.resize(880, 600)


def test_the_instructor_panel_words_fit(qtbot, viewer) -> None:
    viewer.set_language("zh")
    viewer.toggle_instructor()
    smallest(viewer)
    labels = viewer.instructor.row_labels.values()
    assert all(label.width() >= label.fontMetrics().horizontalAdvance(label.text()) for label in labels)
    assert clipped(viewer) == []
    viewer.resize(880, 600)
