"""File > Handout: ask for the language, the words and the clinic's name, then make the PDF
with ``discviz handout`` in a separate process (the window stays responsive; a progress
bar follows it and Cancel stops it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from discviz.app.export import VideoExport
from discviz.app.steps import AUDIENCE_NAMES, language_name
from discviz.app.uitext import tr, tr_noop
from discviz.scene.model import AUDIENCES

MAX_CLINIC = 120


@dataclass(frozen=True)
class HandoutJob:
    """What ``discviz handout`` makes."""

    scene: Path
    output: Path
    language: str | None = None
    audience: str | None = None
    clinic: str = ""
    model: tuple[str, ...] = ()  # --preset and --set arguments: the patient's disc
    dpi: int = 150

    def arguments(self, _folder: Path) -> list[str]:
        """Arguments of ``python -m discviz handout``."""
        args = ["-m", "discviz", "handout", str(self.scene), "-o", str(self.output),
                "--dpi", str(self.dpi), "--clinic", self.clinic, "--overwrite"]  # the save dialog asked
        if self.language:
            args += ["--lang", self.language]
        if self.audience:
            args += ["--audience", self.audience]
        return args + list(self.model)


class HandoutExport(VideoExport):
    """One running ``discviz handout``."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "cancelled": tr_noop("The handout was cancelled."), "saved": tr_noop("Handout saved: {path}"),
        "failed": tr_noop("The handout could not be made:\n{detail}"),
        "no_start": tr_noop("The handout could not start ({reason})."),
        "making": tr_noop("Making the handout…"), "title": tr_noop("Handout"),
    }


class HandoutDialog(QDialog):
    """Language, words (patient or clinician) and the clinic's name for a handout."""

    def __init__(self, languages: list[str], language: str, audience: str, clinic: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Handout"))
        self.language = QComboBox(self)
        for code in languages:
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.audience = QComboBox(self)
        for name in AUDIENCES:
            self.audience.addItem(tr(AUDIENCE_NAMES[name]), name)
        self.audience.setCurrentIndex(max(self.audience.findData(audience), 0))
        self.clinic = QLineEdit(clinic, self)
        self.clinic.setMaxLength(MAX_CLINIC)
        self.clinic.setPlaceholderText(tr("Printed at the top of the first page"))
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Ok | standard.Cancel, self)
        buttons.button(standard.Ok).setText(tr("Make the PDF…"))
        buttons.button(standard.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Words for"), self.audience)
        form.addRow(tr("Clinic's name"), self.clinic)
        form.addRow(buttons)

    def choice(self) -> tuple[str, str, str]:
        """(language, audience, clinic)."""
        return self.language.currentData(), self.audience.currentData(), self.clinic.text().strip()
