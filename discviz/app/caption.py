"""The caption panel: the step's title and caption in large, readable type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from discviz.app.typography import set_pixel_size

STYLE = """
CaptionPanel { background: #10161d; border-top: 1px solid #2b3846; }
QLabel { color: #f4f4ef; background: transparent; }
QLabel#title { color: #ffd27a; }
"""


class CaptionPanel(QFrame):
    """Title above caption; both wrap to the width and grow in height as needed."""

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

    def set_type_size(self, caption_pixels: int) -> None:
        """Caption size in pixels; the title is a third larger."""
        set_pixel_size(self.caption, caption_pixels)
        set_pixel_size(self.title, round(caption_pixels * 1.3), bold=True)
        margin = round(caption_pixels * 0.9)
        self.layout().setContentsMargins(margin, round(margin * 0.6), margin, round(margin * 0.7))
        self.layout().setSpacing(round(caption_pixels * 0.35))
