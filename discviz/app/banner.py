"""A visible strip over the view that says what is wrong (a broken scene file, a failed
export), so that nothing goes wrong silently and nothing crashes the window.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from discviz.app.uitext import Phrase, phrase, tr

MAX_LINES = 8
STYLE = """
ProblemBanner { background: #5c1f1a; border-bottom: 2px solid #e0664f; }
ProblemBanner[kind="info"] { background: #1d4a2c; border-bottom: 2px solid #58b36f; }
QLabel { color: #fff6ee; background: transparent; }
QPushButton { color: #fff6ee; background: #00000040; border: 1px solid #ffffff60; padding: 4px 14px; }
"""


class ProblemBanner(QFrame):
    """Hidden until there is something to say; Dismiss hides it. What it says is kept as
    phrases, so it is said again in another language when the language changes.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QPushButton(self)
        self.dismiss.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dismiss.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = ""
        self._lines: list[str | Phrase] = []
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        """The button and the message in the current language."""
        self.dismiss.setText(tr("Dismiss"))
        self.dismiss.setToolTip(tr("Hide this message"))
        if self._lines:
            self.message.setText("\n".join(str(line) for line in self._lines))

    def show_problems(self, heading: str | Phrase, problems: Sequence[str | Phrase],
                      kind: str = "problem") -> None:
        """``heading`` and one line per problem (``FILE:LINE: message``)."""
        lines: list[str | Phrase] = list(problems[:MAX_LINES])
        if len(problems) > MAX_LINES:
            lines.append(phrase("... and {count} more", count=len(problems) - MAX_LINES))
        self._lines = [heading, *lines]
        self.message.setText("\n".join(str(line) for line in self._lines))
        self.kind = kind
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()

    def show_info(self, text: str | Phrase) -> None:
        """A good-news note (an export finished)."""
        self.show_problems(text, [], kind="info")

    @property
    def text(self) -> str:
        """What the banner says now."""
        return self.message.text()

    def clear(self) -> None:
        """Hide the banner."""
        self.kind = ""
        self._lines = []
        self.message.clear()
        self.hide()
