"""The step list (titles, click to jump) and the navigation bar: big Previous / Next
buttons, the step counter with its progress, and the language and audience switches.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from discviz.app.typography import set_pixel_size
from discviz.app.uitext import tr, tr_noop

LANGUAGE_NAMES = {"en": "English", "zh": "中文", "de": "Deutsch", "fr": "Français", "es": "Español",
                  "ja": "日本語", "ko": "한국어", "it": "Italiano", "pt": "Português", "ru": "Русский"}
AUDIENCE_NAMES = {"patient": tr_noop("Patient"), "clinician": tr_noop("Clinician")}  # translated when shown

BAR_STYLE = """
NavigationBar { background: #1a222c; border-top: 1px solid #2b3846; }
QLabel { color: #e8ecf0; }
QPushButton { color: #f4f4ef; background: #2d3b4a; border: 1px solid #44566a; border-radius: 6px;
              padding: 4px 18px; }
QPushButton:hover { background: #38495b; }
QPushButton:pressed, QPushButton:checked { background: #c98a2b; border-color: #e9b45e; color: #10161d; }
QPushButton:disabled { color: #6c7a88; background: #222c37; }
"""
LIST_STYLE = """
QListWidget { background: #141b23; color: #dfe5ea; border: none; outline: 0; }
QListWidget::item { border-bottom: 1px solid #1f2933; }
QListWidget::item:selected { background: #c98a2b; color: #10161d; }
"""


def language_name(code: str) -> str:
    """A language's own name for its code (``zh`` -> 中文)."""
    return LANGUAGE_NAMES.get(code, code.upper())


THUMBNAIL_WIDTH = 112


class _WrappedTitles(QStyledItemDelegate):
    """Rows as tall as their wrapped title at the width it is painted at: Qt measures a row
    at the list's full width but paints it inside the spacing, and then cuts the title's
    last line off with an ellipsis.
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """The size at the painted width."""
        view = self.parent()
        narrowed = QStyleOptionViewItem(option)
        if isinstance(view, QListWidget):
            width = view.viewport().width() - 2 * view.spacing()
            narrowed.rect.setWidth(max(width, 1))
        return super().sizeHint(narrowed, index)


class StepList(QListWidget):
    """Numbered step titles; clicking one jumps there."""

    step_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(LIST_STYLE)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrow keys belong to the presenter
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # wrap titles anew at every width
        self.setItemDelegate(_WrappedTitles(self))
        self.itemClicked.connect(lambda item: self.step_chosen.emit(self.row(item)))

    def set_type_size(self, pixels: int) -> None:
        """Title size in pixels; rows are laid out again (wrapping changes with the size)."""
        set_pixel_size(self, pixels)
        self.setSpacing(max(pixels // 3, 3))
        self.doItemsLayout()

    def set_titles(self, titles: Sequence[str]) -> None:
        """One row per step; the same steps in other words keep their pictures."""
        current = self.currentRow()
        self.blockSignals(True)
        if self.count() != len(titles):
            self.clear()
            for _ in titles:
                self.addItem(QListWidgetItem())
        for number, title in enumerate(titles, start=1):
            self.item(number - 1).setText(f"{number}.  {title}")
        self.blockSignals(False)
        if 0 <= current < self.count():
            self.set_current(current)

    def set_thumbnails(self, pictures: Sequence[Path]) -> None:
        """A small picture of each step's final frame beside its title."""
        width = 0
        for row, path in enumerate(pictures):  # shown at 112 px wide: room left for the title
            item = self.item(row)
            pixmap = QPixmap(str(path))
            if item is None or pixmap.isNull():
                continue
            item.setIcon(QIcon(pixmap))
            width = THUMBNAIL_WIDTH
        if width:
            self.setIconSize(QSize(width, width * 9 // 16))

    def set_current(self, index: int) -> None:
        """Mark the step on screen."""
        self.blockSignals(True)
        self.setCurrentRow(index)
        self.blockSignals(False)
        item = self.item(index)
        if item is not None:
            self.scrollToItem(item)


class ProgressLine(QWidget):
    """A thin bar: how far through the explanation (repaints lazily, unlike QProgressBar,
    whose synchronous repaint would also redraw the 3D view).
    """

    TRACK = QColor("#2d3b4a")
    DONE = QColor("#e9b45e")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.share = 0.0
        self.setFixedHeight(6)

    def set_share(self, share: float) -> None:
        """0..1 of the bar filled."""
        self.share = min(max(share, 0.0), 1.0)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # Qt's name
        """Track and filled part, with round ends."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        radius = self.height() / 2
        painter.setBrush(self.TRACK)
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        if self.share > 0:
            painter.setBrush(self.DONE)
            painter.drawRoundedRect(QRectF(0, 0, self.width() * self.share, self.height()), radius, radius)
        painter.end()


class _Switch(QWidget):
    """Segmented buttons: one choice of a few."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(2)

    def set_choices(self, choices: Sequence[tuple[str, str]], current: str) -> None:
        """(value, label) pairs; ``current`` is checked. Hidden when there is only one. The
        same values in other words keep their buttons.
        """
        if list(self.buttons) == [value for value, _ in choices]:
            for value, label in choices:
                self.buttons[value].setText(label)
            self.set_current(current)
            return
        for button in self.buttons.values():
            self.group.removeButton(button)
            self.row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        for value, label in choices:
            button = QPushButton(label, self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, v=value: self.chosen.emit(v))
            self.group.addButton(button)
            self.row.addWidget(button)
            self.buttons[value] = button
        self.set_current(current)
        self.setVisible(len(choices) > 1)

    def set_current(self, value: str) -> None:
        """Check ``value`` without emitting."""
        button = self.buttons.get(value)
        if button is not None:
            button.setChecked(True)


class NavigationBar(QFrame):
    """Previous, the counter, Next; language and audience on the right."""

    previous_clicked = Signal()
    next_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(BAR_STYLE)
        self.previous_button = QPushButton(self)
        self.next_button = QPushButton(self)
        for button in (self.previous_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.previous_button.clicked.connect(self.previous_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        self.counter = QLabel("1 / 1", self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = ProgressLine(self)
        middle = QVBoxLayout()
        middle.setSpacing(4)
        middle.addWidget(self.counter)
        middle.addWidget(self.progress)
        self.language = _Switch(self)
        self.audience = _Switch(self)
        layout = QHBoxLayout(self)
        layout.addWidget(self.previous_button)
        layout.addLayout(middle, 1)
        layout.addWidget(self.next_button)
        layout.addSpacing(24)
        layout.addWidget(self.language)
        layout.addSpacing(12)
        layout.addWidget(self.audience)
        self.set_type_size(20)
        self.retranslate()

    def retranslate(self) -> None:
        """Button words and tooltips in the current language."""
        self.previous_button.setText(f"◀  {tr('Previous')}")
        self.next_button.setText(f"{tr('Next')}  ▶")
        self.previous_button.setToolTip(tr("Previous step (Left arrow)"))
        self.next_button.setToolTip(tr("Next step (Right arrow or Space)"))
        self.counter.setToolTip(tr("Step on screen / number of steps"))
        self.language.setToolTip(tr("Language of the captions, labels and menus"))
        self.audience.setToolTip(tr("Words for a patient or for a clinician"))

    def set_step(self, index: int, count: int) -> None:
        """``3 / 9`` and the progress bar; the ends disable their button."""
        self.counter.setText(f"{index + 1} / {count}")
        self.progress.set_share((index + 1) / max(count, 1))
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)

    def set_type_size(self, pixels: int) -> None:
        """Button and counter type in pixels."""
        for widget in (self.previous_button, self.next_button, self.counter):
            set_pixel_size(widget, pixels, bold=True)
            widget.setMinimumHeight(round(pixels * 2.4))
        for switch in (self.language, self.audience):
            set_pixel_size(switch, round(pixels * 0.85))
        margin = round(pixels * 0.6)
        self.layout().setContentsMargins(margin, margin // 2, margin, margin // 2)
