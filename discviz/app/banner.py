"""A visible strip over the view that says what is wrong (a broken scene file, a failed
export), so that nothing goes wrong silently and nothing crashes the window.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

MAX_LINES = 8
STYLE = """
ProblemBanner { background: #5c1f1a; border-bottom: 2px solid #e0664f; }
ProblemBanner[kind="info"] { background: #1d4a2c; border-bottom: 2px solid #58b36f; }
QLabel { color: #fff6ee; background: transparent; }
QPushButton { color: #fff6ee; background: #00000040; border: 1px solid #ffffff60; padding: 4px 14px; }
"""


class ProblemBanner(QFrame):
    """Hidden until there is something to say; Dismiss hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QPushButton("Dismiss", self)
        self.dismiss.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dismiss.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = ""
        self.hide()

    def show_problems(self, heading: str, problems: Sequence[str], kind: str = "problem") -> None:
        """``heading`` and one line per problem (``FILE:LINE: message``)."""
        lines = list(problems[:MAX_LINES])
        if len(problems) > MAX_LINES:
            lines.append(f"... and {len(problems) - MAX_LINES} more")
        self.message.setText("\n".join([heading, *lines]))
        self.kind = kind
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()

    def show_info(self, text: str) -> None:
        """A good-news note (an export finished)."""
        self.show_problems(text, [], kind="info")

    @property
    def text(self) -> str:
        """What the banner says now."""
        return self.message.text()

    def clear(self) -> None:
        """Hide the banner."""
        self.kind = ""
        self.message.clear()
        self.hide()
