"""The "This patient" panel: set the model from what the MRI report says, in a minute.

Level, the tear's side and zone as the radiologist writes them, its grade, a high-intensity
zone, the disc height and the Pfirrmann grade, a herniation: each choice becomes parameters
through :mod:`discviz.geometry.report` (the same mapping ``--set`` and the patient files
use) and the whole explanation is drawn again for this patient. The panel saves and opens
patient files (the parameters and a label, nothing else).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from discviz.app.findings import findings, level_line
from discviz.app.uitext import tr, tr_noop
from discviz.geometry.presets import load_preset
from discviz.geometry.report import (
    HEIGHT_LOSS,
    HERNIATIONS,
    LEVELS,
    ROMAN,
    SIDES,
    ZONES,
    Report,
    report_from_params,
    report_params,
)
from discviz.scene.patient import MAX_LABEL, Patient

NOT_STATED = None
GRADE_NAMES = {
    0: tr_noop("0: no tear"),
    1: tr_noop("1: inner third"),
    2: tr_noop("2: middle third"),
    3: tr_noop("3: outer third"),
    4: tr_noop("4: outer third, spreading"),
    5: tr_noop("5: through, leaking"),
}
WORDS = {  # the report's words as the combo boxes show them
    "left": tr_noop("Left"),
    "right": tr_noop("Right"),
    "central": tr_noop("Central"),
    "paracentral": tr_noop("Paracentral"),
    "foraminal": tr_noop("Foraminal"),
    "extraforaminal": tr_noop("Extraforaminal"),
    "none": tr_noop("None"),
    "mild": tr_noop("Mild"),
    "moderate": tr_noop("Moderate"),
    "severe": tr_noop("Severe"),
    "protrusion": tr_noop("Protrusion"),
    "extrusion": tr_noop("Extrusion"),
    "sequestration": tr_noop("Sequestration"),
}


def _combo(parent: QWidget, first: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox(parent)
    combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the arrow keys step the scene
    combo.addItem(first, NOT_STATED)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    combo.blockSignals(True)
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class PatientPanel(QDockWidget):
    """Dock with the report's findings; ``patient_changed`` carries the Patient (or None)."""

    patient_changed = Signal(object)  # Patient | None
    save_requested = Signal()
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("This patient"), parent)
        self.setObjectName("patient")
        body = QWidget(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.label = QLineEdit(body)
        self.label.setMaxLength(MAX_LABEL)
        self.label.setPlaceholderText(tr("A label for you (no names)"))
        self.label.setToolTip(tr("Saved with the patient file. Do not type names or record numbers."))
        self.label.editingFinished.connect(self._changed)
        self.level = _combo(body, tr("The explanation's own"), [(name, name) for name in LEVELS])
        word = {key: tr(text) for key, text in WORDS.items()}
        self.tear_side = _combo(body, tr("Not stated"), [(word[s], s) for s in SIDES])
        self.tear_zone = _combo(body, tr("Not stated"), [(word[z], z) for z in ZONES])
        self.grade = _combo(body, tr("Not stated"), [(tr(GRADE_NAMES[g]), g) for g in range(6)])
        self.hiz = QCheckBox(tr("High-intensity zone (HIZ)"), body)
        self.hiz.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pfirrmann = _combo(body, tr("Not stated"), [(ROMAN[g], g) for g in range(1, 6)])
        self.height_loss = _combo(body, tr("As the Pfirrmann grade"), [(word[h], h) for h in HEIGHT_LOSS])
        self.herniation = _combo(body, tr("None"), [(word[h], h) for h in HERNIATIONS])
        self.herniation_side = _combo(body, tr("Not stated"), [(word[s], s) for s in SIDES])
        self.herniation_zone = _combo(body, tr("Not stated"), [(word[z], z) for z in ZONES])
        tear = QHBoxLayout()
        tear.addWidget(self.tear_side)
        tear.addWidget(self.tear_zone, 1)
        herniation = QHBoxLayout()
        herniation.addWidget(self.herniation_side)
        herniation.addWidget(self.herniation_zone, 1)
        form.addRow(tr("Label"), self.label)
        form.addRow(tr("Level"), self.level)
        form.addRow(tr("Tear: side and zone"), tear)
        form.addRow(tr("Tear grade (Dallas)"), self.grade)
        form.addRow("", self.hiz)
        form.addRow(tr("Pfirrmann grade"), self.pfirrmann)
        form.addRow(tr("Disc height loss"), self.height_loss)
        form.addRow(tr("Herniation"), self.herniation)
        form.addRow(tr("Herniation: side and zone"), herniation)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._changed)
        self.hiz.toggled.connect(self._changed)
        self.problem = QLabel(body)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #f0b35a;")
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.save = QPushButton(tr("Save patient…"), body)
        self.open = QPushButton(tr("Open patient…"), body)
        self.clear = QPushButton(tr("Clear"), body)
        for button in (self.save, self.open, self.clear):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.save.clicked.connect(self.save_requested)
        self.open.clicked.connect(self.open_requested)
        self.clear.clicked.connect(self.clear_report)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.open)
        buttons.addWidget(self.clear)
        column = QVBoxLayout(body)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(self.summary)
        column.addLayout(buttons)
        column.addStretch(1)
        self.setWidget(body)
        self.setMinimumWidth(320)
        body.setMaximumWidth(460)  # the 3D view keeps the room
        self.language = "en"
        self.current: Patient | None = None
        self._update_summary(None)

    def _combos(self) -> tuple[QComboBox, ...]:
        return (
            self.level,
            self.tear_side,
            self.tear_zone,
            self.grade,
            self.pfirrmann,
            self.height_loss,
            self.herniation,
            self.herniation_side,
            self.herniation_zone,
        )

    # -- reading and showing ------------------------------------------------------------

    def report(self) -> Report:
        """The report the controls show; ValueError when it is inconsistent."""
        return Report(
            level=self.level.currentData() or "L4-L5",
            tear_side=self.tear_side.currentData(),
            tear_zone=self.tear_zone.currentData(),
            grade=self.grade.currentData(),
            hiz=self.hiz.isChecked(),
            height_loss=self.height_loss.currentData(),
            pfirrmann=self.pfirrmann.currentData(),
            herniation=self.herniation.currentData(),
            herniation_side=self.herniation_side.currentData(),
            herniation_zone=self.herniation_zone.currentData(),
        )

    def patient(self) -> Patient | None:
        """The patient the controls describe (None when nothing is set); ValueError when the
        report is inconsistent.
        """
        report = self.report()
        level = self.level.currentData() or ""
        params = report_params(report, load_preset(level or "L4-L5"))
        label = self.label.text().strip()
        if not level and not params and not label:
            return None
        return Patient(preset=level, params=params, label=label)

    def show_patient(self, patient: Patient | None) -> None:
        """Point every control at ``patient`` (None: nothing stated) without emitting."""
        level = patient.preset if patient is not None and patient.preset in LEVELS else ""
        values = dict(patient.params) if patient is not None else {}
        report = report_from_params(level or "L4-L5", values, load_preset(level or "L4-L5"))
        _select(self.level, level or NOT_STATED)
        _select(self.tear_side, report.tear_side)
        _select(self.tear_zone, report.tear_zone)
        _select(self.grade, report.grade)
        _select(self.pfirrmann, report.pfirrmann)
        _select(self.height_loss, report.height_loss)
        _select(self.herniation, report.herniation)
        _select(self.herniation_side, report.herniation_side)
        _select(self.herniation_zone, report.herniation_zone)
        self.hiz.blockSignals(True)
        self.hiz.setChecked(report.hiz)
        self.hiz.blockSignals(False)
        self.label.setText(patient.label if patient is not None else "")
        self.current = patient
        self.problem.clear()
        self._update_summary(report if patient is not None else None)

    def set_language(self, language: str) -> None:
        """The summary's language (the explanation's)."""
        self.language = language
        try:
            self._update_summary(self.report() if self.current is not None else None)
        except ValueError:
            pass

    def clear_report(self) -> None:
        """Back to nothing stated: the explanation's own disc."""
        self.show_patient(None)
        self.patient_changed.emit(None)

    # -- changes ------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        try:
            patient = self.patient()
            report = self.report()
        except ValueError as error:  # e.g. a paracentral tear without a side: say so, wait
            self.problem.setText(tr("Not applied yet: {problem}.").format(problem=error))
            return
        self.problem.clear()
        if patient == self.current:
            return
        self.current = patient
        self._update_summary(report if patient is not None else None)
        self.patient_changed.emit(patient)

    def _update_summary(self, report: Report | None) -> None:
        if report is None:
            self.summary.setText(tr("Nothing set: the explanation shows its own, typical disc."))
            return
        lines = [level_line(report.level, self.language)] if self.level.currentData() else []
        lines += [f"•  {line}" for line in findings(report, self.language)]
        self.summary.setText("\n".join(lines))
