"""The caption panel: the step's title and caption in large, readable type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from discviz.app.typography import set_pixel_size

STYLE = """
CaptionPanel { background: #10161d; border-top: 1px solid #2b3846; }
QLabel { color: #f4f4ef; background: transparent; }
QLabel#title { color: #ffd27a; }
"""


class CaptionPanel(QFrame):
    """Title above caption; both wrap to the width and the panel is as tall as they need.

    The panel sets its own height from its width: the splitter it sits in does not pass
    on the height-for-width of wrapped labels, which cut the last line off.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.caption = QLabel(self)
        self.caption.setObjectName("caption")
        for label in (self.title, self.caption):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.caption)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.set_type_size(20)

    def set_text(self, title: str, caption: str) -> None:
        """Show a step's words."""
        self.title.setText(title)
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))
        self._fit_height()

    def set_type_size(self, caption_pixels: int) -> None:
        """Caption size in pixels; the title is a third larger."""
        set_pixel_size(self.caption, caption_pixels)
        set_pixel_size(self.title, round(caption_pixels * 1.3), bold=True)
        margin = round(caption_pixels * 0.9)
        self.layout().setContentsMargins(margin, round(margin * 0.6), margin, round(margin * 0.7))
        self.layout().setSpacing(round(caption_pixels * 0.35))
        self._fit_height()

    def needed_height(self, width: int) -> int:
        """The height the title and caption take at ``width``."""
        layout = self.layout()
        layout.activate()
        return layout.totalHeightForWidth(width)

    def _fit_height(self) -> None:
        needed = self.needed_height(self.width())
        if needed != self.height() or self.minimumHeight() != needed:
            self.setFixedHeight(needed)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        """A new width wraps the words anew: take the height they need."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()
